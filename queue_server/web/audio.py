"""Voice announcements served to the hall display: one rendered WAV per call, cached.

``GET /audio/call/<number>/<counter>.json`` gives the text to show and the WAV's address;
``GET /audio/call/<number>/<counter>.wav`` the sound itself. Nothing comes from the
internet: clips from the configured voice pack, espeak-ng for anything missing.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, jsonify, send_file, url_for

from queue_server.core.errors import NotFound
from queue_server.i18n import _
from queue_server.web.state import xephang
from xephang.devices.audio.render import RenderedAnnouncement
from xephang.devices.audio.voice import Voice

audio = Blueprint("audio", __name__, url_prefix="/audio")

TICKET_NUMBER = re.compile(r"^[A-Z]{1,2}[0-9]{1,6}$")
_lock = threading.Lock()


def _voice() -> Voice:
    with _lock:
        runtime = xephang()
        settings = runtime.settings
        if runtime.voice is None or runtime.voice.config != settings.voice:  # a new pack
            if not settings.voice.enabled:
                raise NotFound(_("Voice announcements are turned off."))
            runtime.voice = Voice(settings.voice, cache_dir=Path(settings.data_dir) / "voice-cache")
        return runtime.voice


def _render(number: str, counter: int) -> RenderedAnnouncement:
    if not TICKET_NUMBER.match(number):
        raise NotFound(_("Unknown ticket: {id}").format(id=number))
    if counter not in xephang().queue.catalogue.counters:
        raise NotFound(_("Unknown counter: {number}").format(number=counter))
    try:
        return _voice().render(number, counter)
    except ValueError:  # a number the voice cannot read (more than four digits)
        raise NotFound(_("Unknown ticket: {id}").format(id=number)) from None


def rendered_json(rendered: RenderedAnnouncement, wav: str, **more: Any) -> Response:
    """What a page needs to show and play a rendered announcement (``wav``: its URL)."""
    body: dict[str, Any] = {
        "text": rendered.text,
        "spoken_text": rendered.spoken_text,
        "duration_s": round(rendered.duration_s, 3),
        **more,
        "wav": wav,
    }
    return jsonify(body)


def wav_file(rendered: RenderedAnnouncement, max_age: int) -> Response:
    """The rendered WAV, cacheable by every browser for ``max_age`` seconds."""
    response = send_file(rendered.path, mimetype="audio/wav", max_age=max_age)
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    return response


@audio.get("/call/<number>/<int:counter>.json")
def call_text(number: str, counter: int) -> Response:
    wav = url_for("audio.call_wav", number=number, counter=counter)
    return rendered_json(_render(number, counter), wav)


@audio.get("/call/<number>/<int:counter>.wav")
def call_wav(number: str, counter: int) -> Response:
    return wav_file(_render(number, counter), max_age=3600)
