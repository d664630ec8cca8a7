"""Admin pages to record the center's own voice pack in the browser (docs/voice.md).

``/admin/voice`` lists the drafts and starts one; ``/admin/voice/<name>`` records or takes
each clip the pack needs. The browser decodes what it recorded (MediaRecorder's WebM/Opus)
or was given (WAV, MP3, OGG) with Web Audio and sends 16-bit PCM WAV; the server trims,
levels and keeps it (:mod:`xephang.devices.audio.drafts`). Publishing runs the voice check
and, when it finds nothing, makes the copy the pack the center speaks with (the
``voice.pack`` setting, saved like the other admin settings).
"""

from __future__ import annotations

import threading
from dataclasses import asdict
from pathlib import Path
from typing import Any

from flask import Response, g, jsonify, redirect, request, send_file, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import RequestEntityTooLarge

from queue_server.auth.roles import Role
from queue_server.i18n import N_, _
from queue_server.settings import ConfigError
from queue_server.web.admin import admin, menu, render_admin, signed_in
from queue_server.web.admin.live import change_settings
from queue_server.web.errors import ApiError
from queue_server.web.security import csrf_matches, require
from queue_server.web.state import xephang
from xephang.devices.audio.cleanup import TakeError
from xephang.devices.audio.drafts import Draft, DraftError, clip_groups, draft_names
from xephang.devices.audio.pack import PackError, VoicePack, clip_filename

MAX_UPLOAD_BYTES = 4 * 1024 * 1024  # 15 s of 48 kHz stereo 16-bit WAV fits
WAV_TYPES = {"audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave"}
GROUPS = {
    "chime": N_("Chime"),
    "phrase": N_("Phrases of the call"),
    "number": N_("Number words (also read for counters)"),
    "letter": N_("Letter names"),
}
SOURCE_NAMES = {
    "microphone": N_("recorded here"),
    "upload": N_("from a file"),
    "copied": N_("copied from the current pack"),
    "synthesised": N_("synthesised chime"),
}
_takes = threading.Lock()  # one take saved at a time: draft.json is read, changed, written


def _data_dir() -> Path:
    return Path(xephang().settings.data_dir)


def _spoken() -> tuple[str, list[str]]:
    """The announcement language and its configured template (the clips depend on them)."""
    spoken = xephang().settings.voice.announcement
    return spoken.language, [spoken.template] if spoken.template else []


def _draft(name: str) -> Draft:
    try:
        return Draft.open(_data_dir(), name)
    except DraftError as exc:
        raise ApiError(404, str(exc)) from None


@admin.route("/voice", methods=["GET", "POST"])
def voice_drafts() -> ResponseReturnValue:
    """The drafts, the pack in use, and a form to start a draft."""
    principal = signed_in()
    if isinstance(principal, Response):
        return principal
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        if not csrf_matches(request.form.get("csrf_token")):
            errors, status = [_("The form has expired; please try again.")], 400
        else:
            name = request.form.get("name", "").strip()
            language, templates = _spoken()
            try:
                source = None
                if request.form.get("start") == "copy":
                    source = VoicePack.load(xephang().settings.voice.pack)
                Draft.create(_data_dir(), name, language, copy_from=source, templates=templates)
            except (DraftError, PackError) as exc:
                errors, status = [str(exc)], 422
            else:
                return redirect(url_for("admin.voice_draft", name=name), code=303)
    page = render_admin(
        "voice.html",
        principal,
        _("Voice pack"),
        drafts=draft_names(_data_dir()),
        active=xephang().settings.voice.pack,
        errors=errors,
        form=request.form,
    )
    return page, status


@admin.get("/voice/<name>")
def voice_draft(name: str) -> ResponseReturnValue:
    """The recording page of one draft."""
    principal = signed_in()
    if isinstance(principal, Response):
        return principal
    draft = _draft(name)
    language, templates = _spoken()
    groups = [(_(GROUPS[group]), group) for group in GROUPS]
    return render_admin(
        "voice_draft.html",
        principal,
        _("Voice pack {name}").format(name=draft.name),
        draft=draft,
        clips=clip_groups(language, templates),
        groups=groups,
        max_upload=MAX_UPLOAD_BYTES,
    )


@admin.get("/voice/<name>/clips.json")
@require(Role.ADMIN)
def voice_clips(name: str) -> Response:
    """Every clip the pack needs: group, source, length, waveform peaks, file address."""
    draft = _draft(name)
    _language, templates = _spoken()
    clips: list[dict[str, Any]] = []
    for state in draft.clips(templates):
        item = asdict(state)
        item["source_name"] = _(SOURCE_NAMES[state.source]) if state.source else ""
        item["wav"] = (
            url_for("admin.voice_clip", name=name, file=clip_filename(state.text))
            if state.source
            else None
        )
        clips.append(item)
    return jsonify({"name": draft.name, "language": draft.language, "clips": clips})


@admin.get("/voice/<name>/clips/<path:file>")
@require(Role.ADMIN)
def voice_clip(name: str, file: str) -> Response:
    """One clip's WAV file, to listen to it."""
    path = _draft(name).clip_path(file.removesuffix(".wav"))
    if path is None or not file.endswith(".wav"):
        raise ApiError(404, _("This clip has not been recorded yet."))
    response = send_file(path, mimetype="audio/wav", max_age=0)
    response.headers["Cache-Control"] = "no-store"
    return response


@admin.put("/voice/<name>/clips/<path:text>")
@require(Role.ADMIN)
def voice_take(name: str, text: str) -> Response:
    """Keep a take (16-bit PCM WAV body) as the clip saying ``text``."""
    if (request.mimetype or "") not in WAV_TYPES:
        raise ApiError(415, _("Send the recording as a WAV sound file (audio/wav)."))
    if (request.content_length or 0) > MAX_UPLOAD_BYTES:
        raise ApiError(
            413,
            _("The file is too large: at most {size} MB.").format(
                size=MAX_UPLOAD_BYTES // (1024 * 1024)
            ),
        )
    request.max_content_length = MAX_UPLOAD_BYTES  # the app's limit is for JSON bodies
    try:
        body = request.get_data(cache=False)
    except RequestEntityTooLarge:  # sent without a length
        raise ApiError(413, _("The file is too large.")) from None
    source = request.args.get("source", "microphone")
    _language, templates = _spoken()
    with _takes:
        draft = _draft(name)
        try:
            audio = draft.put_take(text, body, source, templates)
        except TakeError as exc:
            raise ApiError(422, str(exc)) from None
        except DraftError as exc:
            raise ApiError(404, str(exc)) from None
    return jsonify({"text": text, "duration_s": round(audio.duration_s, 2)})


@admin.get("/voice/<name>/sample.json")
@require(Role.ADMIN)
def voice_sample(name: str) -> Response:
    """A call made only of the draft's clips: the words it lacks and its WAV's address."""
    ticket, counter = _sample_args()
    _wav, missing = _sample(name, ticket, counter)
    wav = url_for("admin.voice_sample_wav", name=name, number=ticket, counter=counter)
    return jsonify({"number": ticket, "counter": counter, "missing": missing, "wav": wav})


@admin.get("/voice/<name>/sample.wav")
@require(Role.ADMIN)
def voice_sample_wav(name: str) -> Response:
    wav, _missing = _sample(name, *_sample_args())
    return Response(wav, mimetype="audio/wav", headers={"Cache-Control": "no-store"})


def _sample_args() -> tuple[str, str]:
    ticket = request.args.get("number", "").strip().upper()
    counter = request.args.get("counter", "").strip()
    if not ticket or not counter or len(ticket) > 12 or len(counter) > 12:
        raise ApiError(400, _("Give a ticket number and a counter, e.g. A023 and 5."))
    return ticket, counter


def _sample(name: str, ticket: str, counter: str) -> tuple[bytes, list[str]]:
    draft = _draft(name)
    try:
        return draft.sample_call(xephang().settings.voice.announcement, ticket, counter)
    except (ValueError, PackError) as exc:
        raise ApiError(
            400, _("This call cannot be read aloud: {error}").format(error=exc)
        ) from None


@admin.get("/voice/<name>/check.json")
@require(Role.ADMIN)
def voice_check(name: str) -> Response:
    """The voice check's findings (an empty list: the pack is ready)."""
    _language, templates = _spoken()
    return jsonify({"problems": _draft(name).problems(templates)})


@admin.post("/voice/<name>/publish")
@require(Role.ADMIN)
def voice_publish(name: str) -> Response:
    """Check the draft; if nothing is found, copy it and make the center speak with it."""
    state = xephang()
    _language, templates = _spoken()
    with _takes:
        draft = _draft(name)
        try:
            folder = draft.publish(_data_dir(), templates, state.queue.clock.now())
        except DraftError as exc:
            response = jsonify(
                {
                    "error": _("The pack is not complete yet; nothing was changed."),
                    "problems": str(exc).splitlines(),
                }
            )
            response.status_code = 409
            return response
    try:
        change_settings(state, {"voice.pack": str(folder)}, g.principal.actor)
    except ConfigError as exc:
        raise ApiError(422, str(exc)) from None
    message = _("The center now speaks with the voice pack {name}.").format(name=draft.name)
    return jsonify({"pack": str(folder), "message": message})


menu("admin.voice_drafts", N_("Voice pack"))
