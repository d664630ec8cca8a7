"""Commands of a counter's calling: call next, call a given ticket, recall, pause, resume."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, select, update
from sqlalchemy.engine import Row

from queue_server.core import eventlog, policy
from queue_server.core import statements as sql
from queue_server.core.catalogue import CounterInfo
from queue_server.core.clock import local_day
from queue_server.core.context import Outcome, QueueContext
from queue_server.core.errors import InvalidState, NotAllowed
from queue_server.core.events import (
    CounterChanged,
    CounterView,
    DomainEvent,
    QueueChanged,
    TicketCalled,
    TicketView,
)
from queue_server.core.fastsql import execute as fast
from queue_server.core.models import Counter, CounterStatus, Ticket, TicketStatus
from queue_server.core.queries import candidates, read_counter_view, read_ticket_view, ticket_row
from queue_server.core.transitions import current_row, finish_current, lock_counter, queue_events
from queue_server.core.views import counter_view, status_label, ticket_view
from queue_server.i18n import _

CLAIM_PER_GROUP = 16  # oldest tickets per (service, category) group read per round
# SQLite serialises writers, so the policy's first ticket is always free to claim. Within
# a walk-in group the policy is first come first served, so that ticket is one of the
# groups' heads, and the heads also tell whether a normal ticket waits (the streak
# rule). Due appointments are placed against every walk-in read: then the usual
# CLAIM_PER_GROUP are read, as on PostgreSQL.
HEADS_PER_GROUP = 1
CLAIM_ROUNDS = 50  # rounds of reading candidates while other counters take them


def call_next(
    ctx: QueueContext,
    counter_number: int,
    *,
    actor: str | None = None,
    officer_id: int | None = None,
) -> Outcome[TicketView | None]:
    """Finish the counter's current ticket and call the next one by the policy."""
    info = ctx.counter_info(counter_number)
    now = ctx.clock.now()
    day = local_day(now, ctx.options.zone)
    events: list[DomainEvent] = []
    log: list[dict[str, Any]] = []
    with ctx.db.write() as conn:
        ctx.clock_guard.admit(conn, now, actor or "counter")  # no call on a wrong clock
        state = lock_counter(conn, info)
        finish_current(ctx, conn, info, state, now, actor, events, log)
        claimed, streak = _claim_by_policy(ctx, conn, info, state, day, now, officer_id)
        seated = claimed is not None and hasattr(claimed, "waiting")  # PostgreSQL's claim
        if not seated:
            fast(
                conn,
                sql.SET_COUNTER_AFTER_CALL,
                {
                    "counter_id": info.id,
                    "current": claimed.id if claimed is not None else None,
                    "streak": streak,
                    "now": now,
                },
            )
        ticket: TicketView | None = None
        if claimed is not None:
            eventlog.record(
                conn,
                claimed.id,
                now,
                "call",
                TicketStatus.WAITING,
                TicketStatus.CALLED,
                counter_id=info.id,
                actor=actor,
                batch=log,
            )
            ticket = ticket_view(ctx.catalogue, claimed)
            events.append(
                TicketCalled(ticket=ticket, counter=info.number, counter_name=info.name, at=now)
            )
            if seated:  # counted by the claim
                code = ctx.catalogue.service_by_id(claimed.service_id).code
                events.append(QueueChanged(service=code, waiting=int(claimed.waiting), at=now))
            else:
                events.extend(queue_events(ctx, conn, {claimed.service_id}, day, now))
        eventlog.write(conn, log)
        view = counter_view(ctx.catalogue, info, CounterStatus.OPEN, ticket)
        events.append(CounterChanged(counter=view, at=now))
    return Outcome(ticket, events)


def call_ticket(
    ctx: QueueContext,
    counter_number: int,
    ticket_id: int,
    *,
    actor: str | None = None,
    officer_id: int | None = None,
    only_served: bool = False,
) -> Outcome[TicketView]:
    """Call a specific waiting (or earlier no-show) ticket of today to the counter.

    ``only_served``: refuse a ticket of a service the counter does not serve (unless
    it was transferred to this very counter); officers call with it, admins without.
    """
    info = ctx.counter_info(counter_number)
    now = ctx.clock.now()
    day = local_day(now, ctx.options.zone)
    events: list[DomainEvent] = []
    with ctx.db.write() as conn:
        ctx.clock_guard.admit(conn, now, actor or "counter")  # no call on a wrong clock
        state = lock_counter(conn, info)
        row = ticket_row(conn, ticket_id)
        if only_served:
            _check_served(ctx, conn, info, row)
        if row.status not in (TicketStatus.WAITING, TicketStatus.NO_SHOW) or row.day != day:
            raise InvalidState(
                _("Ticket {number} cannot be called now (status: {status}).").format(
                    number=row.number, status=status_label(row.status)
                )
            )
        finish_current(ctx, conn, info, state, now, actor, events)
        claimed = _claim_given(conn, row, info, now, officer_id)
        eventlog.record(
            conn,
            ticket_id,
            now,
            "call",
            row.status,
            TicketStatus.CALLED,
            counter_id=info.id,
            actor=actor,
            detail={"specific": True},
        )
        ticket = ticket_view(ctx.catalogue, claimed)
        events.append(
            TicketCalled(ticket=ticket, counter=info.number, counter_name=info.name, at=now)
        )
        events.extend(queue_events(ctx, conn, {row.service_id}, day, now))
        view = counter_view(ctx.catalogue, info, CounterStatus.OPEN, ticket)
        events.append(CounterChanged(counter=view, at=now))
    return Outcome(ticket, events)


def recall(
    ctx: QueueContext, counter_number: int, *, actor: str | None = None
) -> Outcome[TicketView]:
    """Call the counter's current ticket again (announce and show it once more)."""
    info = ctx.counter_info(counter_number)
    now = ctx.clock.now()
    with ctx.db.write() as conn:
        ctx.clock_guard.admit(conn, now, actor or "counter")  # no call on a wrong clock
        state = lock_counter(conn, info)
        row = current_row(conn, info, state)
        conn.execute(
            update(Ticket)
            .where(Ticket.id == row.id)
            .values(recall_count=Ticket.recall_count + 1, called_at=now)
        )
        eventlog.record(
            conn, row.id, now, "recall", row.status, row.status, counter_id=info.id, actor=actor
        )
        ticket = read_ticket_view(ctx, conn, row.id)
    called = TicketCalled(
        ticket=ticket, counter=info.number, counter_name=info.name, recall=True, at=now
    )
    return Outcome(ticket, [called])


def pause(
    ctx: QueueContext, counter_number: int, *, actor: str | None = None
) -> Outcome[CounterView]:
    """Stop calling at this counter for a while (its current ticket stays)."""
    return set_counter_status(ctx, counter_number, CounterStatus.PAUSED)


def resume(
    ctx: QueueContext, counter_number: int, *, actor: str | None = None
) -> Outcome[CounterView]:
    """Take calls again."""
    return set_counter_status(ctx, counter_number, CounterStatus.OPEN)


def set_counter_status(
    ctx: QueueContext, counter_number: int, status: CounterStatus
) -> Outcome[CounterView]:
    """Pause (PAUSED) or resume (OPEN) calling at the counter; its current ticket stays."""
    info = ctx.counter_info(counter_number)
    now = ctx.clock.now()
    with ctx.db.write() as conn:
        lock_counter(conn, info)
        conn.execute(
            update(Counter).where(Counter.id == info.id).values(status=status, updated_at=now)
        )
        view = read_counter_view(ctx, conn, info)
    return Outcome(view, [CounterChanged(counter=view, at=now)])


def _claim_by_policy(
    ctx: QueueContext,
    conn: Connection,
    info: CounterInfo,
    state: Row,
    day: date,
    now: datetime,
    officer_id: int | None,
) -> tuple[Row | None, int]:
    """Claim the ticket the policy calls next; returns it (None: nobody waits) and the
    counter's new priority streak."""
    max_streak = ctx.options.policy.max_consecutive_priority
    streak = state.priority_streak
    heads_only = conn.dialect.name == "sqlite"
    for _round in range(CLAIM_ROUNDS):
        found = candidates(
            ctx, conn, info, day, per_group=HEADS_PER_GROUP if heads_only else CLAIM_PER_GROUP
        )
        if heads_only and any(c.due_at is not None for c in found):
            found = candidates(ctx, conn, info, day, per_group=CLAIM_PER_GROUP)
        if not found:
            break
        ranked = policy.order(found, now, streak=streak, max_streak=max_streak)
        normal = sum(c.is_normal for c in found)  # normal tickets waiting now
        streaks = {
            c.ticket_id: policy.next_streak(c, streak=streak, normal_waiting=normal > c.is_normal)
            for c in ranked
        }
        claimed = _claim_first(conn, ranked, info, (day, now), officer_id, (streak, streaks))
        if claimed is not None:
            return claimed, streaks[claimed.id]
    return None, streak


def _claim_first(
    conn: Connection,
    ranked: list[policy.Candidate],
    info: CounterInfo,
    when: tuple[date, datetime],
    officer_id: int | None,
    streaks: tuple[int, dict[int, int]],
) -> Row | None:
    """Take the first ticket of ``ranked`` that no other counter has taken.

    PostgreSQL, in the same statement: the counter's current ticket and priority streak
    (``streaks``: the streak now, and after calling each ticket) set, and the tickets
    still waiting for the claimed ticket's service counted (the row's ``waiting``).
    ``when``: the day and the time.
    """
    day, now = when
    params: dict[str, Any] = {"counter_id": info.id, "now": now, "officer_id": officer_id}
    if conn.dialect.name == "postgresql":
        ids = [c.ticket_id for c in ranked]
        streak, after = streaks
        params |= {"ranking": ids, "waiting_day": day}
        params |= {"streak": streak, "streaks": [after[i] for i in ids]}
        return fast(conn, sql.CLAIM_AND_SEAT, params).one_or_none()
    for candidate in ranked:  # SQLite: writers are serialised, the first one wins
        row = fast(conn, sql.CLAIM, params | {"ticket_id": candidate.ticket_id})
        claimed = row.one_or_none()
        if claimed is not None:
            return claimed
    return None


def _claim_given(
    conn: Connection, row: Row, info: CounterInfo, now: datetime, officer_id: int | None
) -> Row:
    """Take the ticket of ``row`` to the counter unless another counter just took it."""
    claimed = conn.execute(
        update(Ticket)
        .where(Ticket.id == row.id, Ticket.status == row.status)
        .values(
            status=TicketStatus.CALLED,
            counter_id=info.id,
            called_at=now,
            first_called_at=func.coalesce(Ticket.first_called_at, now),
            officer_id=officer_id,
            target_counter_id=None,
        )
        .returning(*sql.TICKET_COLUMNS)
    ).one_or_none()
    if claimed is None:
        raise InvalidState(
            _("Ticket {number} was just taken by another counter.").format(number=row.number)
        )
    conn.execute(
        update(Counter)
        .where(Counter.id == info.id)
        .values(current_ticket_id=row.id, status=CounterStatus.OPEN, updated_at=now)
    )
    return claimed


def _check_served(ctx: QueueContext, conn: Connection, info: CounterInfo, row: Row) -> None:
    """Refuse a ticket of a service the counter does not serve (not sent to it)."""
    if row.service_id in info.service_ids:
        return
    target = conn.execute(
        select(Ticket.target_counter_id).where(Ticket.id == row.id)
    ).scalar_one_or_none()
    if target == info.id:
        return
    service = ctx.catalogue.service_by_id(row.service_id)
    raise NotAllowed(
        _(
            "Counter {number} does not serve {service}, so it cannot call ticket "
            "{ticket}: transfer the ticket or ask an administrator."
        ).format(number=info.number, service=service.name, ticket=row.number)
    )
