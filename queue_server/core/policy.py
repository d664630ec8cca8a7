"""The call-next priority policy: a pure function, explained in docs/priority.md.

1. Emergency tickets always go first, first come first served among them.
2. Everyone else is ordered by ``waited_seconds × (1 + weight)`` (aging): priority
   categories age faster, so they move ahead, but a normal ticket's score keeps
   growing too, so nobody waits forever. Ties go to the earlier issue time, then to
   the counter's preferred service (its configured order), then to the lower id.
3. A counter makes at most ``max_streak`` consecutive priority calls while normal
   tickets wait; after that the best normal ticket goes next.
4. Appointment tickets (``due_at``: the slot's start; rule 5 of docs/priority.md) are
   placed into that order: not before their slot starts unless nobody else waits, and
   once due right after the last walk-in protected from them (one issued before the
   slot started that has waited past the estimate it was given, ``promised_at``).
   Among themselves, earliest slot first. They do not count in the priority streak.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class Candidate:
    """What the policy needs to know about a waiting ticket."""

    ticket_id: int
    issued_at: datetime
    weight: float = 0.0
    emergency: bool = False
    service_rank: int = 0
    due_at: datetime | None = None  # an appointment ticket: its slot's start
    promised_at: datetime | None = None  # a walk-in: issue time + its estimated wait

    @property
    def is_appointment(self) -> bool:
        """A non-emergency ticket of an appointment (placed by its slot, rule 4)."""
        return self.due_at is not None and not self.emergency

    @property
    def is_priority(self) -> bool:
        """A non-emergency walk-in of a category with a positive weight."""
        return not self.emergency and self.weight > 0 and self.due_at is None

    @property
    def is_normal(self) -> bool:
        """A walk-in without a priority weight (what the streak rule protects)."""
        return not self.emergency and self.weight <= 0 and self.due_at is None

    def protected_from(self, appointment: Candidate, now: datetime) -> bool:
        """A walk-in an appointment does not overtake: issued before the slot started
        and past its estimate (no estimate: from its issue)."""
        assert appointment.due_at is not None
        promised = self.promised_at or self.issued_at
        return self.issued_at < appointment.due_at and now >= promised


def score(candidate: Candidate, now: datetime) -> float:
    """Aging score: seconds waited times ``1 + weight`` (never negative)."""
    waited = max(0.0, (now - candidate.issued_at).total_seconds())
    return waited * (1.0 + candidate.weight)


def order(
    candidates: Sequence[Candidate], now: datetime, *, streak: int, max_streak: int
) -> list[Candidate]:
    """All candidates in the order a counter should call them."""
    emergencies = sorted(
        (c for c in candidates if c.emergency),
        key=lambda c: (c.issued_at, c.service_rank, c.ticket_id),
    )

    def by_score(c: Candidate) -> tuple[float, datetime, int, int]:
        return (-score(c, now), c.issued_at, c.service_rank, c.ticket_id)

    walk_ins = sorted((c for c in candidates if not c.emergency and c.due_at is None), key=by_score)
    if streak >= max_streak and any(not c.is_priority for c in walk_ins):
        normal = [c for c in walk_ins if not c.is_priority]
        priority = [c for c in walk_ins if c.is_priority]
        walk_ins = normal + priority
    appointments = sorted((c for c in candidates if c.is_appointment), key=_by_slot)
    due = [c for c in appointments if c.due_at is not None and c.due_at <= now]
    held = [c for c in appointments if c.due_at is not None and c.due_at > now]
    return emergencies + _place_due(walk_ins, due, now) + held


def _by_slot(c: Candidate) -> tuple[datetime, datetime, int, int]:
    assert c.due_at is not None
    return (c.due_at, c.issued_at, c.service_rank, c.ticket_id)


def _place_due(walk_ins: list[Candidate], due: list[Candidate], now: datetime) -> list[Candidate]:
    """Walk-ins in their order with each due appointment (earliest slot first) put right
    after the last walk-in protected from it, and after the appointments before it."""
    merged = list(walk_ins)
    earliest = 0
    for appointment in due:
        after = max(
            (
                i + 1
                for i, c in enumerate(merged)
                if c.due_at is None and c.protected_from(appointment, now)
            ),
            default=0,
        )
        at = max(after, earliest)
        merged.insert(at, appointment)
        earliest = at + 1
    return merged


def choose(
    candidates: Sequence[Candidate], now: datetime, *, streak: int, max_streak: int
) -> Candidate | None:
    """The ticket to call next, or ``None`` when nobody waits: ``order(…)[0]`` without
    sorting everyone (one pass)."""
    emergencies = [c for c in candidates if c.emergency]
    if emergencies:
        return min(emergencies, key=lambda c: (c.issued_at, c.service_rank, c.ticket_id))
    if any(c.due_at is not None for c in candidates):  # rule 4 needs the whole order
        ranked = order(candidates, now, streak=streak, max_streak=max_streak)
        return ranked[0] if ranked else None
    pool: Sequence[Candidate] = candidates
    if streak >= max_streak:
        pool = [c for c in candidates if not c.is_priority] or candidates
    if not pool:
        return None
    return min(pool, key=lambda c: (-score(c, now), c.issued_at, c.service_rank, c.ticket_id))


def next_streak(chosen: Candidate, *, streak: int, normal_waiting: bool) -> int:
    """The counter's consecutive-priority count after calling ``chosen``.

    Emergencies and appointments leave it unchanged; a priority call counts only while
    normal tickets wait; a normal call resets it.
    """
    if chosen.emergency or chosen.is_appointment:
        return streak
    if chosen.is_priority and normal_waiting:
        return streak + 1
    return 0


MAX_REPLAY = 10  # simulated calls at most; beyond, the order at that time counts


def calls_before(
    target: Candidate,
    waiting: Sequence[Candidate],
    now: datetime,
    *,
    seconds_per_call: float,
    max_streak: int,
) -> int:
    """How many of ``waiting`` the policy calls before ``target`` (people ahead of it).

    The service's counters are taken as one that calls every ``seconds_per_call``
    seconds, with no priority streak yet; the order is re-ranked at each simulated
    call, so a priority ticket overtakes the normal tickets its aging catches up with
    before their turn, and a normal ticket counts the priority tickets that overtake it.
    Past ``MAX_REPLAY`` simulated calls the rest is counted from the order at that time,
    so a long queue costs one sort instead of a replay per person.
    """
    remaining = [c for c in waiting if c.ticket_id != target.ticket_id]
    remaining.append(target)
    step = timedelta(seconds=max(0.0, seconds_per_call))
    streak = 0
    at = now
    for ahead in range(len(remaining)):
        if all(c.is_normal or c.emergency for c in remaining):  # first come first served
            return ahead + sum(_first_come_before(c, target) for c in remaining)
        if ahead >= MAX_REPLAY:  # far back in a long queue: the order at that time
            ranked = order(remaining, at, streak=streak, max_streak=max_streak)
            return ahead + next(i for i, c in enumerate(ranked) if c.ticket_id == target.ticket_id)
        chosen = choose(remaining, at, streak=streak, max_streak=max_streak)
        assert chosen is not None  # the target is still there
        if chosen.ticket_id == target.ticket_id:
            return ahead
        remaining.remove(chosen)
        normal_waiting = any(c.is_normal for c in remaining)
        streak = next_streak(chosen, streak=streak, normal_waiting=normal_waiting)
        at += step
    return len(remaining) - 1


def _first_come_before(candidate: Candidate, target: Candidate) -> bool:
    """Among tickets without a priority weight: called before ``target``?"""
    if candidate.ticket_id == target.ticket_id:
        return False
    if candidate.emergency != target.emergency:
        return candidate.emergency
    key = (candidate.issued_at, candidate.service_rank, candidate.ticket_id)
    return key < (target.issued_at, target.service_rank, target.ticket_id)
