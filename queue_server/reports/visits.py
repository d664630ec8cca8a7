"""Home visits in a report: requests, appointments and outcomes per priority category.

Which day counts (local days of the center):

- ``requested``: the day the request was registered (the phone call);
- ``scheduled``: the visit day of each appointment: a visit rescheduled from Tuesday to
  Friday is one appointment on Tuesday (outcome "rescheduled") and one on Friday;
- every outcome (done with a dossier, done with advice only, not at home, cancelled,
  rescheduled): the visit day it was recorded for; a request cancelled before it had a
  visit day counts on the day the cancellation was recorded (and in no appointment);
- ``awaiting_outcome``: appointments on the report's days with no outcome recorded yet.

Only counts leave this module: never a phone number or an address.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select

from queue_server.core.models import PriorityCategory
from queue_server.core.visit_models import HomeVisit, VisitOutcome, VisitStatus

FIGURES = (
    "requested",
    "scheduled",
    "done_dossier",
    "done_advice",
    "not_at_home",
    "cancelled",
    "rescheduled",
    "awaiting_outcome",
)
OUTCOME_FIGURE = {
    "done_dossier": "done_dossier",
    "done_advice": "done_advice",
    "not_home": "not_at_home",
    "cancelled": "cancelled",
    "rescheduled": "rescheduled",
}


@dataclass
class VisitTally:
    """The figures of one priority category (or of all)."""

    requested: int = 0
    scheduled: int = 0
    done_dossier: int = 0
    done_advice: int = 0
    not_at_home: int = 0
    cancelled: int = 0
    rescheduled: int = 0
    awaiting_outcome: int = 0

    @property
    def done(self) -> int:
        return self.done_dossier + self.done_advice

    def add(self, other: VisitTally) -> None:
        for name in FIGURES:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {name: getattr(self, name) for name in FIGURES}
        data["done"] = self.done
        return data


@dataclass
class VisitFigures:
    """Home visits of a report's days: ``by_category`` maps a category code (None: no
    priority category) to its tally; ``categories`` lists (code, name) in display order."""

    categories: list[tuple[str, str]] = field(default_factory=list)
    by_category: dict[str | None, VisitTally] = field(default_factory=dict)

    @property
    def total(self) -> VisitTally:
        merged = VisitTally()
        for tally in self.by_category.values():
            merged.add(tally)
        return merged

    def tally(self, code: str | None) -> VisitTally:
        return self.by_category.get(code, VisitTally())

    def as_json(self) -> dict[str, Any]:
        """Plain JSON: the totals and one entry per category (see docs/reports.md)."""
        rows: list[tuple[str | None, str | None]] = [*self.categories, (None, None)]
        return {
            **self.total.as_json(),
            "by_category": [
                {"category": code, "name": name, **self.tally(code).as_json()}
                for code, name in rows
            ],
        }


def visit_figures(conn: Connection, start: date, end: date) -> VisitFigures:
    """Count the home visits of local days ``start``..``end`` in ``conn``'s transaction."""
    figures = VisitFigures()
    codes = dict(conn.execute(select(PriorityCategory.id, PriorityCategory.code)).all())

    def bump(priority_id: int | None, name: str, count: int) -> None:
        code = codes.get(priority_id) if priority_id is not None else None
        tally = figures.by_category.setdefault(code, VisitTally())
        setattr(tally, name, getattr(tally, name) + int(count))

    for priority_id, count in conn.execute(
        select(HomeVisit.priority_id, func.count())
        .where(HomeVisit.requested_day >= start, HomeVisit.requested_day <= end)
        .group_by(HomeVisit.priority_id)
    ):
        bump(priority_id, "requested", count)
    counted_day = func.coalesce(VisitOutcome.day, VisitOutcome.recorded_day)
    had_day = VisitOutcome.day.is_not(None)
    for priority_id, outcome, appointment, count in conn.execute(
        select(HomeVisit.priority_id, VisitOutcome.outcome, had_day, func.count())
        .join(HomeVisit, HomeVisit.id == VisitOutcome.visit_id)
        .where(counted_day >= start, counted_day <= end)
        .group_by(HomeVisit.priority_id, VisitOutcome.outcome, had_day)
    ):
        bump(priority_id, OUTCOME_FIGURE[outcome], count)
        if appointment:
            bump(priority_id, "scheduled", count)
    for priority_id, count in conn.execute(
        select(HomeVisit.priority_id, func.count())
        .where(HomeVisit.status == VisitStatus.SCHEDULED.value)
        .where(HomeVisit.visit_day >= start, HomeVisit.visit_day <= end)
        .group_by(HomeVisit.priority_id)
    ):
        bump(priority_id, "awaiting_outcome", count)
        bump(priority_id, "scheduled", count)
    figures.categories = _categories(conn, set(figures.by_category))
    return figures


def _categories(conn: Connection, seen: set[str | None]) -> list[tuple[str, str]]:
    rows = conn.execute(
        select(PriorityCategory.code, PriorityCategory.name, PriorityCategory.active).order_by(
            PriorityCategory.position, PriorityCategory.id
        )
    ).all()
    return [(code, name) for code, name, active in rows if active or code in seen]
