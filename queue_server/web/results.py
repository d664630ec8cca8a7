"""Result slips (giấy hẹn trả kết quả) over HTTP.

- ``POST /api/v1/tickets/{id}/result-slip``: the officer who finished the ticket (at
  their own counter) or the admin gives a slip: 201 with its code and ready date.
- ``GET  /api/v1/result-slips/{code}``: a slip by its code (officer, help desk, admin).
- ``POST /api/v1/result-slips/{code}/postpone``: move the ready date later, with a
  reason (officer, help desk, admin): the slip counts as late.
- ``POST /api/v1/result-slips/{code}/ticket``: the kiosk or the help desk issues a
  "receive results" ticket for the code, linked to the slip (collected).

The code is a bearer secret like a ticket's tracking code: it is in the answers to
the one who holds it, never in a broadcast event.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

from flask import Blueprint, Response, g, jsonify, url_for
from pydantic import Field

from queue_server.auth.roles import Principal, Role
from queue_server.core.operations import Outcome
from queue_server.core.results import (
    CODE_ALPHABET,
    ResultRules,
    ResultSlips,
    SlipView,
    unknown_code,
)
from queue_server.i18n import _
from queue_server.web import idempotency
from queue_server.web.api.tickets import (
    check_kiosk_priority,
    printing_kiosk,
    request_address,
    take_issue_slot,
)
from queue_server.web.bodies import MAX_ID, Body, Code, parse_body
from queue_server.web.errors import ApiError
from queue_server.web.printing import print_answer
from queue_server.web.security import require
from queue_server.web.state import xephang

if TYPE_CHECKING:
    from queue_server.settings import Settings

__all__ = ["CODE_ALPHABET", "officer_slip_data", "result_slips", "results_api"]

results_api = Blueprint("results_api", __name__, url_prefix="/api/v1")

ISO_DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
CODE_PATH = re.compile(r"^[A-Za-z0-9 -]{1,40}$")
STAFF = (Role.OFFICER, Role.HELPDESK)  # and the admin
Day = Annotated[str, Field(pattern=ISO_DAY)]


class SlipBody(Body):
    """A result slip for a finished ticket; no date: the service's working days."""

    ready_on: Day | None = None


class PostponeBody(Body):
    """A later ready date and why (a configured reason code)."""

    ready_on: Day
    reason: Code


class CollectBody(Body):
    """A "receive results" ticket, optionally with a priority category."""

    priority: Code | None = None


def result_slips() -> ResultSlips:
    """The slips of this center, with the services and ``[results]`` configured now."""
    state = xephang()
    return ResultSlips(state.queue, ResultRules.from_settings(state.settings))


def officer_slip_data(settings: Settings, today: date) -> dict[str, Any]:
    """For the officer's slip panel: today's proposed ready date per service (not the
    results service) and the reasons to postpone one."""
    rules = ResultRules.from_settings(settings)
    defaults = {
        s.code: rules.default_ready_on(s.code, today).isoformat()
        for s in settings.services
        if not s.results
    }
    reasons = [{"code": r.code, "name": r.name} for r in settings.results.reasons]
    return {"slip_defaults": defaults, "slip_today": today.isoformat(), "slip_reasons": reasons}


def slip_answer(slip: SlipView) -> dict[str, Any]:
    """The slip for the one who holds its code, with the printable page's address."""
    return {**slip.to_dict(), "print_url": url_for("result_pages.slip_page", code=slip.code)}


def _day(raw: str | None, field: str) -> date | None:
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        message = _("{name} must be a date such as 2026-11-23.").format(name=field)
        raise ApiError(400, message, field=field) from None


def _code(raw: str) -> str:
    if not CODE_PATH.match(raw):
        raise unknown_code()
    return raw


def _once(produce: Any) -> Response:
    state = xephang()
    principal: Principal = g.principal
    return idempotency.run_once(state.queue.db, principal.scope, state.queue.clock.now(), produce)


@results_api.post("/tickets/<int:ticket_id>/result-slip")
@require(Role.OFFICER)
def issue_slip(ticket_id: int) -> Response:
    principal: Principal = g.principal
    body = parse_body(SlipBody)
    ready_on = _day(body.ready_on, "ready_on")
    counter = None
    if principal.role == Role.OFFICER:
        if principal.counter is None:
            raise ApiError(403, _("Choose your counter first."))
        counter = principal.counter
    if ticket_id > MAX_ID:
        raise ApiError(404, _("Unknown ticket: {id}").format(id=ticket_id))
    slips = result_slips()

    def produce() -> Response:
        outcome: Outcome[SlipView] = slips.issue(ticket_id, counter=counter, ready_on=ready_on)
        xephang().relay.publish(outcome.envelopes)
        response = jsonify(slip_answer(outcome.value))
        response.status_code = 201
        return response

    return _once(produce)


@results_api.get("/result-slips/<code>")
@require(*STAFF)
def find_slip(code: str) -> Response:
    return jsonify(slip_answer(result_slips().find(_code(code))))


@results_api.post("/result-slips/<code>/postpone")
@require(*STAFF)
def postpone_slip(code: str) -> Response:
    body = parse_body(PostponeBody)
    ready_on = _day(body.ready_on, "ready_on")
    assert ready_on is not None
    slips = result_slips()

    def produce() -> Response:
        outcome = slips.postpone(_code(code), ready_on, body.reason)
        xephang().relay.publish(outcome.envelopes)
        return jsonify(slip_answer(outcome.value))

    return _once(produce)


@results_api.post("/result-slips/<code>/ticket")
@require(Role.KIOSK, Role.HELPDESK)
def collect_ticket(code: str) -> Response:
    """A "receive results" ticket for the slip with this code (the kiosk or help desk)."""
    principal: Principal = g.principal
    body = parse_body(CollectBody)
    state = xephang()
    check_kiosk_priority(principal, body.priority)
    take_issue_slot(principal)
    channel = "kiosk" if principal.role == Role.KIOSK else "helpdesk"
    kiosk = printing_kiosk(principal, state.settings)
    slips = result_slips()

    def produce() -> Response:
        outcome = slips.collect(
            _code(code),
            body.priority,
            channel=channel,
            actor=principal.actor,
            kiosk=kiosk,
            public_url=request_address(),
        )
        state.relay.publish(outcome.envelopes)
        ticket, slip = outcome.value.ticket, outcome.value.slip
        answer = {
            **ticket.to_private_dict(),
            "print": print_answer(kiosk, str(ticket.id)),
            "slip": {
                "service": slip.service,
                "service_name": slip.service_name,
                "ready_on": slip.ready_on.isoformat(),
            },
        }
        response = jsonify(answer)
        response.status_code = 201
        response.headers["Location"] = url_for("api.get_ticket", ticket_id=ticket.id)
        return response

    return _once(produce)
