"""The audit log: who did what to the center's records, when (counts, never personal data)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from queue_server.core.db import Database
from queue_server.core.models import AuditEntry


def record_audit(
    conn: Connection,
    at: datetime,
    actor: str,
    action: str,
    *,
    target: str = "",
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one entry inside the caller's transaction."""
    conn.execute(
        insert(AuditEntry).values(
            at=at, actor=actor[:80], action=action[:40], target=target[:120], detail=detail
        )
    )


def audit_entries(db: Database, action: str | None = None) -> list[dict[str, Any]]:
    """Entries in order, optionally only one kind of action."""
    query = select(
        AuditEntry.at, AuditEntry.actor, AuditEntry.action, AuditEntry.target, AuditEntry.detail
    ).order_by(AuditEntry.id)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    with db.read() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]
