"""Steps the commands share, run inside the command's own write transaction."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, update
from sqlalchemy.engine import Row

from queue_server.core import eventlog
from queue_server.core import statements as sql
from queue_server.core.catalogue import CounterInfo
from queue_server.core.context import QueueContext
from queue_server.core.errors import InvalidState
from queue_server.core.events import DomainEvent, QueueChanged, TicketChanged
from queue_server.core.fastsql import execute as fast
from queue_server.core.models import ACTIVE_AT_COUNTER, Counter, TicketStatus
from queue_server.core.queries import ticket_row
from queue_server.core.views import ticket_view
from queue_server.i18n import _

SERVICE_TIME_SMOOTHING = 0.2  # weight of the newest service time in the moving average
MAX_COUNTED_SERVICE_S = 2 * 3600  # longer services are outliers (a forgotten "finish")


def lock_counter(conn: Connection, info: CounterInfo) -> Row:
    """Lock the counter's row for this transaction and read its state."""
    return fast(conn, sql.COUNTER_STATE_FOR_UPDATE, {"counter_id": info.id}).one()


def current_row(conn: Connection, info: CounterInfo, state: Row) -> Row:
    """The ticket called or served at the counter; InvalidState if there is none."""
    row = None
    if state.current_ticket_id is not None:
        row = ticket_row(conn, state.current_ticket_id)
    if row is None or row.status not in ACTIVE_AT_COUNTER:
        raise InvalidState(_("Counter {number} is not serving anyone.").format(number=info.number))
    return row


def release_counter(conn: Connection, info: CounterInfo, now: datetime) -> None:
    """The counter has no current ticket any more."""
    conn.execute(
        update(Counter).where(Counter.id == info.id).values(current_ticket_id=None, updated_at=now)
    )


def close_ticket(
    conn: Connection,
    ticket_id: int,
    info: CounterInfo,
    to_status: TicketStatus,
    action: str,
    now: datetime,
    actor: str | None,
    log: list[dict[str, Any]] | None = None,
) -> Row | None:
    """Close a called or serving ticket; None if it was not at a counter. A finished
    (DONE) ticket's service time teaches its service's average."""
    params = {"ticket_id": ticket_id, "to_status": to_status, "now": now}
    postgresql = conn.dialect.name == "postgresql"
    if postgresql:  # closing and learning in one round trip
        learning = {"learn": to_status == TicketStatus.DONE, "max_s": MAX_COUNTED_SERVICE_S}
        alpha = SERVICE_TIME_SMOOTHING
        params |= learning | {"keep": 1 - alpha, "alpha": alpha}
        row = fast(conn, sql.CLOSE_AND_LEARN, params).one_or_none()
    else:
        row = fast(conn, sql.CLOSE_CURRENT, params).one_or_none()
    if row is None:
        return None
    from_status = TicketStatus.SERVING if row.serving_at is not None else TicketStatus.CALLED
    eventlog.record(
        conn,
        row.id,
        now,
        action,
        from_status,
        to_status,
        counter_id=info.id,
        service_id=row.service_id,
        actor=actor,
        batch=log,
    )
    if to_status == TicketStatus.DONE and not postgresql:
        started = row.serving_at or row.called_at
        if started is not None:
            learn_service_time(conn, row.service_id, (now - started).total_seconds())
    return row


def finish_current(
    ctx: QueueContext,
    conn: Connection,
    info: CounterInfo,
    state: Row,
    now: datetime,
    actor: str | None,
    events: list[DomainEvent],
    log: list[dict[str, Any]] | None = None,
) -> None:
    """Mark the counter's current ticket done (part of calling someone new)."""
    if state.current_ticket_id is None:
        return
    row = close_ticket(
        conn, state.current_ticket_id, info, TicketStatus.DONE, "finish", now, actor, log
    )
    if row is not None:
        view = ticket_view(ctx.catalogue, row)
        events.append(TicketChanged(ticket=view, action="finish", at=now))


def learn_service_time(conn: Connection, service_id: int, seconds: float) -> None:
    """Move the service's average service time toward a new measurement."""
    if not 0 < seconds <= MAX_COUNTED_SERVICE_S:
        return
    alpha = SERVICE_TIME_SMOOTHING
    fast(
        conn,
        sql.LEARN_SERVICE_TIME,
        {"service_id": service_id, "keep": 1 - alpha, "add": seconds * alpha},
    )


def queue_events(
    ctx: QueueContext, conn: Connection, service_ids: set[int], day: date, now: datetime
) -> list[DomainEvent]:
    """A QueueChanged event with the waiting count of each of ``service_ids``."""
    events: list[DomainEvent] = []
    for service_id in sorted(service_ids):
        params = {"service_id": service_id, "day": day}
        waiting = int(fast(conn, sql.WAITING_IN_SERVICE, params).scalar_one())
        code = ctx.catalogue.service_by_id(service_id).code
        events.append(QueueChanged(service=code, waiting=waiting, at=now))
    return events
