"""Shared steps of the outreach-site tests: a session at the center, its package."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from queue_server.core.db import Database
from queue_server.core.models import OutboxHead, Ticket
from queue_server.core.outreach_models import OutreachSession
from queue_server.core.site_models import SiteImportRow
from queue_server.core.sites import build_package
from queue_server.settings import Settings

SATURDAY = date(2026, 12, 12)


def add_session(db: Database, staff_ids: str = "", site_code: str = "L1") -> int:
    """An outreach session on Saturday 12/12, 08:00–11:30, offering HT and CT."""
    with db.write() as conn:
        return int(
            conn.execute(
                insert(OutreachSession)
                .values(
                    day=SATURDAY,
                    starts=time(8, 0),
                    ends=time(11, 30),
                    place="Nhà văn hóa tổ dân phố 5",
                    services="HT,CT",
                    staff_ids=staff_ids,
                    notes="",
                    site_code=site_code,
                    status="planned",
                    created_at=datetime(2026, 12, 1, tzinfo=UTC),
                )
                .returning(OutreachSession.id)
            ).scalar_one()
        )


def write_package(db: Database, settings: Settings, session_id: int, path: Path) -> dict[str, Any]:
    package = build_package(db, settings, session_id, datetime(2026, 12, 11, 9, tzinfo=UTC))
    path.write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    return package


def center_state(db: Database) -> tuple[int, int, int]:
    """Tickets, imported-row mappings and the last event number at the center."""
    with db.read() as conn:
        return (
            conn.execute(select(func.count()).select_from(Ticket)).scalar_one(),
            conn.execute(select(func.count()).select_from(SiteImportRow)).scalar_one(),
            conn.execute(select(OutboxHead.seq)).scalar_one(),
        )
