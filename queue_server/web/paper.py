"""Paper tickets of an outage over HTTP (docs/outages.md).

- ``POST /api/v1/tickets/paper``: enter one paper ticket served while the server was
  down, with its printed number and its times as written (admin, help desk, an officer
  for its own counter): 201 with the ticket; 409 when that number was already entered
  for its day; 404/422 for an unknown service, counter or category, a time in the
  future or out of order, or a number that was never printed.
- ``GET /api/v1/tickets/paper/ranges``: the last paper number printed per service.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from flask import Blueprint, Response, g, jsonify
from pydantic import AfterValidator, AwareDatetime, Field

from queue_server.auth.roles import Principal, Role
from queue_server.core.paper import PaperEntry, PaperTickets
from queue_server.web import idempotency
from queue_server.web.bodies import Body, Code, parse_body
from queue_server.web.security import check_counter, require
from queue_server.web.state import xephang

paper_api = Blueprint("paper_api", __name__, url_prefix="/api/v1")

ENTERERS = (Role.HELPDESK, Role.OFFICER)  # and the admin


def _plausible(moment: datetime) -> datetime:
    """A time between 2000 and 2100 (none near the ends of the calendar), in UTC."""
    if not 2000 <= moment.year <= 2100:
        raise ValueError("out of range")
    return moment.astimezone(UTC)


Moment = Annotated[AwareDatetime, Field(strict=False), AfterValidator(_plausible)]


class PaperTicketBody(Body):
    """One paper ticket as written on it: no name, no identity number."""

    number: Annotated[str, Field(pattern=r"^[A-Za-z0-9 ]{1,12}$")]
    service: Code
    category: Code | None = None
    issued_at: Moment
    called_at: Moment | None = None
    finished_at: Moment | None = None
    counter: Annotated[int, Field(ge=1, le=999)] | None = None
    outcome: Literal["done", "no_show", "cancelled"] = "done"


def paper_tickets() -> PaperTickets:
    """This center's paper tickets, numbered as configured."""
    state = xephang()
    return PaperTickets(state.queue, state.settings.paper)


@paper_api.post("/tickets/paper")
@require(*ENTERERS)
def enter_paper_ticket() -> Response:
    principal: Principal = g.principal
    body = parse_body(PaperTicketBody)
    if principal.role == Role.OFFICER and body.counter != principal.counter:
        check_counter(principal, body.counter or 0)
    service = paper_tickets()
    entry = PaperEntry(
        number=body.number,
        service=body.service,
        category=body.category,
        issued_at=body.issued_at,
        called_at=body.called_at,
        finished_at=body.finished_at,
        counter=body.counter,
        outcome=body.outcome,
    )

    def produce() -> Response:
        officer = principal.officer_id if principal.role == Role.OFFICER else None
        outcome = service.enter(entry, actor=principal.actor, officer_id=officer)
        xephang().relay.publish(outcome.envelopes)
        response = jsonify(outcome.value.to_dict())
        response.status_code = 201
        return response

    return idempotency.run_once(
        service.queue.db, principal.scope, service.queue.clock.now(), produce
    )


@paper_api.get("/tickets/paper/ranges")
@require(*ENTERERS)
def paper_ranges() -> Response:
    """The last paper number printed per service code, and how numbers look."""
    service = paper_tickets()
    printed = service.printed()
    catalogue = service.queue.catalogue
    ranges = [
        {
            "service": code,
            "last": last,
            "last_number": service.config.number(catalogue.services[code].prefix, last),
        }
        for code, last in printed.items()
        if code in catalogue.services
    ]
    return jsonify({"marker": service.config.marker, "ranges": ranges})


def paper_form_data() -> dict[str, Any]:
    """What the paper ticket form of the officer console and help desk needs: the
    center's UTC offset today, its day, the paper marker and the active counters."""
    state = xephang()
    now = state.queue.clock.now().astimezone(state.queue.options.zone)
    offset = now.strftime("%z")
    return {
        "paper_offset": f"{offset[:3]}:{offset[3:]}",
        "paper_today": now.date().isoformat(),
        "paper_marker": state.settings.paper.marker,
        "paper_counters": [
            {"number": c.number, "name": c.name} for c in state.settings.counters if c.active
        ],
    }
