"""Wait estimates follow the priority policy (issue 13.10).

"An elderly citizen was told '10 people ahead, about 35 minutes' and was called 10
minutes later, second in line": the place and the time now come from the policy's order.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from queue_server.core import policy
from queue_server.core.appointments import Appointments
from queue_server.core.clock import FrozenClock
from queue_server.core.operations import Queue
from queue_server.core.wait_words import wait_minutes

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def _ten_normal_tickets(queue: Queue, clock: FrozenClock) -> None:
    """Ten Hộ tịch tickets, one every 3 minutes (30 … 3 minutes old when done)."""
    for _ in range(10):
        queue.issue("HT")
        clock.advance(minutes=3)


def test_an_elderly_citizen_is_told_the_place_the_policy_gives(
    queue: Queue, clock: FrozenClock
) -> None:
    _ten_normal_tickets(queue, clock)
    elderly = queue.issue("HT", "elderly").value
    # Hộ tịch: 420 s at counters 2 and 4, so a call every 210 s. Weight 1 ages twice as
    # fast: the k-th call (k × 210 s from now) goes to the elderly citizen once
    # 2·k·210 > waited_i + k·210, i.e. k·210 > waited_i of the oldest normal one left.
    assert elderly.ahead == 5
    assert elderly.estimated_wait_s == 5 * 210
    # And the counters do call it sixth, calling as the estimate assumes.
    called = []
    for turn in range(11):
        ticket = queue.call_next((2, 4)[turn % 2]).value
        assert ticket is not None
        called.append(ticket.id)
        clock.advance(seconds=210)
    assert called.index(elderly.id) == elderly.ahead


def test_a_normal_ticket_counts_the_priority_tickets_that_overtake_it(
    queue: Queue, clock: FrozenClock
) -> None:
    normal = queue.issue("HT").value
    clock.advance(seconds=60)
    queue.issue("HT", "elderly")
    clock.advance(seconds=140)  # normal waited 200 s (score 200), elderly 140 s (score 280)
    assert queue.ticket(normal.id).ahead == 1
    assert queue.ticket(normal.id).estimated_wait_s == 210


def test_the_tracking_estimate_is_from_now(queue: Queue, clock: FrozenClock) -> None:
    tickets = [queue.issue("CT").value for _ in range(3)]
    last = tickets[-1]
    assert last.ahead == 2
    assert queue.ticket_by_track_code(last.track_code).estimated_wait_s == last.estimated_wait_s
    queue.call_next(3)
    clock.advance(minutes=2)
    now = queue.ticket_by_track_code(last.track_code)
    assert now.ahead == 1
    assert last.estimated_wait_s is not None
    assert now.estimated_wait_s == last.estimated_wait_s // 2


def test_emergencies_count_only_earlier_emergencies(queue: Queue, clock: FrozenClock) -> None:
    queue.issue("HT")
    first = queue.issue("HT", "emergency").value
    clock.advance(seconds=30)
    second = queue.issue("HT", "emergency").value
    assert (first.ahead, second.ahead) == (0, 1)
    assert queue.ticket(second.id).ahead == 1
    assert queue.ticket(first.id).ahead == 0


def test_calls_before_is_first_come_first_served_without_priorities() -> None:
    waiting = [policy.Candidate(n, T0 + timedelta(seconds=n)) for n in range(1, 6)]
    target = waiting[3]
    assert policy.calls_before(target, waiting, T0, seconds_per_call=60, max_streak=3) == 3


def test_calls_before_keeps_the_streak_rule() -> None:
    """After ``max_streak`` priority calls a waiting normal ticket goes next."""
    now = T0 + timedelta(hours=1)
    normal = policy.Candidate(1, T0)
    elders = [policy.Candidate(n, T0 + timedelta(minutes=1), weight=5.0) for n in range(2, 6)]
    # Without the rule the last elder would be 3rd; the normal ticket cuts in after 2.
    assert policy.calls_before(elders[-1], [normal, *elders], now, seconds_per_call=60,
                               max_streak=2) == 4  # fmt: skip
    assert policy.calls_before(normal, [normal, *elders], now, seconds_per_call=60,
                               max_streak=2) == 2  # fmt: skip


@pytest.mark.parametrize(
    ("seconds", "ahead", "minutes"),
    [(None, 3, None), (0, 0, None), (420, 0, None), (30, 1, 1), (60, 1, 1), (61, 1, 2)],
)
def test_one_rule_for_the_minutes(seconds: int | None, ahead: int, minutes: int | None) -> None:
    assert wait_minutes(seconds, ahead) == minutes


def test_calls_before_in_a_long_queue_counts_past_the_replay() -> None:
    """Past ``MAX_REPLAY`` simulated calls the order at that time counts (one sort)."""
    size = policy.MAX_REPLAY * 3
    elders = [
        policy.Candidate(n, T0 + timedelta(seconds=n), weight=1.0) for n in range(1, size + 1)
    ]
    now = T0 + timedelta(hours=1)
    assert policy.calls_before(elders[-1], elders, now, seconds_per_call=60, max_streak=3) == (
        size - 1
    )
    middle = elders[size // 2]
    assert policy.calls_before(middle, elders, now, seconds_per_call=60, max_streak=3) == size // 2


def test_people_ahead_are_the_services_own_tickets(queue: Queue, clock: FrozenClock) -> None:
    """docs/priority.md: tickets of another service sharing the counter are not counted;
    a ticket transferred to a named counter of the same service is, like any other."""
    queue.issue("CTR")  # Cư trú: also served by counter 2, another service
    sent = queue.issue("CT").value
    assert queue.call_next(3).value.id == sent.id  # type: ignore[union-attr]
    queue.transfer(3, "HT", to_counter=4)  # waits for Hộ tịch at counter 4 only
    clock.advance(seconds=5)
    issued = queue.issue("HT").value
    assert issued.ahead == 1
    assert queue.ticket(issued.id).ahead == 1


def test_a_held_appointment_is_not_ahead_of_a_walk_in_issued_before_its_slot(
    queue: Queue, clock: FrozenClock
) -> None:
    """docs/priority.md: an appointment's ticket held for a later slot is called after a
    walk-in issued now, so the walk-in's count at issue (kiosk, printed ticket) leaves
    it out, as the tracking page does; an ordinary walk-in after it counts the first."""
    booked = Appointments(queue).book("HT", clock.now() + timedelta(hours=1), channel="kiosk")
    Appointments(queue).check_in(booked.value.code)
    walk_in = queue.issue("HT").value
    assert walk_in.ahead == 0
    assert queue.ticket(walk_in.id).ahead == 0
    clock.advance(seconds=5)
    second = queue.issue("HT").value
    assert second.ahead == 1 == queue.ticket(second.id).ahead
    assert queue.call_next(2).value.id == walk_in.id  # type: ignore[union-attr]
