"""The audit log: who changed what (admin pages, API, start-up, maintenance), and when.

Entries hold counts and names of settings, never a citizen's personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select

from queue_server.core.db import Database
from queue_server.core.models import AuditEntry

MAX_OFFSET = 2**31 - 1  # far beyond any log; larger ones overflow the database's integer


@dataclass(frozen=True, slots=True)
class AuditRecord:
    id: int
    at: datetime
    actor: str
    action: str
    target: str
    detail: dict[str, Any]


def record(
    conn: Connection,
    at: datetime,
    actor: str,
    action: str,
    target: str = "",
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one entry (inside the caller's transaction)."""
    conn.execute(
        insert(AuditEntry).values(
            at=at, actor=actor[:80], action=action[:40], target=target[:120], detail=detail or {}
        )
    )


def entries(
    conn: Connection, *, limit: int = 100, offset: int = 0, action: str | None = None
) -> list[AuditRecord]:
    """The newest entries first, optionally only one kind of action."""
    offset = min(offset, MAX_OFFSET)
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit).offset(offset)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    return [
        AuditRecord(r["id"], r["at"], r["actor"], r["action"], r["target"], r["detail"] or {})
        for r in conn.execute(query).mappings()
    ]


def audit_entries(db: Database, action: str | None = None) -> list[AuditRecord]:
    """Every entry (of one kind of action) in the order they were written."""
    with db.read() as conn:
        return list(reversed(entries(conn, limit=1_000_000, action=action)))


def count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(AuditEntry)).scalar_one())
