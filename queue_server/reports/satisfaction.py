"""Satisfaction in a report: ratings of the tickets of the report's local days.

Grouped per counter, officer and service as stored on each rating (copied from the
ticket when it was rated). Only counts leave this module, never a single rating.
"""

from __future__ import annotations

from collections import Counter as Counts
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection, select

from queue_server.core.models import Counter, Rating, Service, User
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


def satisfaction_report(conn: Connection, start: date, end: date) -> Satisfaction:
    """Count the ratings of tickets of local days ``start``..``end``."""
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
        )
        .outerjoin(Counter, Counter.id == Rating.counter_id)
        .outerjoin(User, User.id == Rating.officer_id)
        .outerjoin(Service, Service.id == Rating.service_id)
        .where(Rating.day >= start, Rating.day <= end)
    )
    result = Satisfaction()
    counters: dict[tuple[int, str], ScoreTally] = defaultdict(ScoreTally)
    officers: dict[str | None, ScoreTally] = defaultdict(ScoreTally)
    services: dict[tuple[int, str], ScoreTally] = defaultdict(ScoreTally)
    for row in conn.execute(query):
        reasons = row.reasons or []
        groups = [result.total]
        if row.counter is not None:
            groups.append(counters[(row.counter_number, row.counter)])
        groups.append(officers[row.officer or row.username])
        if row.service is not None:
            groups.append(services[(row.service_position, row.service)])
        for tally in groups:
            tally.add(row.score, reasons)
        result.by_channel[row.channel] += 1
    result.by_counter = by_counter_name(counters)
    named = sorted(name for name in officers if name is not None)
    result.by_officer = {name: officers[name] for name in named}
    if None in officers:
        result.by_officer[None] = officers[None]
    result.by_service = {name: services[(p, name)] for p, name in sorted(services)}
    return result
