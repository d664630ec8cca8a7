"""Property tests of the pure priority policy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from queue_server.core.policy import Candidate, choose, next_streak, order, score

START = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
WEIGHTS = {"normal": 0.0, "elderly": 1.0, "disabled": 1.5, "minority": 0.5}


@st.composite
def candidates(draw: st.DrawFn, max_size: int = 30) -> list[Candidate]:
    size = draw(st.integers(0, max_size))
    result = []
    for ticket_id in range(1, size + 1):
        emergency = draw(st.integers(0, 9)) == 0
        weight = 100.0 if emergency else WEIGHTS[draw(st.sampled_from(sorted(WEIGHTS)))]
        result.append(
            Candidate(
                ticket_id=ticket_id,
                issued_at=START + timedelta(seconds=draw(st.integers(0, 3600))),
                weight=weight,
                emergency=emergency,
                service_rank=draw(st.integers(0, 2)),
            )
        )
    return result


NOW = START + timedelta(hours=2)


@given(candidates(), st.integers(0, 5))
def test_emergencies_first_and_first_come_first_served(pool: list[Candidate], streak: int) -> None:
    ranked = order(pool, NOW, streak=streak, max_streak=3)
    assert sorted(c.ticket_id for c in ranked) == sorted(c.ticket_id for c in pool)
    flags = [c.emergency for c in ranked]
    assert flags == sorted(flags, reverse=True), "an emergency is behind a non-emergency"
    emergencies = [c.issued_at for c in ranked if c.emergency]
    assert emergencies == sorted(emergencies)


@given(candidates(), st.integers(0, 2))
def test_fcfs_within_one_category_and_service(pool: list[Candidate], streak: int) -> None:
    ranked = order(pool, NOW, streak=streak, max_streak=3)
    groups: dict[tuple[float, int], list[datetime]] = {}
    for c in ranked:
        groups.setdefault((c.weight, c.service_rank), []).append(c.issued_at)
    for times in groups.values():
        assert times == sorted(times)


@given(candidates(), st.integers(3, 6))
def test_limit_prefers_normal_tickets_after_streak(pool: list[Candidate], streak: int) -> None:
    chosen = choose(pool, NOW, streak=streak, max_streak=3)
    non_emergency_normal = [c for c in pool if not c.emergency and not c.is_priority]
    if chosen is None or any(c.emergency for c in pool):
        return
    if non_emergency_normal:
        assert not chosen.is_priority


def simulate(
    arrivals: list[tuple[int, str]], calls_every_s: int, max_streak: int, horizon_s: int
) -> tuple[list[Candidate], dict[int, float], list[bool]]:
    """Replay arrivals and steady calls; return the call order and waits."""
    waiting: list[Candidate] = []
    pending = sorted(arrivals)
    streak = 0
    waits: dict[int, float] = {}
    called_priority_while_normal: list[bool] = []
    next_id = 1
    for second in range(0, horizon_s, calls_every_s):
        now = START + timedelta(seconds=second)
        while pending and pending[0][0] <= second:
            at, kind = pending.pop(0)
            waiting.append(Candidate(next_id, START + timedelta(seconds=at), WEIGHTS[kind]))
            next_id += 1
        chosen = choose(waiting, now, streak=streak, max_streak=max_streak)
        if chosen is None:
            continue
        normal_waiting = any(not c.is_priority for c in waiting if c is not chosen)
        called_priority_while_normal.append(chosen.is_priority and normal_waiting)
        streak = next_streak(chosen, streak=streak, normal_waiting=normal_waiting)
        waiting.remove(chosen)
        waits[chosen.ticket_id] = (now - chosen.issued_at).total_seconds()
    return waiting, waits, called_priority_while_normal


arrival_lists = st.lists(
    st.tuples(st.integers(0, 3000), st.sampled_from(sorted(WEIGHTS))), min_size=1, max_size=60
)


@settings(max_examples=60, deadline=None)
@given(arrival_lists, st.integers(1, 4))
def test_nobody_waits_forever_with_steady_calls(
    arrivals: list[tuple[int, str]], limit: int
) -> None:
    # One call every 30 s; arrivals stop at 3000 s; by 3000 + 61 × 30 s all are served.
    left, waits, _ = simulate(arrivals, 30, limit, 3000 + 61 * 30)
    assert left == []
    assert len(waits) == len(arrivals)


@settings(max_examples=60, deadline=None)
@given(arrival_lists, st.integers(1, 4))
def test_consecutive_priority_limit_holds(arrivals: list[tuple[int, str]], limit: int) -> None:
    _, _, flags = simulate(arrivals, 30, limit, 6000)
    run = 0
    for flag in flags:
        run = run + 1 if flag else 0
        assert run <= limit


def test_aging_lets_priority_overtake_but_not_forever() -> None:
    normal = Candidate(1, START, 0.0)
    elderly = Candidate(2, START + timedelta(minutes=4), 1.0)
    # At +6 min: normal waited 360, elderly 120 × 2 = 240 → normal first.
    assert choose([normal, elderly], START + timedelta(minutes=6), streak=0, max_streak=3) == normal
    # At +10 min: normal 600, elderly 360 × 2 = 720 → elderly first.
    assert (
        choose([normal, elderly], START + timedelta(minutes=10), streak=0, max_streak=3) == elderly
    )


def test_service_order_breaks_ties() -> None:
    a = Candidate(1, START, 0.0, service_rank=1)
    b = Candidate(2, START, 0.0, service_rank=0)
    assert choose([a, b], NOW, streak=0, max_streak=3) == b


def test_streak_rules() -> None:
    emergency = Candidate(1, START, 100.0, emergency=True)
    priority = Candidate(2, START, 1.0)
    normal = Candidate(3, START, 0.0)
    assert next_streak(emergency, streak=2, normal_waiting=True) == 2
    assert next_streak(priority, streak=2, normal_waiting=True) == 3
    assert next_streak(priority, streak=2, normal_waiting=False) == 0
    assert next_streak(normal, streak=2, normal_waiting=True) == 0


@given(candidates(), st.integers(0, 6), st.integers(1, 4))
def test_choose_is_the_head_of_the_order(pool: list[Candidate], streak: int, limit: int) -> None:
    """``choose`` picks in one pass what ``order`` ranks first."""
    now = START + timedelta(hours=2)
    ranked = order(pool, now, streak=streak, max_streak=limit)
    assert choose(pool, now, streak=streak, max_streak=limit) == (ranked[0] if ranked else None)


def test_worked_example_of_docs_priority_md() -> None:
    """The first worked example of docs/priority.md: counter 2 serves Hộ tịch (B, rank 0)
    then Cư trú (K, rank 1); at 09:00 B004 (emergency), B002 (elderly, 2 400), B001 and
    K001 (1 800, tie broken by the counter's service order), B003 (disabled, 1 500)."""
    at = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội

    def issued(hh: int, mm: int) -> datetime:
        return at + timedelta(hours=hh - 9, minutes=mm)

    b001 = Candidate(1, issued(8, 30), 0.0, service_rank=0)
    b002 = Candidate(2, issued(8, 40), 1.0, service_rank=0)
    b003 = Candidate(3, issued(8, 50), 1.5, service_rank=0)
    b004 = Candidate(4, issued(8, 58), 100.0, emergency=True, service_rank=0)
    k001 = Candidate(5, issued(8, 30), 0.0, service_rank=1)
    pool = [k001, b003, b001, b004, b002]
    names = {1: "B001", 2: "B002", 3: "B003", 4: "B004", 5: "K001"}

    def ranked(now: datetime, streak: int) -> list[str]:
        return [names[c.ticket_id] for c in order(pool, now, streak=streak, max_streak=3)]

    assert [score(c, at) for c in (b001, b002, b003, k001)] == [1800, 2400, 1500, 1800]
    assert ranked(at, streak=0) == ["B004", "B002", "B001", "K001", "B003"]
    # After three priority calls in a row: the normal tickets, then the priority ones.
    assert ranked(at, streak=3) == ["B004", "B001", "K001", "B002", "B003"]
    # At 09:10 B003 scores 3 000 against the normal tickets' 2 400 and goes ahead of them.
    later = at + timedelta(minutes=10)
    assert score(b003, later) == 3000 and score(b001, later) == 2400
    assert ranked(later, streak=0) == ["B004", "B002", "B003", "B001", "K001"]
