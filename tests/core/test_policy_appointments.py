"""Property tests of rule 4 of the policy: appointment tickets among walk-ins.

- an appointment ticket is never first before its slot starts unless nobody else waits;
- a walk-in issued before a slot started that has waited past its estimate is not
  overtaken by that slot's appointment;
- with steady calls everybody is called, walk-ins and appointments alike;
- the people-ahead estimate counts the appointments that go first.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from queue_server.core.policy import Candidate, calls_before, choose, next_streak, order

START = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
NOW = START + timedelta(hours=1)
WEIGHTS = (0.0, 0.0, 0.5, 1.0, 1.5)


def _at(seconds: int) -> datetime:
    return START + timedelta(seconds=seconds)


@st.composite
def pools(draw: st.DrawFn, max_size: int = 25) -> list[Candidate]:
    """Walk-ins (some emergencies, some with an estimate) and appointment tickets, some
    due (slot started before NOW) and some held."""
    result = []
    for ticket_id in range(1, draw(st.integers(0, max_size)) + 1):
        issued = _at(draw(st.integers(0, 3600)))
        kind = draw(st.sampled_from(("walk-in", "walk-in", "appointment", "emergency")))
        if kind == "appointment":
            due = _at(draw(st.integers(0, 5400)))
            result.append(Candidate(ticket_id, issued, due_at=due))
            continue
        estimate = draw(st.none() | st.integers(0, 3600))
        result.append(
            Candidate(
                ticket_id,
                issued,
                weight=100.0 if kind == "emergency" else draw(st.sampled_from(WEIGHTS)),
                emergency=kind == "emergency",
                promised_at=None if estimate is None else issued + timedelta(seconds=estimate),
            )
        )
    return result


@given(pools(), st.integers(0, 4))
def test_an_appointment_is_not_called_before_its_slot_unless_nobody_else_waits(
    pool: list[Candidate], streak: int
) -> None:
    ranked = order(pool, NOW, streak=streak, max_streak=3)
    assert sorted(c.ticket_id for c in ranked) == sorted(c.ticket_id for c in pool)
    held = [i for i, c in enumerate(ranked) if c.due_at is not None and c.due_at > NOW]
    others = [i for i, c in enumerate(ranked) if c.due_at is None or c.due_at <= NOW]
    assert not held or not others or max(others) < min(held)
    first = choose(pool, NOW, streak=streak, max_streak=3)
    assert first == (ranked[0] if ranked else None)


@given(pools(), st.integers(0, 4))
def test_a_walk_in_past_its_estimate_is_not_overtaken_by_a_later_slot(
    pool: list[Candidate], streak: int
) -> None:
    ranked = order(pool, NOW, streak=streak, max_streak=3)
    place = {c.ticket_id: i for i, c in enumerate(ranked)}
    for walk_in in pool:
        if walk_in.due_at is not None or walk_in.emergency:
            continue
        for appointment in pool:
            if appointment.is_appointment and walk_in.protected_from(appointment, NOW):
                assert place[walk_in.ticket_id] < place[appointment.ticket_id]


@given(pools(), st.integers(0, 4))
def test_due_appointments_go_earliest_slot_first(pool: list[Candidate], streak: int) -> None:
    ranked = order(pool, NOW, streak=streak, max_streak=3)
    slots = [c.due_at for c in ranked if c.is_appointment]
    due = [s for s in slots if s is not None and s <= NOW]
    assert due == sorted(due)


@st.composite
def days(draw: st.DrawFn) -> list[tuple[int, str, int]]:
    """Arrivals over two hours: (second, kind, slot start second for appointments)."""
    arrivals = []
    for _ in range(draw(st.integers(1, 40))):
        second = draw(st.integers(0, 7200))
        kind = draw(st.sampled_from(("normal", "normal", "elderly", "appointment")))
        slot = (second // 1800 + draw(st.integers(0, 2))) * 1800
        arrivals.append((second, kind, slot))
    return arrivals


@settings(max_examples=40, deadline=None)
@given(days())
def test_nobody_starves_with_steady_calls(arrivals: list[tuple[int, str, int]]) -> None:
    waiting: list[Candidate] = []
    pending = sorted(arrivals)
    streak, called, next_id = 0, 0, 1
    second = 0
    while pending or waiting:
        now = _at(second)
        while pending and pending[0][0] <= second:
            at, kind, slot = pending.pop(0)
            issued = _at(at)
            if kind == "appointment":
                waiting.append(Candidate(next_id, issued, due_at=_at(slot)))
            else:
                weight = 1.0 if kind == "elderly" else 0.0
                promised = issued + timedelta(seconds=180 * len(waiting))
                waiting.append(Candidate(next_id, issued, weight=weight, promised_at=promised))
            next_id += 1
        chosen = choose(waiting, now, streak=streak, max_streak=3)
        if chosen is not None:
            waiting.remove(chosen)
            if chosen.due_at is not None and chosen.due_at > now:
                assert all(c.due_at is not None and c.due_at > now for c in waiting), (
                    "an appointment went before its slot while others waited"
                )
            normal = any(c.is_normal for c in waiting)
            streak = next_streak(chosen, streak=streak, normal_waiting=normal)
            called += 1
        second += 120
        assert second < 7200 + 120 * (len(arrivals) + 2), "somebody was never called"
    assert called == len(arrivals)


def test_worked_example_of_docs_priority_md() -> None:
    """The example in docs/priority.md: at 10:05 local (03:05 UTC)."""
    local = datetime(2026, 11, 23, 3, 5, tzinfo=UTC)
    b010 = Candidate(10, local - timedelta(minutes=35), promised_at=local - timedelta(minutes=5))
    b011 = Candidate(11, local - timedelta(minutes=20), promised_at=local + timedelta(minutes=5))
    b012 = Candidate(
        12, local - timedelta(minutes=10), weight=1.0, promised_at=local + timedelta(minutes=3)
    )
    b013 = Candidate(13, local - timedelta(minutes=25), due_at=local - timedelta(minutes=5))
    b014 = Candidate(14, local - timedelta(minutes=2), due_at=local + timedelta(minutes=25))
    pool = [b010, b011, b012, b013, b014]
    ranked = [c.ticket_id for c in order(pool, local, streak=0, max_streak=3)]
    assert ranked == [10, 13, 11, 12, 14]
    # B011 is told that B010 and the due appointment B013 go first.
    assert calls_before(b011, pool, local, seconds_per_call=180, max_streak=3) == 2
    # With nobody else waiting, the held appointment is called before its slot.
    assert choose([b014], local, streak=0, max_streak=3) == b014
    # An appointment call leaves the streak as it was.
    assert next_streak(b013, streak=2, normal_waiting=True) == 2
