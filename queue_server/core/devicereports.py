"""The devices' status as their workers report it, kept so every server process shows it.

A worker reports every device it drives each period (``interval_s``); a report not
renewed within three periods is stale: its worker stopped, or lost the device.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from queue_server.core.db import Database
from queue_server.core.devicetables import DeviceReport

STALE_PERIODS = 3  # reports missed before a device's report is stale


@dataclass(frozen=True, slots=True)
class DeviceReportView:
    """One device's last report and how old it is."""

    name: str
    reporter: str
    body: dict[str, Any]
    interval_s: float
    reported_at: datetime

    def age_s(self, now: datetime) -> float:
        return max(0.0, (now - self.reported_at).total_seconds())

    def stale(self, now: datetime) -> bool:
        return self.age_s(now) > STALE_PERIODS * self.interval_s

    def to_check(self, now: datetime) -> dict[str, Any]:
        """As ``/readyz`` shows a device: the report, its age, and ``ok`` false when
        stale (nobody vouches for the device now)."""
        stale = self.stale(now)
        return {
            **self.body,
            "ok": bool(self.body.get("ok")) and not stale,
            "reported_by": self.reporter,
            "age_s": round(self.age_s(now), 1),
            "stale": stale,
        }


def store_reports(
    db: Database,
    reporter: str,
    reports: Mapping[str, dict[str, Any]],
    interval_s: float,
    now: datetime,
    gone: Sequence[str] = (),
) -> None:
    """Keep ``reporter``'s latest report of each device (one transaction); ``gone``:
    devices it no longer drives, whose reports of its own are removed."""
    with db.write() as conn:
        if gone:
            conn.execute(
                delete(DeviceReport).where(
                    DeviceReport.name.in_(list(gone)), DeviceReport.reporter == reporter
                )
            )
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        for name, body in reports.items():
            values = {
                "reporter": reporter,
                "body": body,
                "interval_s": interval_s,
                "reported_at": now,
            }
            conn.execute(
                dialect.insert(DeviceReport.__table__)
                .values(name=name, **values)
                .on_conflict_do_update(index_elements=["name"], set_=values)
            )


def read_reports(db: Database, name: str | None = None) -> list[DeviceReportView]:
    """Every device's last report, by name (or only the device ``name``'s)."""
    query = select(DeviceReport.__table__).order_by(DeviceReport.name)
    if name is not None:
        query = query.where(DeviceReport.name == name)
    with db.read() as conn:
        rows = conn.execute(query).all()
        return [
            DeviceReportView(r.name, r.reporter, dict(r.body), r.interval_s, r.reported_at)
            for r in rows
        ]
