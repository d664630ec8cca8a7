"""The place read by groups (core/estimate_groups.py, issue #19) is ``calls_before``
over the whole waiting list, on real queues: random queues of the demo categories
(weights 0.5, 1.0 ×3 and 1.5, emergencies), frozen-clock ties, groups far longer than
the replay's heads, every priority-streak limit from 1 to 4, a ticket being issued and
every waiting ticket as the target; appointments take the whole-queue path."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import Connection, update

from queue_server.core import estimate_sql, policy
from queue_server.core.clock import FrozenClock, local_day
from queue_server.core.estimate_groups import PlaceQuestion, emergency_groups, place_by_groups
from queue_server.core.estimates import (
    NEW_TICKET_ID,
    WAITING_FOR_SERVICE,
    candidate_of,
    estimate_place,
    whole_queue_place,
)
from queue_server.core.models import Ticket
from queue_server.core.operations import Queue

WALK_INS = ["elderly", "disabled", "pregnant_child", "merit", "ethnic_minority", "poor_household"]
PER_CALL = (0.0, 7.0, 95.0, 210.0, 1000.0)  # 0: the clock of the replay never moves


def _compare(queue: Queue, service: str, rng: random.Random, *, targets: int = 12) -> int:
    """Check the grouped place of a new ticket of each category and of ``targets`` waiting
    tickets, at random replay speeds and streak limits; returns the checks made."""
    catalogue = queue.catalogue
    service_id = queue.service_info(service).id
    now = queue.clock.now()
    day = local_day(now, queue.options.zone)
    checks = 0
    with queue.db.read() as conn:
        facts = conn.execute(
            estimate_sql.facts(emergency_groups(catalogue)), {"service_id": service_id, "day": day}
        ).one()
        rows = conn.execute(WAITING_FOR_SERVICE, {"service_id": service_id, "day": day}).all()
        new = [
            policy.Candidate(NEW_TICKET_ID, now, weight=c.weight, emergency=c.emergency)
            for c in catalogue.categories.values()
        ]
        existing = [
            candidate_of(catalogue, row) for row in rng.sample(rows, min(targets, len(rows)))
        ]
        for target in [policy.Candidate(NEW_TICKET_ID, now), *new, *existing]:
            for _ in range(2):
                checks += _check(conn, queue, facts, service_id, target, rng)
    return checks


def _check(conn: Connection, queue: Queue, facts: object, service_id: int,
           target: policy.Candidate, rng: random.Random) -> int:  # fmt: skip
    now = queue.clock.now()
    args = {
        "service_id": service_id,
        "day": local_day(now, queue.options.zone),
        "target": target,
        "now": now,
        "seconds_per_call": rng.choice(PER_CALL),
        "max_streak": rng.randint(1, 4),
    }
    question = PlaceQuestion(**args)  # type: ignore[arg-type]
    grouped = place_by_groups(conn, queue.catalogue, facts, question)
    expected = whole_queue_place(conn, queue.catalogue, question)
    assert grouped is not None, "no appointment waits: the groups must answer"
    assert grouped == expected, (target, args)
    return 1


def _fill(queue: Queue, clock: FrozenClock, rng: random.Random, service: str, count: int,
          *, frozen: float, emergencies: float, mix: list[str | None]) -> None:  # fmt: skip
    """``count`` tickets for ``service``; a ``frozen`` share issued at the same instant as
    the one before; some calls in between (counters 2 and 4 serve Hộ tịch)."""
    for _ in range(count):
        category = "emergency" if rng.random() < emergencies else rng.choice(mix)
        queue.issue(service, category)
        if rng.random() >= frozen:
            clock.advance(seconds=rng.choice([1, 2, 5, 30, 120, 600, rng.random() * 100]))
        if rng.random() < 0.05:
            queue.call_next(rng.choice([2, 4]))


def test_a_long_queue_with_every_category(queue: Queue, clock: FrozenClock) -> None:
    rng = random.Random(1)
    _fill(queue, clock, rng, "HT", 150, frozen=0.3, emergencies=0.03,
          mix=[None, None, None, *WALK_INS])  # fmt: skip
    checks = _compare(queue, "HT", rng, targets=25)
    clock.advance(minutes=17)  # everyone has waited: other scores, the same tickets
    checks += _compare(queue, "HT", rng, targets=25)
    assert checks > 100


def test_a_frozen_clock_ties_everyone(queue: Queue, clock: FrozenClock) -> None:
    """Groups of 20 and more issued in one instant: scores, issue times tie; ids decide."""
    rng = random.Random(2)
    _fill(queue, clock, rng, "HT", 90, frozen=1.0, emergencies=0.05,
          mix=[None, "elderly", "merit", "ethnic_minority"])  # fmt: skip
    _compare(queue, "HT", rng, targets=30)
    clock.advance(seconds=1)
    _compare(queue, "HT", rng, targets=30)


def test_equal_weights_and_streak_limits(queue: Queue, clock: FrozenClock) -> None:
    """Three categories of weight 1.0 and many priority tickets: the streak rule counts."""
    rng = random.Random(3)
    for seed in range(4):
        _fill(queue, clock, rng, "HT", 40, frozen=0.5, emergencies=0.0,
              mix=[None, "elderly", "pregnant_child", "merit", "disabled"])  # fmt: skip
        clock.advance(seconds=rng.randint(0, 900))
        _compare(queue, "HT", random.Random(seed), targets=15)


def test_normal_tickets_only_and_emergencies(queue: Queue, clock: FrozenClock) -> None:
    """First come first served (calls_before's shortcut), with emergencies among them."""
    rng = random.Random(4)
    _fill(queue, clock, rng, "CT", 40, frozen=0.4, emergencies=0.15, mix=[None])
    _compare(queue, "CT", rng, targets=20)
    _fill(queue, clock, rng, "CT", 3, frozen=0.0, emergencies=0.0, mix=["poor_household"])
    _compare(queue, "CT", rng, targets=20)


def test_many_seeds_short_queues(queue: Queue, clock: FrozenClock) -> None:
    """Short queues of every shape, one service a day: empty groups, lone tickets."""
    for seed in range(12):
        rng = random.Random(100 + seed)
        clock.advance(days=1)
        _fill(queue, clock, rng, "HT", rng.randint(0, 30), frozen=rng.random(),
              emergencies=rng.choice([0.0, 0.1, 0.4]),
              mix=rng.sample([None, None, *WALK_INS], rng.randint(1, 5)))  # fmt: skip
        _compare(queue, "HT", rng, targets=8)


def test_a_clock_set_back_leaves_tickets_in_the_future(queue: Queue, clock: FrozenClock) -> None:
    """Tickets issued after ``now`` (the clock was set back) have not waited: score 0."""
    rng = random.Random(7)
    _fill(queue, clock, rng, "HT", 60, frozen=0.5, emergencies=0.05, mix=[None, *WALK_INS])
    clock.advance(minutes=-20)
    _fill(queue, clock, rng, "HT", 20, frozen=0.5, emergencies=0.05, mix=[None, *WALK_INS])
    clock.advance(minutes=-30)
    _compare(queue, "HT", rng, targets=40)


def _grouped_and_estimated(queue: Queue, target: policy.Candidate) -> tuple[int | None, int, int]:
    """Hộ tịch now: the place by groups (None: it cannot tell), ``estimate_place``'s and
    ``calls_before``'s over the whole queue (the demo's streak limit, its call rate)."""
    service_id = queue.service_info("HT").id
    now = queue.clock.now()
    day = local_day(now, queue.options.zone)
    with queue.db.read() as conn:
        facts = conn.execute(
            estimate_sql.facts(emergency_groups(queue.catalogue)),
            {"service_id": service_id, "day": day},
        ).one()
        per_call = float(facts.service_s) / max(1, int(facts.open_counters))
        question = PlaceQuestion(service_id, day, target, now, per_call, max_streak=3)
        grouped = place_by_groups(conn, queue.catalogue, facts, question)
        estimate = estimate_place(conn, queue.catalogue, service_id=service_id, day=day,
                                  target=target, now=now, max_streak=3)  # fmt: skip
        expected = whole_queue_place(conn, queue.catalogue, question)
    return grouped, estimate.ahead, expected


def test_appointments_take_the_whole_queue(queue: Queue, clock: FrozenClock) -> None:
    rng = random.Random(5)
    _fill(queue, clock, rng, "HT", 30, frozen=0.3, emergencies=0.05, mix=[None, *WALK_INS])
    now = clock.now()
    elderly = policy.Candidate(
        NEW_TICKET_ID, now, weight=queue.catalogue.categories["elderly"].weight
    )
    appointment = policy.Candidate(NEW_TICKET_ID, now, due_at=now + timedelta(minutes=5))
    grouped, estimated, expected = _grouped_and_estimated(queue, elderly)
    assert grouped == estimated == expected
    grouped, estimated, expected = _grouped_and_estimated(queue, appointment)
    assert grouped is None and estimated == expected
    queue.issue("HT", due_at=now - timedelta(minutes=10))  # a due appointment waits now
    clock.advance(minutes=3)
    _fill(queue, clock, rng, "HT", 10, frozen=0.3, emergencies=0.0, mix=[None, "elderly"])
    elderly = replace(elderly, issued_at=clock.now())
    grouped, estimated, expected = _grouped_and_estimated(queue, elderly)
    assert grouped is None and estimated == expected


def test_an_emergency_flag_against_its_category_reads_the_whole_queue(
    queue: Queue, clock: FrozenClock
) -> None:
    """A ticket whose ``emergency`` disagrees with its category (the category changed
    while it waited) would break the groups: the whole queue is read instead."""
    rng = random.Random(6)
    _fill(queue, clock, rng, "HT", 20, frozen=0.3, emergencies=0.0, mix=[None, "elderly"])
    ticket = queue.issue("HT", "disabled").value
    with queue.db.write() as conn:
        conn.execute(update(Ticket).where(Ticket.id == ticket.id).values(emergency=True))
    clock.advance(seconds=30)
    target = policy.Candidate(NEW_TICKET_ID, clock.now(), weight=1.0)
    grouped, estimated, expected = _grouped_and_estimated(queue, target)
    assert grouped is None and estimated == expected
