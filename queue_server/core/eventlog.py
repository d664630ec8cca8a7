"""The ticket event log (``ticket_events``): every state change, who made it and when.

Reports are computed from it. Commands append to it inside their own transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from queue_server.core import statements as sql
from queue_server.core.fastsql import execute as fast

MANY_AT_ONCE = 16  # PostgreSQL: up to this many rows in one INSERT (one statement each)


def record(
    conn: Connection,
    ticket_id: int,
    at: datetime,
    action: str,
    from_status: str | None,
    to_status: str,
    *,
    counter_id: int | None = None,
    service_id: int | None = None,
    actor: str | None = None,
    detail: dict[str, Any] | None = None,
    batch: list[dict[str, Any]] | None = None,
) -> None:
    """Append to the log (into ``batch`` to write several at once with :func:`write`)."""
    row = {
        "ticket_id": ticket_id,
        "at": at,
        "action": action,
        "from_status": from_status,
        "to_status": to_status,
        "counter_id": counter_id,
        "service_id": service_id,
        "actor": actor,
        "detail": detail,
    }
    if batch is None:
        fast(conn, sql.INSERT_EVENT, row)
    else:
        batch.append(row)


def write(conn: Connection, batch: list[dict[str, Any]]) -> None:
    """Write the rows gathered by :func:`record` into ``batch`` (none: nothing)."""
    if not batch:
        return
    if conn.dialect.name == "postgresql" and len(batch) <= MANY_AT_ONCE:
        rows = {f"{key}_{i}": value for i, row in enumerate(batch) for key, value in row.items()}
        fast(conn, sql.insert_events(len(batch)), rows)
    else:
        fast(conn, sql.INSERT_EVENT, batch)
