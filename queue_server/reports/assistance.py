"""Calls for assistance in a report: how many, why, from where, and how fast a helper
took them, over a range of local days (the day a call was raised).

Only counts and durations leave this module; a call holds nothing about the citizen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from queue_server.core.assistance_config import DEFAULT_REASONS, ReasonConfig
from queue_server.core.assistance_table import AssistanceCall
from queue_server.reports.stats import Durations, summarize

ORIGINS = ("kiosk", "counter")


@dataclass
class ReasonTally:
    """The calls of one reason."""

    code: str
    name: str
    by_origin: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ORIGINS, 0))
    accepted: int = 0
    closed: int = 0
    cancelled: int = 0
    accept_s: list[float] = field(default_factory=list)

    @property
    def raised(self) -> int:
        return sum(self.by_origin.values())

    @property
    def time_to_accept(self) -> Durations:
        return summarize(self.accept_s)

    def merge(self, other: ReasonTally) -> None:
        for origin, count in other.by_origin.items():
            self.by_origin[origin] = self.by_origin.get(origin, 0) + count
        self.accepted += other.accepted
        self.closed += other.closed
        self.cancelled += other.cancelled
        self.accept_s.extend(other.accept_s)


@dataclass
class AssistanceFigures:
    """Calls for assistance of the local days ``start``..``end``, per reason (in the
    configured order; a reason no longer configured shows as its code)."""

    start: date | None = None
    end: date | None = None
    reasons: list[ReasonTally] = field(default_factory=list)

    @property
    def total(self) -> ReasonTally:
        merged = ReasonTally("", "")
        for tally in self.reasons:
            merged.merge(tally)
        return merged

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values (docs/reports.md, "Calls for assistance")."""
        total = self.total
        return {
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "raised": total.raised,
            "by_origin": dict(total.by_origin),
            "accepted": total.accepted,
            "closed": total.closed,
            "cancelled": total.cancelled,
            "unfinished": total.raised - total.closed - total.cancelled,
            "time_to_accept_s": _durations(total.time_to_accept),
            "by_reason": [
                {
                    "code": t.code,
                    "name": t.name,
                    "raised": t.raised,
                    "by_origin": dict(t.by_origin),
                    "accepted": t.accepted,
                    "closed": t.closed,
                    "cancelled": t.cancelled,
                    "time_to_accept_s": _durations(t.time_to_accept),
                }
                for t in self.reasons
            ],
        }


def assistance_figures(
    conn: Connection,
    start: date,
    end: date,
    reasons: Sequence[ReasonConfig] = DEFAULT_REASONS,
) -> AssistanceFigures:
    """Count the calls raised on local days ``start``..``end`` in ``conn``'s transaction.

    Rows: every active reason and every reason with calls."""
    rows = conn.execute(
        select(
            AssistanceCall.reason,
            AssistanceCall.origin,
            AssistanceCall.status,
            AssistanceCall.raised_at,
            AssistanceCall.accepted_at,
        ).where(AssistanceCall.day >= start, AssistanceCall.day <= end)
    ).all()
    tallies = {r.code: ReasonTally(r.code, r.name) for r in reasons}
    for row in rows:
        tally = tallies.setdefault(row.reason, ReasonTally(row.reason, row.reason))
        tally.by_origin[row.origin] = tally.by_origin.get(row.origin, 0) + 1
        tally.closed += row.status == "closed"
        tally.cancelled += row.status == "cancelled"
        if row.accepted_at is not None:
            tally.accepted += 1
            tally.accept_s.append((row.accepted_at - row.raised_at).total_seconds())
    active = {r.code for r in reasons if r.active}
    shown = [t for code, t in tallies.items() if code in active or t.raised]
    return AssistanceFigures(start, end, shown)


def _durations(durations: Durations) -> dict[str, Any]:
    return {"count": durations.count, "median": durations.median, "p90": durations.p90}
