"""The outreach schedule over HTTP (see :mod:`queue_server.core.outreach`).

- ``GET   /api/v1/outreach-sessions?from=&to=&status=``: the sessions (staff; default from
  today on).
- ``POST  /api/v1/outreach-sessions``: plan one session, or a pattern with ``repeat``
  (admin, manager).
- ``PATCH /api/v1/outreach-sessions/<id>``: change fields of one session (admin, manager).
- ``POST  /api/v1/outreach-sessions/<id>/cancel``: cancel one session (admin, manager).
- ``GET   /outreach/feed/<token>.ics``: the staff calendar feed (the secret URL is the
  key); ``GET /outreach/<id>/poster``: the A4 poster for the cultural house (staff).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from flask import Blueprint, Response, g, jsonify, render_template, request
from pydantic import Field

from queue_server.auth.roles import Principal, Role
from queue_server.core.outreach import OutreachSchedule, Repeat, SessionDraft
from queue_server.core.outreach_models import SessionStatus
from queue_server.core.outreach_queries import SessionFilter, SessionView
from queue_server.core.outreach_text import calendar, session_when
from queue_server.core.text import Line
from queue_server.i18n import _, use_language
from queue_server.web import idempotency
from queue_server.web.bodies import MAX_ID, Body, Code, parse_body
from queue_server.web.dates import day_arg, parse_day
from queue_server.web.errors import ApiError
from queue_server.web.security import require, signed_in
from queue_server.web.state import xephang
from queue_server.web.visit_schemas import Clock, Day, UserId

outreach_api = Blueprint("outreach_api", __name__)

WRITERS = (Role.MANAGER,)  # and the admin
READERS = (Role.MANAGER, Role.HELPDESK, Role.OFFICER, Role.VOLUNTEER)
MAX_RANGE_DAYS = 400
Place = Annotated[Line, Field(min_length=1, max_length=120)]
Notes = Annotated[str, Field(max_length=500)]
Services = Annotated[list[Code], Field(max_length=30, description="Service codes; [] for all.")]
Staff = Annotated[list[UserId], Field(max_length=20, description="User ids of staff going.")]
SiteCode = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9]{0,4}$")]


class RepeatBody(Body):
    """Repeat every week, every two weeks, or every month on the same weekday of the
    month as ``day`` (the second Saturday), up to ``until`` (included, within a year)."""

    every: Literal["week", "two_weeks", "month"]
    until: Day


class OutreachBody(Body):
    """A session (or, with ``repeat``, every session of a pattern) on a day from today."""

    day: Day
    starts: Clock
    ends: Clock
    place: Place
    services: Services = Field(default_factory=list)
    staff: Staff = Field(default_factory=list)
    notes: Notes = ""
    site_code: SiteCode | None = None
    repeat: RepeatBody | None = None


class OutreachChangeBody(Body):
    """The fields to change; those left out stay."""

    day: Day | None = None
    starts: Clock | None = None
    ends: Clock | None = None
    place: Place | None = None
    services: Services | None = None
    staff: Staff | None = None
    notes: Notes | None = None
    site_code: SiteCode | None = None


def schedule() -> OutreachSchedule:
    return OutreachSchedule(xephang().queue)


@outreach_api.get("/api/v1/outreach-sessions")
@require(*READERS)
def list_outreach_sessions() -> Response:
    first = day_arg("from") or xephang().queue.today()
    last = day_arg("to")
    if last is not None and (last < first or (last - first).days > MAX_RANGE_DAYS):
        raise ApiError(400, _("The range must end after it starts, within 400 days."), field="to")
    status = request.args.get("status")
    if status is not None and status not in {s.value for s in SessionStatus}:
        raise ApiError(
            400, _("Unknown status: {status}").format(status=status[:30]), field="status"
        )
    found = schedule().find(SessionFilter(first=first, last=last, status=status))
    return jsonify({"sessions": [view.to_dict() for view in found]})


@outreach_api.post("/api/v1/outreach-sessions")
@require(*WRITERS)
def create_outreach_sessions() -> Response:
    principal: Principal = g.principal
    body = parse_body(OutreachBody)
    draft = SessionDraft(
        day=parse_day(body.day, "day"),
        starts=body.starts,
        ends=body.ends,
        place=body.place,
        services=tuple(body.services),
        staff=tuple(body.staff),
        notes=body.notes,
        site_code=body.site_code,
    )
    repeat = None
    if body.repeat is not None:
        repeat = Repeat(body.repeat.every, parse_day(body.repeat.until, "until"))
    plan = schedule()

    def command() -> Any:
        return plan.create(draft, principal.actor, repeat)

    return _run(principal, command, lambda views: {"sessions": [v.to_dict() for v in views]}, 201)


@outreach_api.patch("/api/v1/outreach-sessions/<int:session_id>")
@require(*WRITERS)
def update_outreach_session(session_id: int) -> Response:
    principal: Principal = g.principal
    body = parse_body(OutreachChangeBody)
    changes: dict[str, Any] = {}
    for name in body.model_fields_set:
        value = getattr(body, name)
        if value is None and name != "site_code":
            continue
        if name == "day":
            value = parse_day(value, "day")
        elif name in ("services", "staff"):
            value = tuple(value)
        changes[name] = value
    _known(session_id)
    plan = schedule()
    return _run(principal, lambda: plan.update(session_id, changes, principal.actor), _one)


@outreach_api.post("/api/v1/outreach-sessions/<int:session_id>/cancel")
@require(*WRITERS)
def cancel_outreach_session(session_id: int) -> Response:
    principal: Principal = g.principal
    _known(session_id)
    plan = schedule()
    return _run(principal, lambda: plan.cancel(session_id, principal.actor), _one)


@outreach_api.get("/outreach/feed/<token>.ics")
def outreach_feed(token: str) -> Response:
    """The staff calendar: anyone with the secret URL (no sign-in on a phone)."""
    state = xephang()
    sessions = schedule().feed_sessions(token[:100]) if len(token) <= 100 else None
    if sessions is None:
        return Response(_("No such calendar feed.") + "\n", status=404, mimetype="text/plain")
    with use_language(state.settings.center.language):
        body = calendar(
            sessions,
            center=state.settings.center.name,
            zone=state.queue.options.zone,
            host=request.host.split(":")[0] or "xephang",
            now=state.queue.clock.now(),
        )
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="outreach.ics"'
    response.headers["Cache-Control"] = "no-store"
    return response


@outreach_api.get("/outreach/<int:session_id>/poster")
def outreach_poster(session_id: int) -> str | Response:
    """A4, big type: to print and pin at the cultural house."""
    principal = signed_in(*READERS)
    if isinstance(principal, Response):
        return principal
    if session_id > MAX_ID:
        return Response(status=404)
    state = xephang()
    with use_language(state.settings.center.language):
        view = schedule().get(session_id)
        return render_template(
            "screens/outreach_poster.html",
            lang=state.settings.center.language,
            center=state.settings.center,
            session=view,
            when=session_when(view),
            services=list(view.service_names) or [_("All services of the center")],
            _=_,
        )


def _one(view: SessionView) -> dict[str, Any]:
    return view.to_dict()


def _run(principal: Principal, command: Any, answer: Any, status: int = 200) -> Response:
    queue = xephang().queue

    def produce() -> Response:
        outcome = command()
        xephang().relay.publish(outcome.envelopes)
        response = jsonify(answer(outcome.value))
        response.status_code = status
        return response

    return idempotency.run_once(queue.db, principal.scope, queue.clock.now(), produce)


def _known(session_id: int) -> None:
    if session_id > MAX_ID:
        raise ApiError(404, _("Unknown outreach session: {id}").format(id=session_id))
