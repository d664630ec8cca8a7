"""The REST API under /api/v1 (JSON in and out; see /api/v1/openapi.json)."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from typing import Any, TypeVar

from flask import Blueprint, Response, g, jsonify, request, session, url_for

from queue_server.auth.roles import Principal, Role
from queue_server.core.catalogue import CategoryInfo
from queue_server.core.errors import NotFound
from queue_server.core.events import TicketView
from queue_server.core.operations import Outcome
from queue_server.core.printjobs import jobs_for_ticket
from queue_server.i18n import _
from queue_server.settings import Settings
from queue_server.web import idempotency
from queue_server.web.bodies import (
    MAX_ID,
    CallBody,
    CounterChoiceBody,
    EmptyBody,
    IssueBody,
    ReprintBody,
    TransferBody,
    parse_body,
)
from queue_server.web.contacts import issue_contact
from queue_server.web.counter_holders import counter_holders
from queue_server.web.errors import ApiError
from queue_server.web.printing import print_answer
from queue_server.web.security import authenticate, check_counter, csrf_token, require
from queue_server.web.state import xephang

T = TypeVar("T")

api = Blueprint("api", __name__, url_prefix="/api/v1")

ANY_ROLE = (Role.KIOSK, Role.HELPDESK, Role.OFFICER, Role.DISPLAY)
TRACK_CODE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


def _principal() -> Principal:
    return g.principal


TICKET_NUMBER = re.compile(r"^[A-Z]{1,2}[0-9]{1,6}$")


def _request_address() -> str | None:
    """Without ``center.public_url``, tickets' QR codes point to the address this request
    came to (the one the kiosk or help desk uses)."""
    if xephang().settings.center.public_url:
        return None
    return str(request.host_url.rstrip("/"))


SEQ_HEADER = "X-Xephang-Seq"  # the last event seq of the change a response reports


def _publish(outcome: Outcome[T]) -> T:
    """Hand the events of a committed operation to the relay; return its value.

    The response names the seq of its last event (``X-Xephang-Seq``), so a console can
    tell an older event that arrives after the response from a newer one."""
    xephang().relay.publish(outcome.envelopes)
    if outcome.envelopes:
        g.event_seq = max(g.get("event_seq", 0), max(e.seq for e in outcome.envelopes))
    return outcome.value


def _ticket_id(ticket_id: int) -> int:
    if ticket_id > MAX_ID:
        raise NotFound(_("Unknown ticket: {id}").format(id=ticket_id))
    return ticket_id


def _once(produce: Callable[[], Response]) -> Response:
    """Run a write at most once per Idempotency-Key."""
    state = xephang()
    return idempotency.run_once(
        state.queue.db, _principal().scope, state.queue.clock.now(), produce
    )


# ------------------------------------------------------------------ catalogue
@api.get("/services")
@require(*ANY_ROLE)
def list_services() -> Response:
    services = xephang().queue.catalogue.services.values()
    return jsonify(
        {
            "services": [
                {
                    "code": s.code,
                    "prefix": s.prefix,
                    "name": s.name,
                    "labels": s.labels,
                    "icon": s.icon,
                    "helpdesk": s.helpdesk,
                }
                for s in services
            ]
        }
    )


@api.get("/priorities")
@require(*ANY_ROLE)
def list_priorities() -> Response:
    principal = _principal()
    categories: Collection[CategoryInfo] = xephang().queue.catalogue.categories.values()
    if principal.role == Role.KIOSK:
        categories = [c for c in categories if c.kiosk and not c.emergency]
    return jsonify(
        {
            "priorities": [
                {
                    "code": c.code,
                    "name": c.name,
                    "labels": c.labels,
                    "weight": c.weight,
                    "emergency": c.emergency,
                    "icon": c.icon,
                    "kiosk": c.kiosk,
                }
                for c in categories
            ]
        }
    )


@api.get("/counters")
@require(*ANY_ROLE)
def list_counters() -> Response:
    queue = xephang().queue
    return jsonify(
        {"counters": [queue.counter(n).to_dict() for n in sorted(queue.catalogue.counters)]}
    )


# -------------------------------------------------------------------- tickets
def _printing_kiosk(principal: Principal, settings: Settings) -> str | None:
    """The kiosk whose printer prints this ticket: a kiosk token's name, or the
    kiosk named ``helpdesk`` for the help desk (when such a kiosk is configured)."""
    names = {kiosk.name for kiosk in settings.kiosks}
    wanted = principal.name if principal.role == Role.KIOSK else "helpdesk"
    return wanted if wanted in names else None


@api.post("/tickets")
@require(Role.KIOSK, Role.HELPDESK)
def issue_ticket() -> Response:
    principal = _principal()
    body = parse_body(IssueBody)
    state = xephang()
    if principal.role == Role.KIOSK and body.priority:
        category = state.queue.catalogue.categories.get(body.priority)
        if category is not None and (category.emergency or not category.kiosk):
            raise ApiError(403, _("A kiosk cannot give this priority category."))
    contact = issue_contact(principal, body.contact)
    wait = state.issue_limiter.hit(principal.scope) if principal.role != Role.ADMIN else 0
    if wait:
        raise ApiError(
            429,
            _("Too many tickets from this kiosk; try again in {seconds} s.").format(seconds=wait),
            headers={"Retry-After": str(wait)},
        )
    channel = body.channel or {Role.KIOSK: "kiosk", Role.HELPDESK: "helpdesk"}.get(
        principal.role, "api"
    )
    if principal.role == Role.KIOSK:
        channel = "kiosk"
    if channel == "paper":  # a paper ticket keeps its number and times: tickets/paper
        raise ApiError(422, _("Enter paper tickets with their number and times."))

    kiosk = _printing_kiosk(principal, state.settings)

    def produce() -> Response:
        ticket = _publish(
            state.queue.issue(
                body.service,
                body.priority,
                channel=channel,
                actor=principal.actor,
                kiosk=kiosk,
                contact=contact,
                public_url=_request_address(),
            )
        )
        # The citizen's ticket, with its code; the printer as known before the job, and
        # the job to follow (see printing.py).
        answer = {**ticket.to_private_dict(), "print": print_answer(kiosk, str(ticket.id))}
        response = jsonify(answer)
        response.status_code = 201
        response.headers["Location"] = url_for(".get_ticket", ticket_id=ticket.id)
        return response

    return _once(produce)


@api.get("/tickets/by-number/<number>")
@require(Role.HELPDESK, Role.OFFICER)
def get_ticket_by_number(number: str) -> Response:
    """Today's ticket with this number, e.g. to call back a citizen marked no-show."""
    if not TICKET_NUMBER.match(number.upper()):
        raise NotFound(_("No ticket {number} today.").format(number=number[:12]))
    return jsonify(xephang().queue.ticket_by_number(number).to_dict())


@api.get("/tickets/<int:ticket_id>")
@require(Role.HELPDESK, Role.OFFICER)
def get_ticket(ticket_id: int) -> Response:
    return jsonify(xephang().queue.ticket(_ticket_id(ticket_id)).to_dict())


@api.post("/tickets/<int:ticket_id>/cancel")
@require(Role.HELPDESK)
def cancel_ticket(ticket_id: int) -> Response:
    parse_body_empty()
    queue = xephang().queue
    return _once(
        lambda: _ticket_response(
            _publish(queue.cancel(_ticket_id(ticket_id), actor=_principal().actor))
        )
    )


@api.post("/tickets/<int:ticket_id>/reprint")
@require(Role.HELPDESK)
def reprint_ticket(ticket_id: int) -> Response:
    """Print a ticket again (the first print failed, or the citizen lost it)."""
    body = parse_body(ReprintBody)
    state = xephang()
    printers = [k.name for k in state.settings.kiosks if k.printer is not None]
    kiosk = body.kiosk or ("helpdesk" if "helpdesk" in printers else next(iter(printers), None))
    if kiosk is None or kiosk not in printers:
        raise ApiError(404, _("No printer for kiosk {name}.").format(name=body.kiosk or "—"))
    outcome = state.queue.reprint(
        _ticket_id(ticket_id), kiosk, actor=_principal().actor, public_url=_request_address()
    )
    _publish(outcome)
    response = jsonify({"job_id": outcome.value, "kiosk": kiosk})
    response.status_code = 202
    return response


@api.get("/tickets/<int:ticket_id>/print-jobs")
@require(Role.HELPDESK)
def ticket_print_jobs(ticket_id: int) -> Response:
    """Every print job of a ticket: queued, sent, confirmed or failed (with the reason)."""
    state = xephang()
    state.queue.ticket(_ticket_id(ticket_id))  # 404 for an unknown ticket
    jobs = jobs_for_ticket(state.queue.db, ticket_id)
    return jsonify({"jobs": [job.to_dict() for job in jobs]})


@api.get("/track/<track_code>")
def track(track_code: str) -> Response:
    """Public: where a ticket is, by the code printed as a QR code. No personal data."""
    if not TRACK_CODE.match(track_code):
        raise NotFound(_("No ticket has this tracking code."))
    return jsonify(public_track_view(xephang().queue.ticket_by_track_code(track_code)))


def public_track_view(ticket: TicketView) -> dict[str, Any]:
    """What anyone holding the ticket's code may see: no personal data."""
    return {
        "number": ticket.number,
        "service": ticket.service,
        "service_name": ticket.service_name,
        "status": ticket.status,
        "ahead": ticket.ahead,
        "counter": ticket.counter,
        "estimated_wait_s": ticket.estimated_wait_s,
    }


def _ticket_response(ticket: TicketView) -> Response:
    return jsonify({"ticket": ticket.to_dict()})


def parse_body_empty() -> None:
    """Actions without fields still reject malformed JSON and unknown fields."""
    parse_body(EmptyBody)


# ------------------------------------------------------------------- counters
def _counter_principal(number: int) -> Principal:
    principal = _principal()
    queue = xephang().queue
    if number not in queue.catalogue.counters:
        raise NotFound(_("Unknown counter: {number}").format(number=number))
    check_counter(principal, number)
    return principal


@api.post("/counters/<int:number>/next")
@require(Role.OFFICER)
def call_next(number: int) -> Response:
    principal = _counter_principal(number)
    parse_body_empty()
    queue = xephang().queue

    def produce() -> Response:
        ticket = _publish(
            queue.call_next(number, actor=principal.actor, officer_id=principal.officer_id)
        )
        if ticket is None:
            return Response(status=204)
        return _ticket_response(ticket)

    return _once(produce)


@api.post("/counters/<int:number>/call")
@require(Role.OFFICER)
def call_ticket(number: int) -> Response:
    principal = _counter_principal(number)
    body = parse_body(CallBody)
    queue = xephang().queue
    return _once(
        lambda: _ticket_response(
            _publish(
                queue.call_ticket(
                    number,
                    body.ticket_id,
                    actor=principal.actor,
                    officer_id=principal.officer_id,
                    only_served=principal.role != Role.ADMIN,
                )
            )
        )
    )


@api.post("/counters/<int:number>/transfer")
@require(Role.OFFICER)
def transfer(number: int) -> Response:
    principal = _counter_principal(number)
    body = parse_body(TransferBody)
    queue = xephang().queue
    return _once(
        lambda: _ticket_response(
            _publish(
                queue.transfer(number, body.service, to_counter=body.counter, actor=principal.actor)
            )
        )
    )


def _ticket_action(name: str, method: str) -> None:
    def view(number: int) -> Response:
        principal = _counter_principal(number)
        parse_body_empty()
        operation = getattr(xephang().queue, method)
        return _once(lambda: _ticket_response(_publish(operation(number, actor=principal.actor))))

    view.__name__ = f"counter_{method}"
    api.post(f"/counters/<int:number>/{name}")(require(Role.OFFICER)(view))


def _status_action(name: str) -> None:
    def view(number: int) -> Response:
        principal = _counter_principal(number)
        parse_body_empty()
        operation = getattr(xephang().queue, name)
        return _once(
            lambda: jsonify(
                {"counter": _publish(operation(number, actor=principal.actor)).to_dict()}
            )
        )

    view.__name__ = f"counter_{name}"
    api.post(f"/counters/<int:number>/{name}")(require(Role.OFFICER)(view))


for _name, _method in (
    ("recall", "recall"),
    ("no-show", "no_show"),
    ("finish", "finish"),
    ("serve", "start_serving"),
):
    _ticket_action(_name, _method)
for _name in ("pause", "resume"):
    _status_action(_name)


@api.get("/counters/<int:number>/waiting")
@require(Role.OFFICER, Role.HELPDESK)
def waiting(number: int) -> Response:
    _counter_principal(number)
    tickets = xephang().queue.waiting_for_counter(number)
    return jsonify({"counter": number, "tickets": [t.to_dict() for t in tickets]})


# ---------------------------------------------------------------------- state
@api.get("/state")
@require(*ANY_ROLE, Role.DEVICE)
def state() -> Response:
    return jsonify(xephang().queue.snapshot())


# -------------------------------------------------------------------- session
@api.get("/session")
def whoami() -> Response:
    principal = authenticate()
    data: dict[str, Any] = {
        "kind": principal.kind,
        "name": principal.name,
        "role": principal.role.value,
        "counter": principal.counter,
    }
    if principal.via_session:
        data["csrf_token"] = csrf_token()
    return jsonify(data)


@api.post("/session/counter")
def choose_counter() -> Response:
    principal = authenticate()
    if not principal.via_session or principal.role not in (Role.OFFICER, Role.ADMIN):
        raise ApiError(403, _("Only a signed-in officer chooses a counter."))
    body = parse_body(CounterChoiceBody)
    if body.counter not in xephang().queue.catalogue.counters:
        raise NotFound(_("Unknown counter: {number}").format(number=body.counter))
    others = counter_holders().others(body.counter, principal.name)
    if others and not body.take_over:
        raise ApiError(
            409,
            _("Counter {number} is open on {names}'s console. Take it over?").format(
                number=body.counter, names=", ".join(others)
            ),
        )
    session["counter"] = body.counter
    g.pop("principal", None)
    return jsonify(
        {
            "kind": principal.kind,
            "name": principal.name,
            "role": principal.role.value,
            "counter": body.counter,
            "csrf_token": csrf_token(),
        }
    )
