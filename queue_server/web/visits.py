"""Home visits booked by phone over HTTP (see :mod:`queue_server.core.visits`).

- ``POST /api/v1/visits``: register a request (help desk, admin); 400 without consent.
- ``GET  /api/v1/visits?status=&day=&officer=&mine=1&contacts=1``: list (help desk,
  manager, admin; officers: their own visits only). ``status=open``: requested or
  scheduled; ``day=today``: the center's today; ``mine=1``: the signed-in user's visits.
  ``contacts=1`` adds the phone number and address, for signed-in help desk staff and
  admins only (the help desk's list).
- ``GET  /api/v1/visits/<id>``: one visit (same rules).
- ``POST /api/v1/visits/<id>/schedule``: day, time window, staff (help desk, admin).
- ``POST /api/v1/visits/<id>/outcome``: what happened (help desk, admin; officers on
  their own visits).
- ``GET  /api/v1/visits/staff``: who may be assigned (help desk, admin).

Officers act as signed-in users (an officer's counter token has no person behind it).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, g, jsonify, request

from queue_server.auth.roles import Principal, Role
from queue_server.core.contacts import consented_contact
from queue_server.core.errors import Rejected
from queue_server.core.operations import Outcome
from queue_server.core.visit_models import VisitStatus
from queue_server.core.visit_queries import OPEN, VisitFilter, VisitView
from queue_server.core.visits import Appointment, HomeVisits, VisitRequest
from queue_server.i18n import _
from queue_server.web import idempotency
from queue_server.web.bodies import MAX_ID, parse_body
from queue_server.web.dates import parse_day
from queue_server.web.errors import ApiError
from queue_server.web.security import require
from queue_server.web.state import xephang
from queue_server.web.visit_schemas import OutcomeBody, ScheduleBody, VisitBody

visits_api = Blueprint("visits_api", __name__, url_prefix="/api/v1")

DESK = (Role.HELPDESK,)  # and the admin
READERS = (Role.HELPDESK, Role.OFFICER, Role.MANAGER)
CONTACT_READERS = frozenset({Role.HELPDESK, Role.ADMIN})


def home_visits() -> HomeVisits:
    return HomeVisits(xephang().queue)


def may_see_contacts(principal: Principal) -> bool:
    """Signed-in help desk staff and admins (not tokens, officers or the manager)."""
    return principal.via_session and principal.role in CONTACT_READERS


def own_user(principal: Principal) -> int | None:
    """For an officer, the user whose visits they may see; 403 for an officer token."""
    if principal.role != Role.OFFICER:
        return None
    if principal.kind != "user":
        raise ApiError(403, _("Sign in as yourself to see your home visits."))
    return principal.id


@visits_api.post("/visits")
@require(*DESK)
def register_visit() -> Response:
    principal: Principal = g.principal
    body = parse_body(VisitBody)
    if body.consent is not True:
        try:
            consented_contact(body.phone, body.consent, "home_visit")
        except Rejected as refused:
            raise ApiError(400, refused.message, field="consent") from None
    wanted = VisitRequest(
        phone=body.phone,
        consent=body.consent,
        service=body.service,
        address=body.address,
        hamlet=body.hamlet,
        category=body.category,
        preferred_days=tuple(body.preferred_days),
    )
    visits = home_visits()
    return _run(principal, lambda: visits.register(wanted, principal.actor), status=201)


@visits_api.get("/visits")
@require(*READERS)
def list_visits() -> Response:
    principal: Principal = g.principal
    mine = own_user(principal)
    officer = _int_arg("officer")
    if request.args.get("mine") == "1" and principal.kind == "user":
        officer = principal.id
    if mine is not None:
        officer = mine
    status = request.args.get("status")
    if status is not None and status not in {*VisitStatus, OPEN}:
        message = _("Unknown status: {status}").format(status=status[:30])
        raise ApiError(400, message, field="status")
    filters = VisitFilter(status=status, day=_day_arg("day"), officer_id=officer)
    found = home_visits().find(filters, with_contact=_contacts_wanted(principal))
    return jsonify({"visits": [visit.to_dict() for visit in found]})


@visits_api.get("/visits/<int:visit_id>")
@require(*READERS)
def get_visit(visit_id: int) -> Response:
    principal: Principal = g.principal
    mine = own_user(principal)  # an officer's token: 403 before the visit is looked up
    visit = _visit(visit_id, with_contact=_contacts_wanted(principal))
    if mine is not None and not visit.assigned(mine):
        raise ApiError(403, _("You may see your own home visits only."))
    return jsonify(visit.to_dict())


@visits_api.get("/visits/staff")
@require(*DESK)
def visit_staff() -> Response:
    return jsonify({"staff": home_visits().staff()})


@visits_api.post("/visits/<int:visit_id>/schedule")
@require(*DESK)
def schedule_visit(visit_id: int) -> Response:
    principal: Principal = g.principal
    body = parse_body(ScheduleBody)
    appointment = Appointment(
        parse_day(body.day, "day"), body.window_start, body.window_end, tuple(body.officers)
    )
    _visit(visit_id)
    visits = home_visits()
    return _run(principal, lambda: visits.schedule(visit_id, appointment, principal.actor))


@visits_api.post("/visits/<int:visit_id>/outcome")
@require(Role.HELPDESK, Role.OFFICER)
def record_outcome(visit_id: int) -> Response:
    principal: Principal = g.principal
    body = parse_body(OutcomeBody)
    new_day = parse_day(body.new_day, "new_day") if body.new_day else None
    mine = own_user(principal)
    _visit(visit_id)
    visits = home_visits()
    return _run(
        principal,
        lambda: visits.record_outcome(
            visit_id, body.outcome, principal.actor, new_day=new_day, own_user=mine
        ),
    )


def _run(principal: Principal, command: Any, status: int = 200) -> Response:
    queue = xephang().queue

    def produce() -> Response:
        outcome: Outcome[VisitView] = command()
        xephang().relay.publish(outcome.envelopes)
        response = jsonify(outcome.value.to_dict())
        response.status_code = status
        return response

    return idempotency.run_once(queue.db, principal.scope, queue.clock.now(), produce)


def _visit(visit_id: int, *, with_contact: bool = False) -> VisitView:
    if visit_id > MAX_ID:
        raise ApiError(404, _("Unknown home visit: {id}").format(id=visit_id))
    return home_visits().get(visit_id, with_contact=with_contact)


def _contacts_wanted(principal: Principal) -> bool:
    if request.args.get("contacts") not in ("1", "true"):
        return False
    if not may_see_contacts(principal):
        raise ApiError(403, _("Only signed-in help desk staff see phone numbers and addresses."))
    return True


def _day_arg(name: str) -> date | None:
    raw = request.args.get(name)
    if raw == "today":
        return xephang().queue.today()
    return None if raw is None else parse_day(raw, name)


def _int_arg(name: str) -> int | None:
    raw = request.args.get(name)
    if raw is None:
        return None
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_ID:
        raise ApiError(400, _("{name} must be a user id.").format(name=name), field=name)
    return int(raw)
