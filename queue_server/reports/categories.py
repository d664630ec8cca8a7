"""Priority categories in a report: tickets per category × service, help-desk tickets,
waits, and the vulnerable citizens (người yếu thế) among them.

A ticket counts as a **vulnerable citizen** when it has a priority category that is not
an emergency category. An emergency (a ticket in an emergency category, or marked as an
emergency) is counted under "emergencies"; it counts as vulnerable only when its
category is also an ordinary priority category.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from queue_server.core.models import PriorityCategory
from queue_server.reports.tally import Tally, TicketFacts


@dataclass(frozen=True, slots=True)
class CategoryInfo:
    """A priority category as the report lists it."""

    name: str
    code: str
    emergency: bool


@dataclass
class CategoryRow:
    """The tickets of one priority category (``None``: tickets without a category)."""

    info: CategoryInfo | None
    tally: Tally = field(default_factory=Tally)
    helpdesk: int = 0
    by_service: dict[str, Tally] = field(default_factory=dict)

    def add(self, ticket: TicketFacts) -> None:
        self.tally.add(ticket)
        self.helpdesk += ticket.from_helpdesk
        self.by_service.setdefault(ticket.service, Tally()).add(ticket)

    def as_json(self, services: Sequence[str]) -> dict[str, Any]:
        info = self.info
        return {
            "name": info.name if info else None,
            "code": info.code if info else None,
            "emergency": bool(info and info.emergency),
            "vulnerable": bool(info and not info.emergency),
            **self.tally.as_json(),
            "helpdesk": self.helpdesk,
            "by_service": {
                name: self.by_service[name].as_json()
                for name in services
                if name in self.by_service
            },
        }


@dataclass
class CategoryFigures:
    """Every category's tickets, in catalogue order (``rows``), and the groups the
    chairman reports: vulnerable citizens, emergencies, help-desk tickets.

    ``services``: the report's services in catalogue order (the columns of
    category × service)."""

    services: list[str] = field(default_factory=list)
    rows: dict[str, CategoryRow] = field(default_factory=dict)
    no_category: CategoryRow = field(default_factory=lambda: CategoryRow(None))
    emergencies: Tally = field(default_factory=Tally)
    emergencies_with_category: int = 0
    helpdesk: Tally = field(default_factory=Tally)
    helpdesk_vulnerable: int = 0

    def add(self, ticket: TicketFacts) -> None:
        row = self.rows.get(ticket.category) if ticket.category else None
        if ticket.category and row is None:  # a category no longer in the catalogue
            row = self.rows[ticket.category] = CategoryRow(
                CategoryInfo(ticket.category, "", not ticket.vulnerable)
            )
        (row or self.no_category).add(ticket)
        if ticket.emergency:
            self.emergencies.add(ticket)
            self.emergencies_with_category += ticket.vulnerable
        if ticket.from_helpdesk:
            self.helpdesk.add(ticket)
            self.helpdesk_vulnerable += ticket.vulnerable

    @property
    def vulnerable_rows(self) -> list[CategoryRow]:
        return [row for row in self.rows.values() if row.info and not row.info.emergency]

    @property
    def emergency_rows(self) -> list[CategoryRow]:
        return [row for row in self.rows.values() if row.info and row.info.emergency]

    @property
    def vulnerable(self) -> Tally:
        """Every ticket of an ordinary (not emergency) priority category: the "all
        priority categories" row, vulnerable citizens."""
        return Tally.merged(row.tally for row in self.vulnerable_rows)

    @property
    def vulnerable_helpdesk(self) -> int:
        return sum(row.helpdesk for row in self.vulnerable_rows)

    def as_json(self) -> dict[str, Any]:
        """See docs/reports.md, ``by_category``."""
        vulnerable = self.vulnerable
        return {
            "services": list(self.services),
            "categories": [row.as_json(self.services) for row in self.rows.values()],
            "all_priority": {**vulnerable.as_json(), "helpdesk": self.vulnerable_helpdesk},
            "no_category": self.no_category.as_json(self.services),
            "emergencies": {
                **self.emergencies.as_json(),
                "with_category": self.emergencies_with_category,
            },
            "helpdesk": {**self.helpdesk.as_json(), "vulnerable": self.helpdesk_vulnerable},
        }


def report_categories(conn: Connection, used: Iterable[str]) -> list[CategoryInfo]:
    """Every active category and every category in ``used``, in catalogue order."""
    wanted = set(used)
    rows = conn.execute(
        select(
            PriorityCategory.name,
            PriorityCategory.code,
            PriorityCategory.emergency,
            PriorityCategory.active,
        ).order_by(PriorityCategory.position, PriorityCategory.id)
    ).all()
    return [
        CategoryInfo(row.name, row.code, bool(row.emergency))
        for row in rows
        if row.active or row.name in wanted
    ]


def category_figures(
    categories: Sequence[CategoryInfo], services: Sequence[str], facts: Iterable[TicketFacts]
) -> CategoryFigures:
    """Add up ``facts`` per category (``categories`` in order, ``services`` the columns)."""
    figures = CategoryFigures(services=list(services))
    for info in categories:
        figures.rows.setdefault(info.name, CategoryRow(info))
    for ticket in facts:
        figures.add(ticket)
    return figures
