"""The audit log page: who changed what and when, newest first, in words."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import Response, request

from queue_server.core import audit
from queue_server.core.overrides import IDENTITY
from queue_server.i18n import N_, _
from queue_server.web.admin import admin, menu, render_admin, signed_in
from queue_server.web.admin.audit_words import (
    actor_in_words,
    detail_value_in_words,
    field_in_words,
    value_in_words,
)
from queue_server.web.state import xephang

PAGE_SIZE = 100
UTC_ZONE = ZoneInfo("UTC")

ACTIONS = {
    "settings.change": N_("Changed the settings"),
    "settings.override_dropped": N_("The file was edited: the saved change was dropped"),
    "user.add": N_("Added a user"),
    "user.change": N_("Changed a user"),
    "token.create": N_("Created an API token"),
    "token.revoke": N_("Revoked an API token"),
    "privacy.purge": N_("Deleted phone numbers kept too long"),
    "privacy.withdraw": N_("Deleted a phone number at the citizen's request"),
    # outreach (core/outreach.py)
    "outreach.plan": N_("Planned outreach sessions"),
    "outreach.change": N_("Changed an outreach session"),
    "outreach.cancel": N_("Cancelled an outreach session"),
    "outreach.feed_create": N_("Made a new staff calendar address"),
    "outreach.feed_revoke": N_("Stopped the staff calendar address"),
}
SECTIONS = {
    "services": N_("Services"),
    "counters": N_("Counters"),
    "priorities": N_("Priority categories"),
    "kiosks": N_("Kiosks and printers"),
    "led.boards": N_("LED boards"),
    "center.notice": N_("Display notice"),
    "voice.pack": N_("Voice pack"),
}
TARGETS = {
    **SECTIONS,
    "ticket_contacts": N_("Callback phone numbers"),
    "outreach_sessions": N_("Outreach sessions"),
    "outreach_feeds": N_("Calendar for staff phones"),
}


def describe(target: str, detail: dict[str, Any], zone: ZoneInfo = UTC_ZONE) -> list[str]:
    """An entry's detail as lines a person can read (field labels, not stored names)."""
    lines: list[str] = []
    identity = IDENTITY.get(target)
    for item in detail.get("added", []):
        lines.append(_("added {item}").format(item=item.get(identity, "?") if identity else "?"))
    for ident, fields in detail.get("changed", {}).items():
        for name, (old, new) in fields.items():
            label = field_in_words(target, name)
            lines.append(f"{ident}: {label}: {value_in_words(old)} → {value_in_words(new)}")
    for ident in detail.get("removed", []):
        lines.append(_("removed {item}").format(item=ident))
    if "deleted" in detail:  # phone numbers: the count only
        lines.append(_("{count} phone number(s) deleted").format(count=detail["deleted"]))
    if "older_than_days" in detail:
        lines.append(_("kept more than {days} days").format(days=detail["older_than_days"]))
    if "before" in detail or "after" in detail:
        lines.append(
            f"{value_in_words(detail.get('before'))} → {value_in_words(detail.get('after'))}"
        )
    for key in ("reason", "saved_at", "by", "role", "changed", "id"):
        if (
            key in detail
            and detail[key] not in (None, [], "")
            and not isinstance(detail[key], dict)
        ):
            words = detail_value_in_words(key, detail[key], zone)
            lines.append(f"{field_in_words(target, key)}: {words}")
    return lines


@admin.get("/audit")
def audit_log() -> Any:
    principal = signed_in()
    if isinstance(principal, Response):
        return principal
    state = xephang()
    page = max(1, request.args.get("page", 1, type=int) or 1)
    with state.queue.db.read() as conn:
        found = audit.entries(conn, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        total = audit.count(conn)
    zone = state.settings.center.zone
    rows = [
        {
            "at": entry.at.astimezone(zone).strftime("%d/%m/%Y %H:%M:%S"),
            "actor": actor_in_words(entry.actor),
            "action": _(ACTIONS.get(entry.action, entry.action)),
            "target": _(TARGETS[entry.target]) if entry.target in TARGETS else entry.target,
            "lines": describe(entry.target, entry.detail, zone),
        }
        for entry in found
    ]
    return render_admin(
        "audit.html",
        principal,
        _("Audit log"),
        rows=rows,
        page=page,
        more=page * PAGE_SIZE < total,
    )


menu("admin.audit_log", N_("Audit log"))
