"""Satisfaction in a report: ratings of the tickets of the report's local days.

Grouped per counter, officer and service as stored on each rating (copied from the
ticket when it was rated), and per priority category of the rated ticket (live or
archived). Only counts leave this module, never a single rating.
"""

from __future__ import annotations

from collections import Counter as Counts
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from queue_server.core.archive import tickets_between
from queue_server.core.models import Counter, PriorityCategory, Rating, Service, User
from queue_server.core.ratings import ScoreTally
from queue_server.reports.labels import by_counter_name


@dataclass
class Satisfaction:
    """Ratings of a report's days, in the order to show them."""

    total: ScoreTally = field(default_factory=ScoreTally)
    by_channel: Counts[str] = field(default_factory=Counts)
    by_counter: dict[str, ScoreTally] = field(default_factory=dict)
    by_officer: dict[str | None, ScoreTally] = field(default_factory=dict)
    by_service: dict[str, ScoreTally] = field(default_factory=dict)
    # Per priority category of the rated ticket (catalogue order); None: no category.
    by_category: dict[str | None, ScoreTally] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """See docs/reports.md, ``satisfaction``."""

        def grouped(groups: dict[Any, ScoreTally], key: str) -> list[dict[str, Any]]:
            return [{key: name, **tally.to_dict()} for name, tally in groups.items()]

        return {
            **self.total.to_dict(),
            "reasons": dict(sorted(self.total.reasons.items())),
            "by_channel": dict(sorted(self.by_channel.items())),
            "by_counter": grouped(self.by_counter, "counter"),
            "by_officer": grouped(self.by_officer, "officer"),
            "by_service": grouped(self.by_service, "service"),
            "by_category": grouped(self.by_category, "category"),
        }


def satisfaction_report(conn: Connection, start: date, end: date) -> Satisfaction:
    """Count the ratings of tickets of local days ``start``..``end``."""
    tickets = tickets_between(start, end)
    ticket = tickets.c
    query = (
        select(
            Rating.score,
            Rating.reasons,
            Rating.channel,
            Counter.number.label("counter_number"),
            Counter.name.label("counter"),
            User.display_name.label("officer"),
            User.username,
            Service.position.label("service_position"),
            Service.name.label("service"),
            PriorityCategory.name.label("category"),
            PriorityCategory.position.label("category_position"),
        )
        .outerjoin(Counter, Counter.id == Rating.counter_id)
        .outerjoin(User, User.id == Rating.officer_id)
        .outerjoin(Service, Service.id == Rating.service_id)
        .outerjoin(tickets, ticket.id == Rating.ticket_id)
        .outerjoin(PriorityCategory, PriorityCategory.id == ticket.priority_id)
        .where(Rating.day >= start, Rating.day <= end)
    )
    result = Satisfaction()
    counters: dict[tuple[int, str], ScoreTally] = defaultdict(ScoreTally)
    officers: dict[str | None, ScoreTally] = defaultdict(ScoreTally)
    services: dict[tuple[int, str], ScoreTally] = defaultdict(ScoreTally)
    categories: dict[tuple[int, str] | None, ScoreTally] = defaultdict(ScoreTally)
    for row in conn.execute(query):
        reasons = row.reasons or []
        groups = [result.total]
        if row.counter is not None:
            groups.append(counters[(row.counter_number, row.counter)])
        groups.append(officers[row.officer or row.username])
        if row.service is not None:
            groups.append(services[(row.service_position, row.service)])
        category = None if row.category is None else (row.category_position, row.category)
        groups.append(categories[category])
        for tally in groups:
            tally.add(row.score, reasons)
        result.by_channel[row.channel] += 1
    result.by_counter = by_counter_name(counters)
    named = sorted(name for name in officers if name is not None)
    result.by_officer = {name: officers[name] for name in named}
    if None in officers:
        result.by_officer[None] = officers[None]
    result.by_service = {name: services[(p, name)] for p, name in sorted(services)}
    named_categories = sorted(key for key in categories if key is not None)
    result.by_category = {name: categories[(p, name)] for p, name in named_categories}
    if None in categories:
        result.by_category[None] = categories[None]
    return result
