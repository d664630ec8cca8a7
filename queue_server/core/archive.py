"""The daily archive: finished tickets of old days leave the live tables.

The live tables (``tickets``, ``ticket_events``) hold what the queue works on; every
statement of the day touches them, so they are kept small. Tickets of local days
before the horizon that are in a final state (done, no-show, cancelled) move, with
their events, to ``tickets_archive`` and ``ticket_events_archive``; their print jobs
are deleted. Reports read both (:func:`tickets_between`).

A day moves in slices of at most :data:`SLICE` tickets, each one short transaction that
copies and deletes the same rows, so a run can be interrupted at any point and run
again: nothing is lost or copied twice. Between slices the caller's ``between`` runs
(the daily maintenance lets waiting writers go first there), so catching up on months
of missed days never holds the write lock for longer than one slice.

Two kinds of ticket stay live:

- tickets not closed yet (waiting or at a counter on an old day): ``close_day`` closes
  them first; the daily maintenance runs it before archiving;
- the newest ticket, and the ticket with the newest event (``held_back``). SQLite gives a
  new row the largest id in the table plus one; if the rows with the largest ids left,
  it would hand their ids out again and they would clash with the archive (and with the
  ratings and contacts that name tickets by id). They move on a later run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    Subquery,
    Table,
    delete,
    func,
    insert,
    select,
    union_all,
)

from queue_server.core.db import Database
from queue_server.core.models import (
    FINAL,
    Counter,
    PrintJobRecord,
    Ticket,
    TicketEvent,
    ticket_events_archive,
    tickets_archive,
)

SLICE = 200  # tickets moved per transaction: a few milliseconds to tens of them
TICKETS: Table = Ticket.__table__
EVENTS: Table = TicketEvent.__table__


class ArchiveMismatch(RuntimeError):
    """Copied and deleted row counts differ: the day's transaction is rolled back."""


@dataclass(frozen=True, slots=True)
class ArchivedDay:
    """What one day's archiving moved, and what stayed live."""

    day: date
    tickets: int
    events: int
    print_jobs: int
    still_open: int  # not closed yet: run close-day
    held_back: int  # newest rows, moved on a later run


def archive_horizon(today: date, keep_days: int) -> date:
    """The first day kept live: today and the ``keep_days`` days before it stay."""
    return today - timedelta(days=keep_days)


def days_before(db: Database, before: date) -> list[date]:
    """Local days earlier than ``before`` that still have tickets in the live table."""
    with db.read() as conn:
        query = select(Ticket.day).where(Ticket.day < before).distinct().order_by(Ticket.day)
        return list(conn.execute(query).scalars())


def archive_before(
    db: Database,
    before: date,
    *,
    progress: Callable[[ArchivedDay], None] | None = None,
    between: Callable[[], None] | None = None,
    slice_size: int | None = None,
) -> list[ArchivedDay]:
    """Archive every day earlier than ``before``, oldest first, in slices of at most
    ``slice_size`` tickets (default :data:`SLICE`; one transaction each, ``between``
    runs after each)."""
    results = []
    for day in days_before(db, before):
        result = archive_day(db, day, between=between, slice_size=slice_size)
        results.append(result)
        if progress is not None:
            progress(result)
    return results


def archive_day(
    db: Database,
    day: date,
    *,
    between: Callable[[], None] | None = None,
    slice_size: int | None = None,
) -> ArchivedDay:
    """Move the final tickets of ``day`` and their events to the archive, at most
    ``slice_size`` tickets per transaction, oldest first; ``between`` runs after each."""
    size = SLICE if slice_size is None else slice_size
    final = (Ticket.day == day) & Ticket.status.in_(FINAL)
    moved = [0, 0, 0]  # tickets, events, print jobs
    while True:
        with db.write() as conn:
            held = _held_back(conn)
            # Lock the slice's rows (PostgreSQL): a second run waits, then finds them gone.
            ids = list(
                conn.execute(
                    select(Ticket.id)
                    .where(final, Ticket.id.not_in(held))
                    .order_by(Ticket.id)
                    .limit(size)
                    .with_for_update()
                ).scalars()
            )
            if ids:
                moved = [a + b for a, b in zip(moved, _move(conn, ids), strict=True)]
            last = len(ids) < size
            if last:
                still_open = _count(conn, (Ticket.day == day) & Ticket.status.not_in(FINAL))
                held_here = _count(conn, final & Ticket.id.in_(held))
        if between is not None:
            between()
        if last:
            tickets, events, jobs = moved
            return ArchivedDay(day, tickets, events, jobs, still_open, held_here)


def _held_back(conn: Connection) -> set[int]:
    """Tickets that must stay live: the largest ids, and those a counter points at."""
    newest_ticket = conn.execute(select(func.max(Ticket.id))).scalar_one()
    newest_event = select(func.max(TicketEvent.id)).scalar_subquery()
    newest_event_ticket = conn.execute(
        select(TicketEvent.ticket_id).where(TicketEvent.id == newest_event)
    ).scalar_one_or_none()
    current = conn.execute(
        select(Counter.current_ticket_id).where(Counter.current_ticket_id.is_not(None))
    ).scalars()
    return {i for i in (newest_ticket, newest_event_ticket, *current) if i is not None}


def _count(conn: Connection, condition: ColumnElement[bool]) -> int:
    return int(conn.execute(select(func.count()).where(condition)).scalar_one())


def _move(conn: Connection, ids: list[int]) -> tuple[int, int, int]:
    """Copy the tickets ``ids`` and their events, then delete them; returns the counts.

    Every count is checked before the commit: a difference rolls the day back.
    """
    events = _count(conn, TicketEvent.ticket_id.in_(ids))  # (rows are locked: no new ones)
    conn.execute(
        insert(tickets_archive).from_select(
            [c.name for c in TICKETS.columns], select(*TICKETS.columns).where(Ticket.id.in_(ids))
        )
    )
    conn.execute(
        insert(ticket_events_archive).from_select(
            [c.name for c in EVENTS.columns],
            select(*EVENTS.columns).where(TicketEvent.ticket_id.in_(ids)),
        )
    )
    jobs = conn.execute(delete(PrintJobRecord).where(PrintJobRecord.ticket_id.in_(ids))).rowcount
    deleted_events = conn.execute(
        delete(TicketEvent).where(TicketEvent.ticket_id.in_(ids))
    ).rowcount
    deleted = conn.execute(delete(Ticket).where(Ticket.id.in_(ids))).rowcount
    copied = _count(conn, tickets_archive.c.id.in_(ids))
    copied_events = _count(conn, ticket_events_archive.c.ticket_id.in_(ids))
    if not copied == deleted == len(ids) or not copied_events == deleted_events == events:
        raise ArchiveMismatch(
            f"{len(ids)} tickets / {events} events to move: copied {copied} / {copied_events}, "
            f"deleted {deleted} / {deleted_events}"
        )
    return deleted, deleted_events, jobs


def tickets_between(start: date, end: date) -> Subquery:
    """Tickets of local days ``start``..``end``, live and archived, as one table."""

    def part(table: Table) -> Select[Any]:
        columns = [table.c[c.name] for c in TICKETS.columns]
        return select(*columns).where(table.c.day >= start, table.c.day <= end)

    return union_all(part(TICKETS), part(tickets_archive)).subquery("tickets_all")


def ticket_counts(db: Database) -> tuple[int, int]:
    """Rows in the live ``tickets`` table and in the archive."""
    with db.read() as conn:
        live = conn.execute(select(func.count()).select_from(Ticket)).scalar_one()
        archived = conn.execute(select(func.count()).select_from(tickets_archive)).scalar_one()
    return int(live), int(archived)
