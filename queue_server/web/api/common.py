"""What the REST API's route modules share: the caller, a committed operation's events
handed to the relay (with their seq on the response), writes run at most once per
Idempotency-Key, and the answers of ticket actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Response, g, jsonify

from queue_server.auth.roles import Principal, Role
from queue_server.core.events import TicketView
from queue_server.core.operations import Outcome
from queue_server.web import idempotency
from queue_server.web.bodies import EmptyBody, parse_body
from queue_server.web.state import xephang

T = TypeVar("T")

ANY_ROLE = (Role.KIOSK, Role.HELPDESK, Role.OFFICER, Role.DISPLAY)
SEQ_HEADER = "X-Xephang-Seq"  # the last event seq of the change a response reports


def caller() -> Principal:
    """Who is asking: the principal the route's ``require`` let in."""
    return g.principal


def publish(outcome: Outcome[T]) -> T:
    """Hand the events of a committed operation to the relay; return its value.

    The response names the seq of its last event (``X-Xephang-Seq``), so a console can
    tell an older event that arrives after the response from a newer one."""
    xephang().relay.publish(outcome.envelopes)
    if outcome.envelopes:
        g.event_seq = max(g.get("event_seq", 0), max(e.seq for e in outcome.envelopes))
    return outcome.value


def once(produce: Callable[[], Response]) -> Response:
    """Run a write at most once per Idempotency-Key."""
    state = xephang()
    return idempotency.run_once(state.queue.db, caller().scope, state.queue.clock.now(), produce)


def ticket_response(ticket: TicketView) -> Response:
    return jsonify({"ticket": ticket.to_dict()})


def parse_body_empty() -> None:
    """Actions without fields still reject malformed JSON and unknown fields."""
    parse_body(EmptyBody)
