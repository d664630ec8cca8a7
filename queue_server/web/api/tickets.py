"""Tickets: issuing (kiosk, help desk), looking one up, cancelling, printing again and
its print jobs, and public tracking by the code printed on the ticket."""

from __future__ import annotations

import re
from typing import Any

from flask import Response, jsonify, request, url_for

from queue_server.auth.roles import Principal, Role
from queue_server.core.errors import NotFound
from queue_server.core.events import TicketView
from queue_server.core.printjobs import jobs_for_ticket
from queue_server.i18n import _
from queue_server.settings import Settings
from queue_server.web.api import api
from queue_server.web.api.common import caller, once, parse_body_empty, publish, ticket_response
from queue_server.web.bodies import MAX_ID, IssueBody, ReprintBody, parse_body
from queue_server.web.contacts import issue_contact
from queue_server.web.errors import ApiError
from queue_server.web.printing import print_answer
from queue_server.web.security import require
from queue_server.web.state import xephang

TRACK_CODE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
TICKET_NUMBER = re.compile(r"^[A-Z]{1,2}[0-9]{1,6}$")


def request_address() -> str | None:
    """Without ``center.public_url``, tickets' QR codes point to the address this request
    came to (the one the kiosk or help desk uses)."""
    if xephang().settings.center.public_url:
        return None
    return str(request.host_url.rstrip("/"))


def check_kiosk_priority(principal: Principal, priority: str | None) -> None:
    """403 if a kiosk asks for a category it may not give (an emergency, or one the
    kiosk does not offer); an unknown one is left to the queue's own refusal."""
    if principal.role == Role.KIOSK and priority:
        category = xephang().queue.catalogue.categories.get(priority)
        if category is not None and (category.emergency or not category.kiosk):
            raise ApiError(403, _("A kiosk cannot give this priority category."))


def take_issue_slot(principal: Principal) -> None:
    """Count one ticket against the caller's issue rate (admins are not limited); 429
    with ``Retry-After`` past it."""
    wait = xephang().issue_limiter.hit(principal.scope) if principal.role != Role.ADMIN else 0
    if wait:
        raise ApiError(
            429,
            _("Too many tickets from this kiosk; try again in {seconds} s.").format(seconds=wait),
            headers={"Retry-After": str(wait)},
        )


def printing_kiosk(principal: Principal, settings: Settings) -> str | None:
    """The kiosk whose printer prints this ticket: a kiosk token's name, or the
    kiosk named ``helpdesk`` for the help desk (when such a kiosk is configured)."""
    names = {kiosk.name for kiosk in settings.kiosks}
    wanted = principal.name if principal.role == Role.KIOSK else "helpdesk"
    return wanted if wanted in names else None


def _ticket_id(ticket_id: int) -> int:
    if ticket_id > MAX_ID:
        raise NotFound(_("Unknown ticket: {id}").format(id=ticket_id))
    return ticket_id


@api.post("/tickets")
@require(Role.KIOSK, Role.HELPDESK)
def issue_ticket() -> Response:
    principal = caller()
    body = parse_body(IssueBody)
    state = xephang()
    check_kiosk_priority(principal, body.priority)
    contact = issue_contact(principal, body.contact)
    take_issue_slot(principal)
    channel = body.channel or {Role.KIOSK: "kiosk", Role.HELPDESK: "helpdesk"}.get(
        principal.role, "api"
    )
    if principal.role == Role.KIOSK:
        channel = "kiosk"
    if channel == "paper":  # a paper ticket keeps its number and times: tickets/paper
        raise ApiError(422, _("Enter paper tickets with their number and times."))

    kiosk = printing_kiosk(principal, state.settings)

    def produce() -> Response:
        ticket = publish(
            state.queue.issue(
                body.service,
                body.priority,
                channel=channel,
                actor=principal.actor,
                kiosk=kiosk,
                contact=contact,
                public_url=request_address(),
            )
        )
        # The citizen's ticket, with its code; the printer as known before the job, and
        # the job to follow (see printing.py).
        answer = {**ticket.to_private_dict(), "print": print_answer(kiosk, str(ticket.id))}
        response = jsonify(answer)
        response.status_code = 201
        response.headers["Location"] = url_for(".get_ticket", ticket_id=ticket.id)
        return response

    return once(produce)


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
    return once(
        lambda: ticket_response(publish(queue.cancel(_ticket_id(ticket_id), actor=caller().actor)))
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
        _ticket_id(ticket_id), kiosk, actor=caller().actor, public_url=request_address()
    )
    publish(outcome)
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
