"""JSON API for scripts: read and change the admin settings, read the audit log.

``GET /api/v1/devices/settings`` gives a separate ``xephang devices`` process the
effective device settings (device, display or admin token) after a ``settings_changed``.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, g, jsonify, request

from queue_server.auth.roles import Role
from queue_server.core import audit
from queue_server.core.overrides import SECTIONS, stored_overrides
from queue_server.i18n import _
from queue_server.settings import ConfigError
from queue_server.web.admin.live import change_settings
from queue_server.web.admin.messages import in_words
from queue_server.web.errors import ApiError
from queue_server.web.security import require
from queue_server.web.state import xephang

admin_api = Blueprint("admin_api", __name__, url_prefix="/api/v1")

DEVICE_SECTIONS = ("services", "counters", "kiosks", "led.boards")
WHOLE_NUMBER = re.compile(r"[0-9]{1,40}")  # ASCII digits only: int() takes "²" too
AUDIT_LIMIT = (1, 1000)


def _sections(keys: tuple[str, ...]) -> dict[str, Any]:
    settings = xephang().settings
    return {key: settings.section(key) for key in keys}


@admin_api.get("/admin/settings")
@require(Role.ADMIN)
def read_settings() -> Response:
    state = xephang()
    with state.queue.db.read() as conn:
        saved = stored_overrides(conn)
    overridden = {
        key: {"updated_at": value["updated_at"].isoformat(), "updated_by": value["by"]}
        for key, value in saved.items()
    }
    return jsonify({"sections": _sections(SECTIONS), "overridden": overridden})


@admin_api.put("/admin/settings/<section>")
@require(Role.ADMIN)
def write_setting(section: str) -> Response:
    if section not in SECTIONS:
        raise ApiError(404, _("Unknown settings section: {key}").format(key=section))
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or "value" not in body:
        raise ApiError(400, _('Send a JSON object with the field "value".'), field="value")
    try:
        new = change_settings(xephang(), {section: body["value"]}, g.principal.actor)
    except ConfigError as exc:
        problems = [(where, in_words(message)) for where, message in exc.problems]
        first = problems[0] if problems else ("", str(exc))
        response = jsonify(
            {
                "error": f"{first[0]}: {first[1]}" if first[0] else first[1],
                "field": first[0],
                "problems": [{"field": w, "message": m} for w, m in problems],
            }
        )
        response.status_code = 400
        return response
    return jsonify({"section": section, "value": new.section(section)})


@admin_api.get("/admin/audit")
@require(Role.ADMIN)
def read_audit() -> Response:
    limit = _query_number("limit", 100, AUDIT_LIMIT)
    offset = _query_number("offset", 0)  # far past the end: an empty page
    with xephang().queue.db.read() as conn:
        found = audit.entries(conn, limit=limit, offset=offset)
    return jsonify(
        {
            "entries": [
                {
                    "id": e.id,
                    "at": e.at.isoformat(),
                    "actor": e.actor,
                    "action": e.action,
                    "target": e.target,
                    "detail": e.detail,
                }
                for e in found
            ]
        }
    )


def _query_number(name: str, default: int, bounds: tuple[int, int] | None = None) -> int:
    """A whole-number query parameter (within ``bounds`` if given, as documented), else 400."""
    raw = request.args.get(name)
    if raw is None:
        return default
    if not WHOLE_NUMBER.fullmatch(raw):
        raise ApiError(400, _("{name} must be a whole number.").format(name=name), field=name)
    if bounds is not None and not bounds[0] <= int(raw) <= bounds[1]:
        raise ApiError(
            400,
            _("{name} must be a whole number from {low} to {high}.").format(
                name=name, low=bounds[0], high=bounds[1]
            ),
            field=name,
        )
    return int(raw)


@admin_api.get("/devices/settings")
@require(Role.DISPLAY, Role.DEVICE)
def device_settings() -> Response:
    """What a device worker needs to rebuild its boards and printers."""
    return jsonify({"sections": _sections(DEVICE_SECTIONS)})
