"""The voice recording pages' server side: admin only, CSRF, polite refusals of bad takes,
publishing only a pack the voice check passes, and the hall display's calls using it."""

from __future__ import annotations

import io
import math
import re
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from queue_server.i18n import catalogue
from queue_server.runtime import start_app
from queue_server.web.admin.voice import MAX_UPLOAD_BYTES
from xephang.devices.audio.languages import VIETNAMESE
from xephang.devices.audio.wavio import read_wav

TEMPLATES = Path(__file__).resolve().parents[2] / "display" / "templates" / "admin"
Headers = dict[str, str]
Admin = tuple[FlaskClient, Headers]


def take(seconds: float = 0.8, rate: int = 48000, channels: int = 2, hz: float = 330.0) -> bytes:
    """A WAV take: 0.3 s of quiet, a tone for ``seconds``, 0.3 s of quiet."""
    quiet = [0] * int(0.3 * rate)
    tone = [round(6000 * math.sin(2 * math.pi * hz * i / rate)) for i in range(int(seconds * rate))]
    frames = b"".join(
        v.to_bytes(2, "little", signed=True) * channels for v in [*quiet, *tone, *quiet]
    )
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(channels)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(frames)
    return out.getvalue()


@pytest.fixture
def live_app(settings: Any, sqlite_queue: Any) -> Flask:
    return start_app(settings, queue=sqlite_queue, testing=True)


@pytest.fixture
def admin(live_app: Flask, signer: Callable[..., Admin]) -> Admin:
    return signer(live_app, "admin")


def csrf_form(client: FlaskClient, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def new_draft(admin: Admin, name: str, start: str) -> None:
    client, _headers = admin
    token = csrf_form(client, "/admin/voice")
    data = {"csrf_token": token, "name": name, "start": start}
    created = client.post("/admin/voice", data=data)
    assert created.status_code == 303, created.get_data(as_text=True)
    assert created.headers["Location"].endswith(f"/admin/voice/{name}")


def put(admin: Admin, path: str, body: bytes, mimetype: str = "audio/wav") -> Any:
    client, headers = admin
    return client.put(path, data=body, headers={**headers, "Content-Type": mimetype})


def test_bad_takes_get_polite_errors_and_only_an_admin_records(
    admin: Admin, live_app: Flask, signer: Callable[..., Admin]
) -> None:
    client, _headers = admin
    new_draft(admin, "vi-thu", "empty")
    base = "/admin/voice/vi-thu/clips/"

    not_wav = put(admin, base + "hai", b"\x1aE\xdf\xa3 webm bytes", "audio/webm")
    assert not_wav.status_code == 415
    assert "WAV" in not_wav.get_json()["error"]
    garbage = put(admin, base + "hai", b"RIFF....not really")
    assert garbage.status_code == 422
    assert "không phải tệp âm thanh WAV" in garbage.get_json()["error"]
    too_long = put(admin, base + "hai", take(seconds=16.0, rate=8000, channels=1))
    assert too_long.status_code == 422
    assert "tối đa 15 giây" in too_long.get_json()["error"]
    too_big = put(admin, base + "hai", b"\0" * (MAX_UPLOAD_BYTES + 1))
    assert too_big.status_code == 413
    assert "quá lớn" in too_big.get_json()["error"]
    silent = put(admin, base + "hai", take(seconds=0.0))
    assert silent.status_code == 422
    unknown = put(admin, base + "xin chào", take())
    assert unknown.status_code == 404
    no_csrf = client.put(base + "hai", data=take(), headers={"Content-Type": "audio/wav"})
    assert no_csrf.status_code == 403
    clips = client.get("/admin/voice/vi-thu/clips.json").get_json()["clips"]
    assert {c["text"]: c["source"] for c in clips}["hai"] is None  # nothing was kept

    kept = put(admin, base + "hai?source=upload", take())
    assert kept.status_code == 200, kept.get_json()
    assert 0.8 <= kept.get_json()["duration_s"] <= 0.9  # the quiet ends were cut
    assert client.get("/admin/voice/vi-thu/clips/hai.wav").data[44:] == kept_frames(live_app)

    manager, manager_headers = signer(live_app, "manager")
    assert manager.get("/admin/voice").status_code == 403
    assert manager.get("/admin/voice/vi-thu/clips.json").status_code == 403
    as_manager = manager.put(
        base + "hai", data=take(), headers={**manager_headers, "Content-Type": "audio/wav"}
    )
    assert as_manager.status_code == 403
    assert "error" in as_manager.get_json()


def kept_frames(app: Flask) -> bytes:
    folder = Path(app.extensions["xephang"].settings.data_dir) / "voice" / "drafts" / "vi-thu"
    return read_wav(folder / "hai.wav").frames


def test_the_pages_speak_vietnamese(admin: Admin) -> None:
    client, _headers = admin
    new_draft(admin, "vi-xem", "empty")
    page = client.get("/admin/voice/vi-xem").get_data(as_text=True)
    assert "Ghi âm" in page and "Tên các chữ cái" in page and "Tiếng chuông" in page
    for letter in ("L", "W"):  # the letters' clips, named by the code's list
        assert f'<tr class="v-clip" data-text="{VIETNAMESE.letter_names[letter]}">' in page
    vietnamese = catalogue("vi")
    for name in ("voice.html", "voice_draft.html"):
        template = (TEMPLATES / name).read_text(encoding="utf-8")
        used = re.findall(r"""_\((["'])(.+?)\1\)""", template)
        assert used
        assert [text for _quote, text in used if text not in vietnamese] == []


def test_publish_waits_for_the_check_then_the_calls_use_the_pack(
    admin: Admin, live_app: Flask
) -> None:
    client, headers = admin
    state = live_app.extensions["xephang"]
    before = state.settings.voice.pack
    new_draft(admin, "vi-trong", "empty")
    refused = client.post("/admin/voice/vi-trong/publish", headers=headers)
    assert refused.status_code == 409
    body = refused.get_json()
    assert body["error"] == "Gói giọng đọc chưa đủ; chưa có gì thay đổi."
    assert any("thiếu đoạn ghi âm" in p for p in body["problems"])
    assert state.settings.voice.pack == before

    new_draft(admin, "vi-nha", "copy")  # every clip of the pack in use, then one replaced
    assert put(admin, "/admin/voice/vi-nha/clips/hai", take(hz=330.0)).status_code == 200
    assert client.get("/admin/voice/vi-nha/check.json").get_json() == {"problems": []}
    sample = client.get("/admin/voice/vi-nha/sample.json?number=B002&counter=2").get_json()
    assert sample["missing"] == []
    sample_wav = client.get(sample["wav"]).data
    published = client.post("/admin/voice/vi-nha/publish", headers=headers)
    assert published.status_code == 200, published.get_json()
    folder = Path(published.get_json()["pack"])
    assert folder.parent == Path(state.settings.data_dir) / "voice" / "packs"
    assert state.settings.voice.pack == str(folder)

    clip = read_wav(folder / "hai.wav").frames
    call = client.get("/audio/call/B002/2.wav").data
    assert call.count(clip) == 2  # "… số thứ tự bê hai … quầy số hai"
    assert call[44:].startswith(sample_wav[44:])  # the sample is the call (its Vietnamese part)
    audit = client.get("/api/v1/admin/audit?limit=5", headers=headers).get_json()
    assert any(e["target"] == "voice.pack" for e in audit["entries"])
