"""Appointments (lịch hẹn) over HTTP.

- ``POST /api/v1/appointments``: book a slot. The help desk (a phone call) and the
  kiosk (another day) with their credentials; a citizen from the public page without
  any (JSON only, rate-limited per address, no personal data taken). A kiosk with a
  printer prints the slip: its answer's ``print`` is followed like a ticket's.
- ``GET  /api/v1/appointments``: the staff list with filters (help desk, admin).
- ``GET  /api/v1/appointments/slots?service=&day=``: a day's slots and free places
  (public).
- ``POST /api/v1/appointments/{code}/check-in``: issue the ticket at the center (kiosk,
  help desk, admin).
- ``POST /api/v1/appointments/{code}/cancel``: cancel and free the place (help desk,
  admin).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from flask import Blueprint, Response, current_app, g, jsonify, request
from pydantic import AwareDatetime, Field

from queue_server.auth.roles import Principal, Role
from queue_server.core.appointment_views import STATUSES, ListFilter
from queue_server.core.appointments import CHANNELS, CODE_ALPHABET, Appointments, slip_job_id
from queue_server.core.errors import NotFound
from queue_server.core.operations import Outcome
from queue_server.i18n import _
from queue_server.web import idempotency
from queue_server.web.bodies import Body, Code, parse_body
from queue_server.web.dates import day_arg
from queue_server.web.errors import ApiError
from queue_server.web.printing import print_answer
from queue_server.web.ratelimit import Limiter, RateLimiter
from queue_server.web.security import authenticate, current_principal, require
from queue_server.web.state import xephang

appointments_api = Blueprint("appointments_api", __name__, url_prefix="/api/v1")

BOOKERS = (Role.KIOSK, Role.HELPDESK)  # and the admin; the public without credentials
DESK = (Role.HELPDESK,)  # and the admin
LIMITER_KEY = "xephang_appointments_limiter"
MAX_LIST_DAYS = 62
DAYS_SHOWN = 14  # open days offered for booking on the screens


class BookingBody(Body):
    """A slot to book: the service and the slot's start (from ``/appointments/slots``)."""

    service: Code
    start: Annotated[AwareDatetime, Field(strict=False)]  # ISO 8601 with its offset


class CheckInBody(Body):
    """Nothing to say (the kiosk that asks prints the ticket)."""


def appointments_service() -> Appointments:
    """The appointments of this center, with the configuration in force now."""
    state = xephang()
    return Appointments(state.queue, state.settings.appointments)


def public_limiter() -> Limiter:
    """Public bookings per address (in this process), made on first use."""
    limiter = current_app.extensions.get(LIMITER_KEY)
    if limiter is None:
        state = xephang()
        rate = state.settings.appointments.public_rate_per_minute
        limiter = RateLimiter(rate, state.queue.clock.now)
        current_app.extensions[LIMITER_KEY] = limiter
    return limiter


@appointments_api.post("/appointments")
def book() -> Response:
    """Book a slot: staff with credentials, the citizen's own page without any."""
    principal = current_principal()
    if principal is not None:
        principal = authenticate()  # the CSRF header for a signed-in user's write
        if principal.role not in {*BOOKERS, Role.ADMIN}:
            raise ApiError(403, _("Your role may not do this."))
        channel = "kiosk" if principal.role == Role.KIOSK else "helpdesk"
        scope = principal.scope
    else:
        _public_write()
        channel, scope = "public", f"public:{request.remote_addr or '-'}"
    body = parse_body(BookingBody)
    service = appointments_service()
    kiosk, public_url = _slip_printer(principal)

    def produce() -> Response:
        outcome = service.book(
            body.service, body.start, channel=channel, kiosk=kiosk, public_url=public_url
        )
        booked = _published(outcome)
        answer = booked.to_dict()
        if principal is not None and principal.role == Role.KIOSK:
            answer["print"] = print_answer(kiosk, slip_job_id(booked.id))
        response = jsonify(answer)
        response.status_code = 201
        return response

    return idempotency.run_once(service.queue.db, scope, service.queue.clock.now(), produce)


@appointments_api.get("/appointments/slots")
def slots() -> Response:
    """Public: a day's slots for a service and their free places (none: closed)."""
    service = appointments_service()
    code = request.args.get("service", "")
    if not code:
        raise ApiError(400, _("Choose a service."), field="service")
    day = day_arg("day") or service.queue.today()
    places = service.slots(code, day)
    return jsonify(
        {
            "service": code,
            "day": day.isoformat(),
            "closed": not places,
            "slots": [place.to_dict() for place in places],
        }
    )


@appointments_api.get("/appointments")
@require(*DESK)
def list_appointments() -> Response:
    """The appointments of ``from``–``to`` (default today), filtered by service, channel
    and status."""
    service = appointments_service()
    today = service.queue.today()
    start = day_arg("from") or today
    end = day_arg("to") or (start if "from" in request.args else today)
    if end < start or end - start > timedelta(days=MAX_LIST_DAYS):
        raise ApiError(
            400,
            _("Choose an end on or after the start, at most {days} days later.").format(
                days=MAX_LIST_DAYS
            ),
            field="to",
        )
    wanted = ListFilter(
        start,
        end,
        service_id=_service_id(service, request.args.get("service")),
        channel=_choice("channel", CHANNELS),
        status=_choice("status", STATUSES),
    )
    return jsonify({"appointments": [a.to_dict() for a in service.listing(wanted)]})


@appointments_api.post("/appointments/<code>/check-in")
@require(*BOOKERS)
def check_in(code: str) -> Response:
    """Issue the appointment's ticket; a kiosk's is printed on its printer."""
    principal: Principal = g.principal
    parse_body(CheckInBody)
    service = appointments_service()
    state = xephang()
    names = {kiosk.name for kiosk in state.settings.kiosks}
    wanted = principal.name if principal.role == Role.KIOSK else "helpdesk"
    kiosk = wanted if wanted in names else None
    public_url = None if state.settings.center.public_url else request.host_url.rstrip("/")

    def produce() -> Response:
        outcome = service.check_in(code, actor=principal.actor, kiosk=kiosk, public_url=public_url)
        done = _published(outcome)
        ticket = {**done.ticket.to_dict(), "print": print_answer(kiosk, str(done.ticket.id))}
        return jsonify(
            {"appointment": done.appointment.to_dict(), "ticket": ticket, "late": done.late}
        )

    return idempotency.run_once(
        service.queue.db, principal.scope, service.queue.clock.now(), produce
    )


@appointments_api.post("/appointments/<code>/cancel")
@require(*DESK)
def cancel(code: str) -> Response:
    parse_body(CheckInBody)
    service = appointments_service()
    principal: Principal = g.principal
    return idempotency.run_once(
        service.queue.db,
        principal.scope,
        service.queue.clock.now(),
        lambda: jsonify(_published(service.cancel(code)).to_dict()),
    )


# ------------------------------------------------------------------- helpers
def _slip_printer(principal: Principal | None) -> tuple[str | None, str | None]:
    """A kiosk's booking: the kiosk whose printer prints the slip (None: not a kiosk,
    or one without a configured printer) and where its QR code points."""
    if principal is None or principal.role != Role.KIOSK:
        return None, None
    settings = xephang().settings
    kiosk = next((k for k in settings.kiosks if k.name == principal.name), None)
    if kiosk is None or kiosk.printer is None:
        return None, None
    public_url = None if settings.center.public_url else request.host_url.rstrip("/")
    return kiosk.name, public_url


def _published(outcome: Outcome[Any]) -> Any:
    xephang().relay.publish(outcome.envelopes)
    return outcome.value


def _public_write() -> None:
    """A citizen's booking: JSON only (a cross-site form cannot send it without asking
    first), within the per-address rate."""
    if not request.is_json:
        raise ApiError(415, _("Send the body as JSON."))
    wait = public_limiter().hit(request.remote_addr or "-")
    if wait:
        raise ApiError(
            429,
            _("Too many bookings from this device; try again in {seconds} s.").format(seconds=wait),
            headers={"Retry-After": str(wait)},
        )


def _choice(name: str, allowed: tuple[str, ...]) -> str | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if raw not in allowed:
        raise ApiError(
            400,
            _("{name} must be one of: {allowed}.").format(name=name, allowed=", ".join(allowed)),
            field=name,
        )
    return raw


def _service_id(service: Appointments, code: str | None) -> int | None:
    if not code:
        return None
    found = service.queue.catalogue.services.get(code)
    if found is None:
        raise NotFound(_("Unknown service: {code}").format(code=code[:30]))
    return found.id


def appointment_data(*, from_tomorrow: bool = False) -> dict[str, Any]:
    """The services that take appointments and the next open days (ISO dates)."""
    service = appointments_service()
    config = service.config
    settings = xephang().settings
    second = settings.center.second_language
    services = [
        {
            "code": s.code,
            "name": s.name,
            "label": s.labels.get(second, "") if second else "",
            "labels": dict(s.labels),
            "icon": s.icon,
        }
        for s in settings.services
        if s.active and config.enabled and config.capacity_of(s.code) > 0
    ]
    today = service.queue.today()
    days: list[str] = []
    day = today + timedelta(days=1 if from_tomorrow else 0)
    while len(days) < DAYS_SHOWN and day <= today + timedelta(days=config.days_ahead):
        if not config.is_closed(day):
            days.append(day.isoformat())
        day += timedelta(days=1)
    return {
        "appointment_services": services,
        "appointment_days": days,
        "appointment_alphabet": sorted(CODE_ALPHABET, key=lambda c: (c.isdigit(), c)),
    }
