"""The hall display's announcement audio comes from the server, rendered and cached."""

from __future__ import annotations

import io
import wave

from flask import Flask


def test_call_audio_and_text(sqlite_app: Flask) -> None:
    client = sqlite_app.test_client()
    info = client.get("/audio/call/B023/3.json").get_json()
    assert info["text"].startswith("Mời công dân có số thứ tự B023 đến quầy số 3")
    assert "hai mươi ba" in info["spoken_text"]
    response = client.get(info["wav"])
    assert response.status_code == 200
    assert response.mimetype == "audio/wav"
    with wave.open(io.BytesIO(response.data)) as sound:
        seconds = sound.getnframes() / sound.getframerate()
    assert abs(seconds - info["duration_s"]) < 0.01
    again = client.get(info["wav"])
    assert again.data == response.data


def test_bad_calls_are_404_json(sqlite_app: Flask) -> None:
    client = sqlite_app.test_client()
    assert client.get("/audio/call/B023/99.json").status_code == 404
    bad = client.get("/audio/call/..%2Fetc/3.wav")
    assert bad.status_code == 404
