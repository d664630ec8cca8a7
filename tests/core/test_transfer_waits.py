"""A transferred ticket keeps its first call time, whichever way it is called again.

Issue 13.13: "call next" overwrote ``first_called_at`` with the second call (calling by id
kept the first), so every transferred ticket waited too long in the reports.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from queue_server.core.clock import FrozenClock
from queue_server.core.models import Ticket
from queue_server.core.operations import Queue


def _first_called_at(queue: Queue, ticket_id: int) -> datetime:
    with queue.db.read() as conn:
        value = conn.execute(
            select(Ticket.first_called_at).where(Ticket.id == ticket_id)
        ).scalar_one()
    assert value is not None
    return value


def _call_then_transfer(queue: Queue, clock: FrozenClock) -> tuple[int, datetime]:
    ticket = queue.issue("HT").value
    clock.advance(minutes=4)
    first_call = clock.now()
    assert queue.call_next(2).value.id == ticket.id  # type: ignore[union-attr]
    clock.advance(minutes=6)
    queue.transfer(2, "CT")
    clock.advance(minutes=9)
    return ticket.id, first_call


def test_call_next_keeps_the_first_call_of_a_transferred_ticket(
    queue: Queue, clock: FrozenClock
) -> None:
    ticket_id, first_call = _call_then_transfer(queue, clock)
    assert queue.call_next(3).value.id == ticket_id  # type: ignore[union-attr]
    assert _first_called_at(queue, ticket_id) == first_call


def test_call_by_id_keeps_the_first_call_of_a_transferred_ticket(
    queue: Queue, clock: FrozenClock
) -> None:
    ticket_id, first_call = _call_then_transfer(queue, clock)
    assert queue.call_ticket(3, ticket_id).value.id == ticket_id
    assert _first_called_at(queue, ticket_id) == first_call
