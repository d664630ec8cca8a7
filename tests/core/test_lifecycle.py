"""Ticket lifecycle on both databases: issue, call, recall, transfer, finish …"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from queue_server.core.clock import FrozenClock
from queue_server.core.errors import InvalidState, NotFound
from queue_server.core.models import Ticket, TicketEvent
from queue_server.core.operations import Queue


def test_issue_numbers_per_service_with_prefix(queue: Queue) -> None:
    first = queue.issue("HT").value
    second = queue.issue("HT").value
    other = queue.issue("CT").value
    assert (first.number, second.number, other.number) == ("B001", "B002", "C001")
    assert second.ahead == 1
    assert other.ahead == 0


def test_estimate_uses_service_time_and_open_counters(queue: Queue) -> None:
    queue.issue("HT")
    queue.issue("HT")
    third = queue.issue("HT").value
    # Hộ tịch: default 420 s, served by counters 2 and 4 → 2 ahead × 420 / 2.
    assert third.estimated_wait_s == 420
    queue.pause(4)
    fourth = queue.issue("HT").value
    assert fourth.estimated_wait_s == 3 * 420


def test_call_next_calls_in_order_and_finishes_current(queue: Queue, clock: FrozenClock) -> None:
    a = queue.issue("CT").value
    clock.advance(seconds=10)
    b = queue.issue("CT").value
    clock.advance(seconds=10)
    called = queue.call_next(3)
    assert called.value is not None and called.value.id == a.id
    names = [e.name for e in called.events]
    assert names == ["ticket_called", "queue_changed", "counter_changed"]
    clock.advance(seconds=120)
    second = queue.call_next(3)
    assert second.value is not None and second.value.id == b.id
    assert second.events[0].name == "ticket_changed"
    assert queue.ticket(a.id).status == "done"
    assert queue.call_next(3).value is None
    assert queue.ticket(b.id).status == "done"


def test_emergency_goes_first(queue: Queue, clock: FrozenClock) -> None:
    queue.issue("HT")
    clock.advance(minutes=30)
    queue.issue("HT", "elderly")
    clock.advance(seconds=1)
    emergency = queue.issue("HT", "emergency").value
    assert emergency.ahead == 0
    assert queue.call_next(2).value.id == emergency.id  # type: ignore[union-attr]


def test_counter_only_calls_its_services(queue: Queue) -> None:
    queue.issue("DD")
    assert queue.call_next(3).value is None
    assert queue.call_next(5).value is not None


def test_recall_counts_and_emits_call_again(queue: Queue) -> None:
    queue.issue("CT")
    queue.call_next(3)
    again = queue.recall(3)
    assert again.value.recall_count == 1
    (event,) = again.events
    assert event.name == "ticket_called"
    assert event.payload()["recall"] is True
    assert queue.recall(3).value.recall_count == 2


def test_recall_without_ticket_is_refused(queue: Queue) -> None:
    with pytest.raises(InvalidState):
        queue.recall(3)


def test_call_specific_ticket(queue: Queue) -> None:
    queue.issue("CT")
    wanted = queue.issue("CT").value
    called = queue.call_ticket(3, wanted.id).value
    assert called.id == wanted.id and called.status == "called" and called.counter == 3
    with pytest.raises(InvalidState):
        queue.call_ticket(4, wanted.id)


def test_no_show_then_called_back(queue: Queue) -> None:
    ticket = queue.issue("CT").value
    queue.call_next(3)
    assert queue.no_show(3).value.status == "no_show"
    assert queue.counter(3).current is None
    assert queue.call_ticket(3, ticket.id).value.status == "called"


def test_start_serving_then_finish_learns_service_time(queue: Queue, clock: FrozenClock) -> None:
    queue.issue("CT")
    queue.call_next(3)
    clock.advance(seconds=30)
    assert queue.start_serving(3).value.status == "serving"
    clock.advance(seconds=100)
    assert queue.finish(3).value.status == "done"
    later = [queue.issue("CT").value for _ in range(2)][-1]
    # average moves from 180 toward 100 s: 0.8 × 180 + 0.2 × 100 = 164, two counters.
    assert later.estimated_wait_s == round(1 * 164 / 2)


def test_transfer_keeps_number_and_place(queue: Queue, clock: FrozenClock) -> None:
    early = queue.issue("HT").value
    clock.advance(minutes=5)
    waiting_ct = queue.issue("CT").value
    clock.advance(minutes=5)
    queue.call_next(2)
    moved = queue.transfer(2, "CT").value
    assert moved.number == early.number
    assert moved.service == "CT" and moved.status == "waiting"
    # It was issued before the Chứng thực ticket, so it is called first.
    assert queue.call_next(3).value.id == early.id  # type: ignore[union-attr]
    assert queue.call_next(3).value.id == waiting_ct.id  # type: ignore[union-attr]


def test_transfer_to_named_counter(queue: Queue) -> None:
    ticket = queue.issue("HT").value
    queue.call_next(2)
    queue.transfer(2, "CT", to_counter=4)
    assert queue.call_next(3).value is None
    assert queue.call_next(4).value.id == ticket.id  # type: ignore[union-attr]


def test_pause_and_resume(queue: Queue) -> None:
    assert queue.pause(3).value.status == "paused"
    assert queue.counter(3).status == "paused"
    assert queue.resume(3).value.status == "open"
    queue.pause(3)
    queue.issue("CT")
    queue.call_next(3)  # calling again reopens a paused counter
    assert queue.counter(3).status == "open"


def test_cancel_only_waiting(queue: Queue) -> None:
    ticket = queue.issue("CT").value
    assert queue.cancel(ticket.id).value.status == "cancelled"
    with pytest.raises(InvalidState):
        queue.cancel(ticket.id)
    assert queue.call_next(3).value is None


def test_unknown_things_are_not_found(queue: Queue) -> None:
    with pytest.raises(NotFound):
        queue.issue("NOPE")
    with pytest.raises(NotFound):
        queue.issue("HT", "vip")
    with pytest.raises(NotFound):
        queue.call_next(99)
    with pytest.raises(NotFound):
        queue.ticket(12345)


def test_every_change_is_logged(queue: Queue) -> None:
    ticket = queue.issue("HT").value
    queue.call_next(2)
    queue.recall(2)
    queue.transfer(2, "CT")
    queue.call_next(3)
    queue.finish(3)
    with queue.db.read() as conn:
        rows = conn.execute(
            select(TicketEvent.action, TicketEvent.from_status, TicketEvent.to_status)
            .where(TicketEvent.ticket_id == ticket.id)
            .order_by(TicketEvent.id)
        ).all()
    assert [tuple(r) for r in rows] == [
        ("issue", None, "waiting"),
        ("call", "waiting", "called"),
        ("recall", "called", "called"),
        ("transfer", "called", "waiting"),
        ("call", "waiting", "called"),
        ("finish", "called", "done"),
    ]


def test_snapshot_shape(queue: Queue) -> None:
    queue.issue("HT")
    queue.issue("HT")
    queue.call_next(2)
    snap = queue.snapshot()
    waiting = {s["code"]: s["waiting"] for s in snap["services"]}
    assert waiting["HT"] == 1
    counter2 = next(c for c in snap["counters"] if c["number"] == 2)
    assert counter2["current"]["number"] == "B001"
    assert snap["recent_calls"][0]["number"] == "B001"
    assert snap["recent_calls"][0]["counter"] == 2


def test_waiting_list_in_policy_order(queue: Queue, clock: FrozenClock) -> None:
    normal = queue.issue("HT").value
    clock.advance(minutes=1)
    elderly = queue.issue("HT", "elderly").value
    clock.advance(minutes=3)
    # normal waited 4 min (240), elderly 3 min × 2 (360): elderly first.
    order = [t.id for t in queue.waiting_for_counter(2)]
    assert order == [elderly.id, normal.id]


def test_track_code_finds_ticket(queue: Queue) -> None:
    ticket = queue.issue("HT").value
    queue.issue("HT")
    found = queue.ticket_by_track_code(ticket.track_code)
    assert found.id == ticket.id
    with pytest.raises(NotFound):
        queue.ticket_by_track_code("nope")


def test_tickets_store_utc(queue: Queue, clock: FrozenClock) -> None:
    ticket = queue.issue("HT").value
    with queue.db.read() as conn:
        issued = conn.execute(select(Ticket.issued_at).where(Ticket.id == ticket.id)).scalar_one()
    assert issued == clock.now()


def test_ticket_by_number_finds_todays_ticket(queue: Queue) -> None:
    queue.issue("HT")
    second = queue.issue("HT").value
    queue.call_next(2)
    queue.no_show(2)
    assert queue.ticket_by_number("b002").id == second.id
    assert queue.ticket_by_number("B001").status == "no_show"
    with pytest.raises(NotFound):
        queue.ticket_by_number("B999")


def test_tickets_of_an_earlier_day_are_never_called(queue: Queue, clock: FrozenClock) -> None:
    """docs/priority.md: yesterday's waiting tickets (before ``close_day`` has cancelled
    them) are not called today, however long they have waited, by any kind of call."""
    old = queue.issue("CT").value
    queue.issue("CT", "emergency")
    clock.advance(days=1)
    assert queue.call_next(3).value is None
    today = queue.issue("CT").value
    called = queue.call_next(3).value
    assert called is not None and called.id == today.id
    assert queue.ticket(old.id).status == "waiting"
    assert queue.close_day().value == 2
    assert queue.ticket(old.id).status == "cancelled"
