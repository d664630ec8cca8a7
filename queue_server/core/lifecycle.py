"""Commands of a ticket's life after it was called: serve, finish, no-show, transfer;
cancelling a waiting ticket; closing the tickets earlier days left open."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy.engine import Row

from queue_server.core import eventlog
from queue_server.core.catalogue import CounterInfo, ServiceInfo
from queue_server.core.clock import local_day
from queue_server.core.context import Outcome, QueueContext
from queue_server.core.errors import InvalidState, NotAllowed
from queue_server.core.events import CounterChanged, DomainEvent, TicketChanged, TicketView
from queue_server.core.models import Counter, Ticket, TicketStatus
from queue_server.core.queries import read_counter_view, read_ticket_view, ticket_row
from queue_server.core.transitions import (
    close_ticket,
    current_row,
    lock_counter,
    queue_events,
    release_counter,
)
from queue_server.core.views import counter_view, status_label, ticket_view
from queue_server.i18n import _

OPEN_STATUSES = (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING)


def start_serving(
    ctx: QueueContext, counter_number: int, *, actor: str | None = None
) -> Outcome[TicketView]:
    """The citizen has arrived at the counter: called → serving."""
    info = ctx.counter_info(counter_number)
    now = ctx.clock.now()
    with ctx.db.write() as conn:
        state = lock_counter(conn, info)
        row = current_row(conn, info, state)
        if row.status != TicketStatus.CALLED:
            raise InvalidState(_("The citizen is already being served."))
        conn.execute(
            update(Ticket)
            .where(Ticket.id == row.id)
            .values(status=TicketStatus.SERVING, serving_at=now)
        )
        eventlog.record(
            conn,
            row.id,
            now,
            "serve",
            row.status,
            TicketStatus.SERVING,
            counter_id=info.id,
            actor=actor,
        )
        ticket = read_ticket_view(ctx, conn, row.id)
        view = counter_view(ctx.catalogue, info, state.status, ticket)
    return Outcome(
        ticket,
        [
            TicketChanged(ticket=ticket, action="serve", at=now),
            CounterChanged(counter=view, at=now),
        ],
    )


def finish(
    ctx: QueueContext, counter_number: int, *, actor: str | None = None
) -> Outcome[TicketView]:
    """The citizen was served: the current ticket is done."""
    return close_current(ctx, counter_number, "finish", TicketStatus.DONE, actor)


def no_show(
    ctx: QueueContext, counter_number: int, *, actor: str | None = None
) -> Outcome[TicketView]:
    """The called citizen did not come."""
    return close_current(ctx, counter_number, "no_show", TicketStatus.NO_SHOW, actor)


def close_current(
    ctx: QueueContext,
    counter_number: int,
    action: str,
    to_status: TicketStatus,
    actor: str | None,
) -> Outcome[TicketView]:
    """Close the counter's current ticket as ``to_status`` (DONE: finish; NO_SHOW)."""
    info = ctx.counter_info(counter_number)
    now = ctx.clock.now()
    with ctx.db.write() as conn:
        state = lock_counter(conn, info)
        row = current_row(conn, info, state)
        if to_status == TicketStatus.NO_SHOW and row.status != TicketStatus.CALLED:
            raise InvalidState(_("The citizen is already being served."))
        closed = close_ticket(conn, row.id, info, to_status, action, now, actor)
        assert closed is not None  # the counter row lock keeps the ticket at the counter
        release_counter(conn, info, now)
        ticket = ticket_view(ctx.catalogue, closed)
        view = counter_view(ctx.catalogue, info, state.status, None)
    return Outcome(
        ticket,
        [
            TicketChanged(ticket=ticket, action=action, at=now),
            CounterChanged(counter=view, at=now),
        ],
    )


def transfer(
    ctx: QueueContext,
    counter_number: int,
    service_code: str,
    *,
    to_counter: int | None = None,
    actor: str | None = None,
) -> Outcome[TicketView]:
    """Send the current ticket to another service (optionally one counter).

    It keeps its number and its original place in time (issue time).
    """
    info = ctx.counter_info(counter_number)
    service = ctx.service_info(service_code)
    target = _transfer_target(ctx, service, to_counter)
    now = ctx.clock.now()
    day = local_day(now, ctx.options.zone)
    with ctx.db.write() as conn:
        state = lock_counter(conn, info)
        row = current_row(conn, info, state)
        conn.execute(
            update(Ticket)
            .where(Ticket.id == row.id)
            .values(
                status=TicketStatus.WAITING,
                service_id=service.id,
                counter_id=None,
                target_counter_id=target.id if target else None,
                transfer_count=Ticket.transfer_count + 1,
            )
        )
        release_counter(conn, info, now)
        _log_transfer(ctx, conn, row, info, service, target, now, actor)
        ticket = read_ticket_view(ctx, conn, row.id)
        events: list[DomainEvent] = [TicketChanged(ticket=ticket, action="transferred", at=now)]
        events.extend(queue_events(ctx, conn, {service.id, row.service_id}, day, now))
        view = counter_view(ctx.catalogue, info, state.status, None)
        events.append(CounterChanged(counter=view, at=now))
    return Outcome(ticket, events)


def cancel(ctx: QueueContext, ticket_id: int, *, actor: str | None = None) -> Outcome[TicketView]:
    """Cancel a waiting ticket (the citizen left, or it was issued by mistake)."""
    now = ctx.clock.now()
    day = local_day(now, ctx.options.zone)
    with ctx.db.write() as conn:
        row = ticket_row(conn, ticket_id)
        if row.status != TicketStatus.WAITING:
            raise InvalidState(
                _("Only a waiting ticket can be cancelled (status: {status}).").format(
                    status=status_label(row.status)
                )
            )
        conn.execute(
            update(Ticket)
            .where(Ticket.id == ticket_id)
            .values(status=TicketStatus.CANCELLED, finished_at=now)
        )
        eventlog.record(
            conn,
            ticket_id,
            now,
            "cancel",
            row.status,
            TicketStatus.CANCELLED,
            service_id=row.service_id,
            actor=actor,
        )
        ticket = read_ticket_view(ctx, conn, ticket_id)
        events: list[DomainEvent] = [TicketChanged(ticket=ticket, action="cancelled", at=now)]
        events.extend(queue_events(ctx, conn, {row.service_id}, day, now))
    return Outcome(ticket, events)


def close_day(
    ctx: QueueContext, *, actor: str | None = "system", limit: int | None = None
) -> Outcome[int]:
    """Close tickets left over from earlier days; returns how many.

    Waiting ones are cancelled; ones still at a counter are counted as done. ``limit``:
    close at most that many (the maintenance closes in slices).
    """
    now = ctx.clock.now()
    day = local_day(now, ctx.options.zone)
    events: list[DomainEvent] = []
    with ctx.db.write() as conn:
        stale = _expire_before(conn, day, now, actor, limit)
        if stale:
            released = _release_counters(conn, stale, now)
            for info in ctx.catalogue.counters.values():
                if info.id in released:
                    view = read_counter_view(ctx, conn, info)
                    events.append(CounterChanged(counter=view, at=now))
    return Outcome(len(stale), events)


def _transfer_target(
    ctx: QueueContext, service: ServiceInfo, to_counter: int | None
) -> CounterInfo | None:
    """The counter a transfer sends the ticket to (None: any counter of the service)."""
    if to_counter is None:
        return None
    target = ctx.counter_info(to_counter)
    if service.id not in target.service_ids:
        raise NotAllowed(
            _("Counter {number} does not serve {service}: choose another counter.").format(
                number=target.number, service=service.name
            )
        )
    return target


def _log_transfer(
    ctx: QueueContext,
    conn: Connection,
    row: Row,
    info: CounterInfo,
    service: ServiceInfo,
    target: CounterInfo | None,
    now: datetime,
    actor: str | None,
) -> None:
    detail: dict[str, Any] = {
        "from_service": ctx.catalogue.service_by_id(row.service_id).code,
        "to_service": service.code,
    }
    if target:
        detail["to_counter"] = target.number
    eventlog.record(
        conn,
        row.id,
        now,
        "transfer",
        row.status,
        TicketStatus.WAITING,
        counter_id=info.id,
        service_id=service.id,
        actor=actor,
        detail=detail,
    )


def _expire_before(
    conn: Connection, day: date, now: datetime, actor: str | None, limit: int | None
) -> list[Row]:
    """Close the open tickets of days before ``day`` (at most ``limit``, read through the
    queue index); returns their rows."""
    stale = conn.execute(
        select(Ticket.id, Ticket.status, Ticket.service_id)
        .where(Ticket.day < day, Ticket.status.in_(OPEN_STATUSES))
        .limit(limit)  # no order: ordering by id would scan the whole history each time
    ).all()
    log: list[dict[str, Any]] = []
    closing: dict[TicketStatus, list[int]] = {TicketStatus.DONE: [], TicketStatus.CANCELLED: []}
    for row in stale:
        to_status = (
            TicketStatus.CANCELLED if row.status == TicketStatus.WAITING else TicketStatus.DONE
        )
        closing[to_status].append(row.id)
        eventlog.record(
            conn, row.id, now, "expire", row.status, to_status,
            service_id=row.service_id, actor=actor, batch=log,
        )  # fmt: skip
    for to_status, ids in closing.items():
        if ids:  # one statement for each final status, not one per ticket
            conn.execute(
                update(Ticket).where(Ticket.id.in_(ids)).values(status=to_status, finished_at=now)
            )
    eventlog.write(conn, log)
    return list(stale)


def _release_counters(conn: Connection, stale: list[Row], now: datetime) -> set[int]:
    """Free the counters whose current ticket is among ``stale``; returns their ids."""
    stale_ids = [row.id for row in stale]
    released = set(
        conn.execute(select(Counter.id).where(Counter.current_ticket_id.in_(stale_ids)))
        .scalars()
        .all()
    )
    conn.execute(
        update(Counter)
        .where(Counter.id.in_(released))
        .values(current_ticket_id=None, updated_at=now)
    )
    return released
