"""Ticket numbers per service per local day, by upsert on the day's counter row.

``INSERT … ON CONFLICT DO UPDATE SET last = last + 1 RETURNING last`` gives no
duplicates and no gaps on SQLite and PostgreSQL; the unique (service, day, seq)
constraint on tickets is the backstop. Never ``max() + 1``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, bindparam
from sqlalchemy.dialects import postgresql, sqlite

from queue_server.core.fastsql import execute as fast
from queue_server.core.models import DailyCounter


def _upsert(insert: Any) -> Any:
    table = DailyCounter.__table__
    return (
        insert(table)
        .values(service_id=bindparam("service_id"), day=bindparam("day"), last=1)
        .on_conflict_do_update(
            index_elements=[table.c.service_id, table.c.day],
            set_={"last": table.c.last + 1},
        )
        .returning(table.c.last)
    )


_UPSERTS = {"postgresql": _upsert(postgresql.insert), "sqlite": _upsert(sqlite.insert)}


def next_sequence(conn: Connection, service_id: int, day: date) -> int:
    """Take the next sequence number (1, 2, …) of ``service_id`` on ``day``."""
    statement = _UPSERTS[conn.dialect.name]
    return int(fast(conn, statement, {"service_id": service_id, "day": day}).scalar_one())


def format_number(prefix: str, sequence: int, *, width: int, first: int, last: int) -> str:
    """Display form such as ``A007``; wraps to ``first`` after ``last``."""
    if sequence < 1:
        raise ValueError("sequence numbers start at 1")
    span = last - first + 1
    shown = first + (sequence - 1) % span
    return f"{prefix}{shown:0{width}d}"
