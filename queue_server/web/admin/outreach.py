"""``/admin/outreach``: the outreach schedule (admins and managers).

Plan a session or a recurring pattern, edit or cancel one session, print its A4 poster;
the admin also makes (or revokes) the secret calendar feed for staff phones, whose URL
is shown once.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Response, redirect, request, url_for

from queue_server.auth.roles import Principal, Role
from queue_server.core.context import Outcome
from queue_server.core.errors import QueueError
from queue_server.core.outreach import OutreachSchedule, Repeat, SessionDraft
from queue_server.core.outreach_queries import SessionFilter, SessionView
from queue_server.core.outreach_text import session_when
from queue_server.i18n import N_, _
from queue_server.web.admin import admin, menu, render_admin, signed_in
from queue_server.web.security import csrf_matches
from queue_server.web.state import xephang

REPEATS = (("", N_("Once")), ("week", N_("Every week")), ("two_weeks", N_("Every two weeks")),
           ("month", N_("Every month, same weekday (e.g. every second Saturday)")))  # fmt: skip
PAST_SHOWN_DAYS = 31

menu("admin.outreach", N_("Outreach sessions"), Role.MANAGER)


def _publish(outcome: Outcome[Any]) -> None:
    xephang().relay.publish(outcome.envelopes)


def _schedule() -> OutreachSchedule:
    return OutreachSchedule(xephang().queue)


@admin.route("/outreach", methods=["GET", "POST"])
def outreach() -> Any:
    principal = signed_in(Role.MANAGER)
    if isinstance(principal, Response):
        return principal
    errors: list[str] = []
    form: dict[str, Any] = {"starts": "08:00", "ends": "11:30"}
    feed_url = None
    if request.method == "POST":
        form = _posted()
        action = form.get("action", "")
        if not csrf_matches(form.get("csrf_token")):
            errors = [_("The form has expired; please try again.")]
        else:
            try:
                saved, feed_url = _act(principal, action)
            except (QueueError, ValueError) as refused:
                errors = [getattr(refused, "message", None) or _("Check the dates and times.")]
            else:
                if saved and feed_url is None:
                    return redirect(url_for("admin.outreach", saved=saved), code=303)
    return _page(principal, form, errors, feed_url)


def _act(principal: Principal, action: str) -> tuple[str, str | None]:
    """Do what the form asked; the saved message's key and a new feed's URL."""
    plan = _schedule()
    if action == "create":
        draft, repeat = _draft_from_form()
        _publish(plan.create(draft, principal.actor, repeat))
        return "created", None
    if action == "cancel":
        _publish(plan.cancel(int(request.form.get("session", "0")), principal.actor))
        return "cancelled", None
    if principal.role != Role.ADMIN:
        raise ValueError(action)
    if action == "feed":
        token = plan.create_feed(principal.actor)
        return "feed", url_for("outreach_api.outreach_feed", token=token, _external=True)
    if action == "revoke":
        plan.revoke_feed(principal.actor)
        return "revoked", None
    raise ValueError(action)


@admin.route("/outreach/<int:session_id>", methods=["GET", "POST"])
def outreach_session(session_id: int) -> Any:
    principal = signed_in(Role.MANAGER)
    if isinstance(principal, Response):
        return principal
    plan = _schedule()
    view = plan.get(session_id)
    errors: list[str] = []
    form = _form_of(view)
    if request.method == "POST":
        form = _posted()
        if not csrf_matches(form.get("csrf_token")):
            errors = [_("The form has expired; please try again.")]
        else:
            try:
                draft, _repeat = _draft_from_form()
                changes = {
                    name: getattr(draft, name)
                    for name in ("day", "starts", "ends", "place", "services", "staff", "notes")
                }
                _publish(plan.update(session_id, changes, principal.actor))
            except (QueueError, ValueError) as refused:
                errors = [getattr(refused, "message", None) or _("Check the dates and times.")]
            else:
                return redirect(url_for("admin.outreach", saved="updated"), code=303)
    html = render_admin(
        "outreach_edit.html",
        principal,
        _("Change an outreach session"),
        view=view,
        form=form,
        errors=errors,
        **_choices(),
    )
    return html, 400 if errors else 200


def _page(
    principal: Principal, form: dict[str, Any], errors: list[str], feed_url: str | None
) -> Any:
    plan = _schedule()
    first = xephang().queue.today() - timedelta(days=PAST_SHOWN_DAYS)
    sessions = plan.find(SessionFilter(first=first))
    html = render_admin(
        "outreach.html",
        principal,
        _("Outreach sessions"),
        sessions=[_row(view) for view in sessions],
        form=form,
        errors=errors,
        saved=request.args.get("saved"),
        feed_url=feed_url,
        feed_exists=plan.feed_exists(),
        is_admin=principal.role == Role.ADMIN,
        repeats=[(code, _(label)) for code, label in REPEATS],
        **_choices(),
    )
    return html, 400 if errors else 200


def _choices() -> dict[str, Any]:
    services = [
        {"code": s.code, "name": s.name} for s in xephang().queue.catalogue.services.values()
    ]
    return {"services": services, "staff": _schedule().staff()}


def _row(view: SessionView) -> dict[str, Any]:
    today = xephang().queue.today()
    return {
        "view": view,
        "when": session_when(view),
        "services": ", ".join(view.service_names) or _("All services"),
        "staff": ", ".join(person["name"] for person in view.staff),
        "past": view.day < today,
    }


def _posted() -> dict[str, Any]:
    """The posted form, with the ticked services and staff as lists."""
    form: dict[str, Any] = request.form.to_dict()
    form["services"] = request.form.getlist("services")
    form["staff"] = request.form.getlist("staff")
    return form


def _form_of(view: SessionView) -> dict[str, Any]:
    return {
        "day": view.day.isoformat(),
        "starts": f"{view.starts:%H:%M}",
        "ends": f"{view.ends:%H:%M}",
        "place": view.place,
        "notes": view.notes,
        "services": list(view.services),
        "staff": [str(person["id"]) for person in view.staff],
    }


def _draft_from_form() -> tuple[SessionDraft, Repeat | None]:
    """The draft and pattern of the form; ValueError for a malformed date or id."""
    form = request.form
    draft = SessionDraft(
        day=date.fromisoformat(form.get("day", "")),
        starts=form.get("starts", ""),
        ends=form.get("ends", ""),
        place=form.get("place", "")[:200],
        services=tuple(form.getlist("services")),
        staff=tuple(int(uid) for uid in form.getlist("staff")),
        notes=form.get("notes", "")[:600],
    )
    every = form.get("every", "")
    repeat = Repeat(every, date.fromisoformat(form.get("until", ""))) if every else None
    return draft, repeat
