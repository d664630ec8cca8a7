"""The audit log: who changed what on the admin pages, the API or at start-up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select

from queue_server.core.models import AuditEntry


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


def entries(conn: Connection, *, limit: int = 100, offset: int = 0) -> list[AuditRecord]:
    """The newest entries first."""
    rows = conn.execute(
        select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit).offset(offset)
    ).mappings()
    return [
        AuditRecord(r["id"], r["at"], r["actor"], r["action"], r["target"], r["detail"] or {})
        for r in rows
    ]


def count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(AuditEntry)).scalar_one())
