"""People ahead of a ticket without reading the whole queue (issue #19).

:func:`place_by_groups` gives what :func:`queue_server.core.policy.calls_before` gives
over every waiting ticket of the service, reading a few rows and counts instead:

- Within a *group* (the walk-in tickets of one category, or of none) the policy is first
  come first served: its key ``(-score, issued_at, service_rank, ticket_id)`` grows along
  (issued_at, id), as every ticket of a group ages at the same rate. So the replayed
  calls (at most ``MAX_REPLAY``) only take group heads: the first ``MAX_REPLAY + 1``
  tickets of each group are all the replay needs. Emergencies go first, in any order
  (all of them are ahead of a walk-in), so only their number counts.
- After the replay, the tickets of a group ahead of the target in the policy's order
  form a prefix of the group: at the time ``at`` reached, those whose score beats the
  target's, ``issued_at < at - S_T / (1 + weight)``, counted in SQL on the queue index
  (``estimate_sql.counts``). Tickets within 2 µs of that edge are read and judged by the
  policy's own key, so float rounding never moves the count. The group's heads the
  replay took are a prefix too, hence ``max(0, before - taken)``.

It answers ``None`` (read the whole queue then) when an appointment ticket waits or the
target is one (rule 4 places them against every walk-in), and when a ticket's
``emergency`` column disagrees with its category (the groups would not hold).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from queue_server.core import estimate_sql as esql
from queue_server.core import policy
from queue_server.core.catalogue import Catalogue
from queue_server.core.fastsql import execute as fast

SURE = timedelta(microseconds=2)  # past this distance from the edge a count is certain
NOWHERE = datetime(1900, 1, 1, tzinfo=UTC)  # bounds of a group not counted: no ticket
EVERYWHERE = datetime(9999, 1, 1, tzinfo=UTC)  # "issued before" this: the whole group

Judge = Callable[[int, int, datetime], bool]  # (group index, ticket id, issued_at) ahead?


@dataclass(slots=True)
class _Group:
    """A walk-in group: its index in the statements, weight and first tickets."""

    index: int
    weight: float
    heads: list[policy.Candidate]
    taken: int = 0  # heads the replay called

    @property
    def left(self) -> bool:
        return self.taken < len(self.heads)

    @property
    def normal(self) -> bool:
        return self.weight <= 0


@dataclass(slots=True)
class _Walk:
    """The replay's state, as in ``calls_before``."""

    at: datetime
    emergencies: int  # emergencies still waiting
    ahead: int = 0
    streak: int = 0


@dataclass(frozen=True, slots=True)
class _Ask:
    """What the counts are for: one service's day, the groups, the target."""

    conn: Connection
    groups: tuple[esql.Group, ...]
    params: dict[str, Any]


def key(candidate: policy.Candidate, at: datetime) -> tuple[float, datetime, int, int]:
    """The policy's order among walk-ins (``policy.choose``, ``policy.order``)."""
    return (-policy.score(candidate, at), candidate.issued_at, candidate.service_rank,
            candidate.ticket_id)  # fmt: skip


def emergency_groups(catalogue: Catalogue) -> tuple[int, ...]:
    """The ids of the emergency categories."""
    ids = catalogue.category_ids
    return tuple(i for i in ids if catalogue.category_by_id(i).emergency)


@dataclass(frozen=True, slots=True)
class PlaceQuestion:
    """Where ``target`` stands among one service's waiting tickets of ``day`` at ``now``,
    the service calling every ``seconds_per_call`` with ``max_streak`` (the policy's)."""

    service_id: int
    day: date
    target: policy.Candidate
    now: datetime
    seconds_per_call: float
    max_streak: int


def place_by_groups(
    conn: Connection, catalogue: Catalogue, facts: Any, question: PlaceQuestion
) -> int | None:
    """``calls_before(target, waiting, now, …)`` over the service's waiting tickets, or
    None when the groups cannot tell (``facts``: a row of ``estimate_sql.facts``)."""
    service_id, day, target = question.service_id, question.day, question.target
    now, seconds_per_call, max_streak = question.now, question.seconds_per_call, question.max_streak
    if target.due_at is not None or facts.appointments:
        return None
    if not int(facts.in_emergency_groups) == int(facts.flagged) == int(facts.emergencies):
        return None
    ask = _Ask(
        conn,
        (None, *catalogue.category_ids),
        {"service_id": service_id, "day": day, "target_id": _stored_id(target)},
    )
    if target.emergency:  # first come first served among emergencies
        return _emergencies_before(ask, emergency_groups(catalogue), target)
    walk = _Walk(at=now, emergencies=int(facts.emergencies))
    groups = _heads(ask, catalogue, walk.emergencies)
    step = timedelta(seconds=max(0.0, seconds_per_call))
    called = _replay(target, groups, walk, step, max_streak)
    if called is not None:
        return called
    return walk.ahead + walk.emergencies + _walk_ins_before(ask, target, groups, walk, max_streak)


def _stored_id(target: policy.Candidate) -> int:
    """The target's id as the statements leave it out: a ticket being issued
    (``estimates.NEW_TICKET_ID``, past PostgreSQL's integer) has none yet, and no row
    has id 0."""
    return 0 if target.ticket_id == sys.maxsize else target.ticket_id


def _emergencies_before(ask: _Ask, ids: tuple[int, ...], target: policy.Candidate) -> int:
    """Emergencies called before an emergency ``target``: the earlier ones."""
    indexes = [ask.groups.index(i) for i in ids]
    bounds = {i: (target.issued_at, target.issued_at) for i in indexes}
    mine = (target.issued_at, target.service_rank, target.ticket_id)
    counted = _count(ask, bounds, lambda _g, tid, issued: (issued, 0, tid) < mine)
    return sum(counted.values())


def _heads(ask: _Ask, catalogue: Catalogue, emergencies: int) -> list[_Group]:
    """The walk-in groups with the tickets the replay may call: one call at most per
    step, and the emergencies' calls take steps too."""
    groups = [
        _Group(index, catalogue.category_by_id(g).weight if g is not None else 0.0, [])
        for index, g in enumerate(ask.groups)
        if g is None or not catalogue.category_by_id(g).emergency
    ]
    by_id = {ask.groups[g.index]: g for g in groups}
    per_group = policy.MAX_REPLAY + 1 - min(emergencies, policy.MAX_REPLAY)
    statement = esql.heads(tuple(ask.groups[g.index] for g in groups))
    for row in fast(ask.conn, statement, {**ask.params, "per_group": per_group}):
        group = by_id[row.priority_id]
        group.heads.append(policy.Candidate(row.id, row.issued_at, weight=group.weight))
    return groups


def _first_come(target: policy.Candidate, groups: Sequence[_Group]) -> bool:
    """``calls_before``'s shortcut: everyone left is normal or an emergency."""
    return not target.is_priority and not any(g.left and not g.normal for g in groups)


def _replay(
    target: policy.Candidate,
    groups: list[_Group],
    walk: _Walk,
    step: timedelta,
    max_streak: int,
) -> int | None:
    """The calls ``calls_before`` simulates: people ahead if the target is called in
    them, else None with ``walk`` where the simulation stops."""
    while not _first_come(target, groups) and walk.ahead < policy.MAX_REPLAY:
        if walk.emergencies:  # the earliest emergency; the streak stays
            walk.emergencies -= 1
        else:
            pool: list[tuple[policy.Candidate, _Group | None]] = [
                (g.heads[g.taken], g) for g in groups if g.left
            ]
            pool.append((target, None))
            if walk.streak >= max_streak:
                pool = [p for p in pool if not p[0].is_priority] or pool
            chosen, group = min(pool, key=lambda p: key(p[0], walk.at))
            if group is None:
                return walk.ahead
            group.taken += 1
            normal_waiting = target.is_normal or any(g.left and g.normal for g in groups)
            walk.streak = policy.next_streak(
                chosen, streak=walk.streak, normal_waiting=normal_waiting
            )
        walk.ahead += 1
        walk.at += step
    return None


def _walk_ins_before(
    ask: _Ask, target: policy.Candidate, groups: list[_Group], walk: _Walk, max_streak: int
) -> int:
    """Walk-ins still waiting that the order at ``walk.at`` puts before the target."""
    bounds: dict[int, tuple[datetime, datetime]] = {}
    judge: Judge
    if _first_come(target, groups):  # normal tickets, first come first served
        mine = (target.issued_at, target.service_rank, target.ticket_id)
        for g in groups:
            if g.normal:
                bounds[g.index] = (target.issued_at, target.issued_at)
        judge = lambda _g, tid, issued: (issued, 0, tid) < mine  # noqa: E731
    else:
        weights = {g.index: g.weight for g in groups}
        mine_key = key(target, walk.at)
        for g in groups:
            bounds[g.index] = _score_bounds(target, walk.at, g.weight)
        normals_first = walk.streak >= max_streak and (
            target.is_normal or any(g.left and g.normal for g in groups)
        )
        if normals_first:  # policy.order's streak rule: every normal, then priority
            for g in groups:
                if g.normal != target.is_normal:
                    bounds[g.index] = (EVERYWHERE, EVERYWHERE) if g.normal else (NOWHERE, NOWHERE)

        def judge(g: int, tid: int, issued: datetime) -> bool:
            return key(policy.Candidate(tid, issued, weight=weights[g]), walk.at) < mine_key

    counted = _count(ask, bounds, judge)
    return sum(max(0, counted.get(g.index, 0) - g.taken) for g in groups)


def _score_bounds(
    target: policy.Candidate, at: datetime, weight: float
) -> tuple[datetime, datetime]:
    """Issue times of a group of ``weight``: before the first, everyone is ahead of the
    target at ``at``; after the second, no one; in between, the policy's key tells."""
    beaten = policy.score(target, at)
    if beaten > 0:
        edge = at - timedelta(seconds=beaten / (1.0 + weight))
        return edge - SURE, edge + SURE
    # The target has not waited yet: everyone who has is ahead, the rest by issue time.
    return at - SURE, max(target.issued_at, at) + SURE


def _count(ask: _Ask, bounds: dict[int, tuple[datetime, datetime]], judge: Judge) -> dict[int, int]:
    """Per group index in ``bounds``: its tickets issued before the first bound, plus
    those between the two bounds that ``judge`` puts ahead."""
    params = dict(ask.params)
    for index in range(len(ask.groups)):
        lo, hi = bounds.get(index, (NOWHERE, NOWHERE))
        params[f"lo_{index}"], params[f"hi_{index}"] = lo, hi
    row = fast(ask.conn, esql.counts(ask.groups), params).one()
    counted = {index: int(row[2 * index]) for index in bounds}
    if any(int(row[2 * index + 1]) for index in bounds):
        for near in fast(ask.conn, esql.near(ask.groups), params):
            if near.g in bounds and judge(near.g, near.id, near.issued_at):
                counted[near.g] += 1
    return counted
