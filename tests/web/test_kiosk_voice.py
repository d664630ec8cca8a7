"""The kiosk's spoken keypad prompts: rendered offline from the voice pack (numbers,
letters) and espeak-ng (the other words), in the kiosk's order and language."""

from __future__ import annotations

import io
import wave

from flask import Flask


def test_the_service_menu_names_each_key_in_the_kiosk_order(sqlite_app: Flask) -> None:
    client = sqlite_app.test_client()
    info = client.get("/audio/kiosk/vi/services.json").get_json()
    assert info["text"].startswith("Chọn dịch vụ bằng các phím số. Bấm phím 1: Hướng dẫn")
    assert "Bấm phím 2: Hộ tịch." in info["text"]
    assert info["text"].endswith("Bấm phím 0 để nghe lại.")
    # key numbers are read as words from the pack, never as digits by espeak-ng
    assert "bấm phím một hướng dẫn" in info["spoken_text"]
    assert "bấm phím không để nghe lại" in info["spoken_text"]
    assert info["missing"] == []
    sound = client.get(info["wav"])
    assert sound.status_code == 200 and sound.mimetype == "audio/wav"
    with wave.open(io.BytesIO(sound.data)) as audio:
        seconds = audio.getnframes() / audio.getframerate()
    assert abs(seconds - info["duration_s"]) < 0.01 and seconds > 5


def test_choices_and_the_ticket_in_both_languages(sqlite_app: Flask) -> None:
    client = sqlite_app.test_client()
    chosen = client.get("/audio/kiosk/vi/service/HT.json").get_json()
    assert chosen["text"] == "Hộ tịch. Bấm Enter để xác nhận, hoặc bấm số khác."
    menu = client.get("/audio/kiosk/vi/priorities.json").get_json()["text"]
    assert "Bấm phím 1: Người cao tuổi" in menu and "nếu không thuộc đối tượng ưu tiên" in menu
    none = client.get("/audio/kiosk/vi/priority/-.json").get_json()
    assert none["text"].startswith("Không thuộc đối tượng ưu tiên.")
    ticket = client.get("/audio/kiosk/vi/ticket/B023.json").get_json()
    assert ticket["text"].startswith("Số của quý vị là B023.")
    assert "bê hai mươi ba" in ticket["spoken_text"]
    english = client.get("/audio/kiosk/en/ticket/B023.json").get_json()
    assert english["text"].startswith("Your number is B023.")
    assert "twenty" in english["spoken_text"]


def test_unknown_prompts_are_404_json(sqlite_app: Flask) -> None:
    client = sqlite_app.test_client()
    for path in (
        "vi/service/XX",
        "vi/ticket/..%2Fetc",
        "fr/services",
        "vi/nothing",
        "vi/priority/emergency",
    ):
        response = client.get(f"/audio/kiosk/{path}.wav")
        assert response.status_code == 404, path
        assert "error" in response.get_json()


def test_the_officer_console_hears_a_category_by_name(sqlite_app: Flask) -> None:
    client = sqlite_app.test_client()
    said = client.get("/audio/kiosk/vi/category/disabled.json").get_json()
    assert said["text"] == "Ưu tiên: Người khuyết tật." and said["missing"] == []
    assert client.get("/audio/kiosk/vi/category/emergency.json").status_code == 200
    assert client.get("/audio/kiosk/vi/category/nobody.json").status_code == 404
