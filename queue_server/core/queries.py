"""Read models: what screens, the API and reports read (nothing here writes).

The public functions each read in one short transaction; the ones taking a connection
are shared with the commands, which read inside their own write transaction.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.engine import Row

from queue_server.core import outbox, policy
from queue_server.core import statements as sql
from queue_server.core.catalogue import CounterInfo
from queue_server.core.clock import local_day
from queue_server.core.context import QueueContext
from queue_server.core.errors import NotFound
from queue_server.core.estimates import Estimate, candidate_of, estimate_place
from queue_server.core.events import CounterView, TicketView
from queue_server.core.fastsql import execute as fast
from queue_server.core.models import Counter, Ticket, TicketEvent, TicketStatus
from queue_server.core.views import counter_view, recent_call, service_summary, ticket_view
from queue_server.i18n import _

LIST_PER_GROUP = 10_000  # the officer's waiting list shows every ticket


# ------------------------------------------------------------------- read models
def ticket(ctx: QueueContext, ticket_id: int) -> TicketView:
    """One ticket, with the people ahead of it now if it still waits."""
    with ctx.db.read() as conn:
        return live_view(ctx, conn, ticket_row(conn, ticket_id))


def ticket_by_number(ctx: QueueContext, number: str) -> TicketView:
    """Today's ticket shown as ``number`` (e.g. "B012"); the latest if numbers wrapped."""
    day = ctx.today()
    with ctx.db.read() as conn:
        ticket_id = conn.execute(
            select(Ticket.id)
            .where(Ticket.day == day, Ticket.number == number.strip().upper())
            .order_by(Ticket.id.desc())
            .limit(1)
        ).scalar()
        if ticket_id is None:
            raise NotFound(_("No ticket {number} today.").format(number=number))
        return live_view(ctx, conn, ticket_row(conn, ticket_id))


def ticket_by_track_code(ctx: QueueContext, track_code: str) -> TicketView:
    """The ticket with this public tracking code."""
    with ctx.db.read() as conn:
        ticket_id = conn.execute(select(Ticket.id).where(Ticket.track_code == track_code)).scalar()
        if ticket_id is None:
            raise NotFound(_("No ticket has this tracking code."))
        return live_view(ctx, conn, ticket_row(conn, ticket_id))


def counter(ctx: QueueContext, counter_number: int) -> CounterView:
    """A counter's state and current ticket."""
    info = ctx.counter_info(counter_number)
    with ctx.db.read() as conn:
        return read_counter_view(ctx, conn, info)


def waiting_for_counter(ctx: QueueContext, counter_number: int) -> list[TicketView]:
    """The tickets this counter would call, in policy order."""
    info = ctx.counter_info(counter_number)
    now = ctx.clock.now()
    day = local_day(now, ctx.options.zone)
    with ctx.db.read() as conn:
        streak = fast(conn, sql.COUNTER_STATE, {"counter_id": info.id}).one().priority_streak
        ranked = policy.order(
            candidates(ctx, conn, info, day, per_group=LIST_PER_GROUP),
            now,
            streak=streak,
            max_streak=ctx.options.policy.max_consecutive_priority,
        )
        ids = [c.ticket_id for c in ranked]
        rows = {
            row.id: row
            for row in conn.execute(select(*sql.TICKET_COLUMNS).where(Ticket.id.in_(ids)))
        }
    catalogue = ctx.catalogue
    return [ticket_view(catalogue, rows[tid], ahead=place) for place, tid in enumerate(ids)]


def snapshot(ctx: QueueContext, recent: int = 6) -> dict[str, Any]:
    """Everything a screen needs to draw itself from scratch, and ``seq``: the last
    event it counts (read in the same transaction, so the two agree)."""
    now = ctx.clock.now()
    day = local_day(now, ctx.options.zone)
    catalogue = ctx.catalogue
    with ctx.db.read() as conn:
        seq = outbox.last_seq(conn)
        waiting = dict(
            conn.execute(
                select(Ticket.service_id, func.count())
                .where(Ticket.status == TicketStatus.WAITING, Ticket.day == day)
                .group_by(Ticket.service_id)
            ).all()
        )
        services = [
            service_summary(s, int(waiting.get(s.id, 0))) for s in catalogue.services.values()
        ]
        counters = [read_counter_view(ctx, conn, c).to_dict() for c in catalogue.counters.values()]
        calls = recent_calls(ctx, conn, day, recent)
    return {
        "day": day.isoformat(),
        "at": now.isoformat(),
        "services": services,
        "counters": counters,
        "recent_calls": calls,
        "seq": seq,
    }


# --------------------------------------------- reads shared with the commands
def ticket_row(conn: Connection, ticket_id: int) -> Row:
    """The ticket's row (``statements.TICKET_COLUMNS``); NotFound if there is none."""
    row = fast(conn, sql.TICKET_BY_ID, {"ticket_id": ticket_id}).one_or_none()
    if row is None:
        raise NotFound(_("Unknown ticket: {id}").format(id=ticket_id))
    return row


def read_ticket_view(ctx: QueueContext, conn: Connection, ticket_id: int) -> TicketView:
    """The ticket as stored (its estimate is the one given at issue)."""
    return ticket_view(ctx.catalogue, ticket_row(conn, ticket_id))


def read_counter_view(ctx: QueueContext, conn: Connection, info: CounterInfo) -> CounterView:
    """The counter as stored, with its current ticket."""
    state = fast(conn, sql.COUNTER_STATE, {"counter_id": info.id}).one()
    current = None
    if state.current_ticket_id is not None:
        current = read_ticket_view(ctx, conn, state.current_ticket_id)
    return counter_view(ctx.catalogue, info, state.status, current)


def live_place(ctx: QueueContext, conn: Connection, row: Row) -> Estimate | None:
    """People ahead of a waiting ticket now, in policy order, and its wait from now."""
    if row.status != TicketStatus.WAITING:
        return None
    return estimate_place(
        conn,
        ctx.catalogue,
        service_id=row.service_id,
        day=row.day,
        target=candidate_of(ctx.catalogue, row),
        now=ctx.clock.now(),
        max_streak=ctx.options.policy.max_consecutive_priority,
    )


def live_view(ctx: QueueContext, conn: Connection, row: Row) -> TicketView:
    """A ticket as read now: a waiting one with its live place and estimate."""
    place = live_place(ctx, conn, row)
    view = ticket_view(ctx.catalogue, row)
    if place is None:
        return view
    return replace(view, ahead=place.ahead, estimated_wait_s=place.wait_s)


def candidates(
    ctx: QueueContext, conn: Connection, info: CounterInfo, day: date, *, per_group: int
) -> list[policy.Candidate]:
    """The oldest ``per_group`` waiting tickets of each (service, category) the counter
    may call, as the policy's candidates."""
    if not info.service_ids:
        return []
    catalogue = ctx.catalogue
    ranks = {service_id: rank for rank, service_id in enumerate(info.service_ids)}
    statement = sql.candidates(info.service_ids, catalogue.category_ids)
    rows = fast(conn, statement, {"day": day, "counter_id": info.id, "per_group": per_group})
    return [candidate_of(catalogue, row, ranks[row.service_id]) for row in rows]


def recent_calls(
    ctx: QueueContext, conn: Connection, day: date, limit: int
) -> list[dict[str, Any]]:
    """The day's latest calls and recalls, newest first."""
    # The counter from its table: one deactivated since still has its number and name.
    rows = conn.execute(
        select(
            TicketEvent.at,
            TicketEvent.action,
            Counter.number.label("counter_number"),
            Counter.name.label("counter_name"),
            Ticket.id,
            Ticket.number,
            Ticket.service_id,
        )
        .join(Ticket, Ticket.id == TicketEvent.ticket_id)
        .outerjoin(Counter, Counter.id == TicketEvent.counter_id)
        .where(TicketEvent.action.in_(["call", "recall"]), Ticket.day == day)
        .order_by(TicketEvent.id.desc())
        .limit(limit)
    ).all()
    catalogue = ctx.catalogue
    return [recent_call(catalogue, row) for row in rows]
