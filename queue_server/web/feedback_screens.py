"""Feedback on the screens: the help desk's form data and the staff page ``/feedback``.

The page lists and filters the records (help desk, manager, admin); the manager and the
admin forward and answer them there. It reads and writes through the feedback API.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from queue_server.auth.roles import Role
from queue_server.auth.users import list_users
from queue_server.core.feedback import CHANNELS, STATUSES
from queue_server.web.screen_render import render_screen
from queue_server.web.security import signed_in
from queue_server.web.state import xephang

feedback_pages = Blueprint("feedback_pages", __name__)

FORWARD_ROLES = (Role.OFFICER, Role.HELPDESK, Role.MANAGER, Role.ADMIN)


def citizen_form_data() -> dict[str, Any]:
    """What a feedback form shows: the kinds and the limits."""
    config = xephang().settings.feedback
    return {
        "feedback_kinds": [{"code": k.code, "name": k.name} for k in config.active_kinds()],
        "feedback_max": config.max_chars,
        "feedback_phone_days": config.phone_keep_days,
    }


def feedback_form_data() -> dict[str, Any]:
    """What the help desk's feedback form shows: also the counters."""
    counters = xephang().settings.counters
    return citizen_form_data() | {
        "counters": [{"number": c.number, "name": c.name} for c in counters if c.active]
    }


@feedback_pages.get("/feedback")
def feedback_page() -> str | Response:
    """The records, with forward and answer for the manager and the admin."""
    principal = signed_in(Role.HELPDESK, Role.MANAGER)
    if isinstance(principal, Response):
        return principal
    state = xephang()
    handles = principal.role in (Role.MANAGER, Role.ADMIN)
    staff = [
        {"id": u["id"], "name": u["username"], "role": u["role"]}
        for u in list_users(state.queue.db)
        if u["active"] and u["role"] in FORWARD_ROLES
    ]
    today = state.queue.today()
    return render_screen(
        "feedback",
        user=principal.name,
        handles=handles,
        staff=staff if handles else [],
        kinds={k.code: k.name for k in state.settings.feedback.kinds},
        statuses=list(STATUSES),
        channels=list(CHANNELS),
        today=today.isoformat(),
        month_ago=today.fromordinal(today.toordinal() - 30).isoformat(),
    )
