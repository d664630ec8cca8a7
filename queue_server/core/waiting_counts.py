"""How many tickets wait per service and local day, kept up to date by the database.

``queue_changed`` events and issuing read the number of waiting tickets of a service on
every operation. Counting them (``COUNT(*)`` over the waiting tickets) grows with the
queue; the table ``waiting_counts`` keeps the count instead, one row per (service, local
day). Triggers on ``tickets`` (created by migration 0017, on SQLite and PostgreSQL)
update it in the same transaction as the change of the ticket, whatever statement made
the change: issuing, calling, transfers, cancelling, closing old days, archiving,
paper tickets, imports. So the count is exactly as durable as the tickets themselves
(a ``kill -9`` loses both or neither) and a new local day starts from no row, i.e. 0.

A migration that rebuilds ``tickets`` (SQLite's batch mode copies the table) drops its
triggers: such a migration must create them again (as migration 0017 does), and
``tests/core/test_waiting_counts.py`` fails otherwise.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, Date, Integer, case, delete, func, select
from sqlalchemy.orm import Mapped, mapped_column

from queue_server.core.models import Base, Ticket, TicketStatus


class WaitingCount(Base):
    """Tickets waiting (and emergencies among them) for one service on one local day."""

    __tablename__ = "waiting_counts"

    service_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    waiting: Mapped[int] = mapped_column(Integer, default=0)
    emergencies: Mapped[int] = mapped_column(Integer, default=0)


def recount(conn: Connection) -> dict[tuple[int, date], tuple[int, int]]:
    """The waiting and emergency tickets per (service, day), counted over ``tickets``
    (what ``waiting_counts`` must hold; for tests and benchmarks)."""
    rows = conn.execute(
        select(
            Ticket.service_id,
            Ticket.day,
            func.count(),
            func.coalesce(func.sum(case((Ticket.emergency, 1), else_=0)), 0),
        )
        .where(Ticket.status == TicketStatus.WAITING)
        .group_by(Ticket.service_id, Ticket.day)
    ).all()
    return {(row[0], row[1]): (int(row[2]), int(row[3])) for row in rows}


def maintained(conn: Connection) -> dict[tuple[int, date], tuple[int, int]]:
    """What ``waiting_counts`` holds, rows of zero left out."""
    table = WaitingCount.__table__
    rows = conn.execute(select(table).where(table.c.waiting != 0)).all()
    return {(row.service_id, row.day): (row.waiting, row.emergencies) for row in rows}


def purge_before(conn: Connection, day: date) -> int:
    """Delete the rows of days before ``day`` that count nobody (old days' rows)."""
    result = conn.execute(
        delete(WaitingCount).where(WaitingCount.day < day, WaitingCount.waiting == 0)
    )
    return int(result.rowcount or 0)
