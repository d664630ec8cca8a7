"""Compute a report over a range of local days, in one read transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, select

from queue_server.core.archive import tickets_between
from queue_server.core.assist_config import DEFAULT_KINDS, HelpKindConfig
from queue_server.core.assistance_config import DEFAULT_REASONS, ReasonConfig
from queue_server.core.clock import local_day
from queue_server.core.db import Database
from queue_server.core.feedback_config import DEFAULT_KINDS as DEFAULT_FEEDBACK_KINDS
from queue_server.core.feedback_config import FeedbackKindConfig
from queue_server.core.models import (
    Counter,
    PriorityCategory,
    Service,
    TicketStatus,
    User,
)
from queue_server.reports.appointments import AppointmentFigures, appointment_figures
from queue_server.reports.assistance import AssistanceFigures, assistance_figures
from queue_server.reports.assists import HelpCounts, help_counts
from queue_server.reports.categories import (
    CategoryFigures,
    category_figures,
    report_categories,
)
from queue_server.reports.collation import vietnamese_key
from queue_server.reports.feedback import FeedbackFigures, feedback_figures
from queue_server.reports.labels import by_counter_name
from queue_server.reports.outreach import OutreachFigures, outreach_figures
from queue_server.reports.results import ResultFigures, result_figures
from queue_server.reports.satisfaction import Satisfaction, satisfaction_report
from queue_server.reports.tally import Tally, TicketFacts
from queue_server.reports.visits import VisitFigures, visit_figures

HOURS = 24


@dataclass
class Report:
    """A report over the local days ``start`` to ``end`` (both included).

    Group keys are display names; dictionaries keep the order to show them in.
    ``by_counter`` and ``by_officer`` hold only tickets that reached a counter (their
    ``issued`` is the number handled there). ``satisfaction`` counts the ratings of the
    same days (see :mod:`queue_server.reports.satisfaction`), ``help`` the help records
    (see :mod:`queue_server.reports.assists`), ``by_category`` the priority categories,
    vulnerable citizens, emergencies and help-desk tickets (see
    :mod:`queue_server.reports.categories`). ``home_visits`` the home visits (see
    :mod:`queue_server.reports.visits`); ``feedback`` the citizens' feedback
    (see :mod:`queue_server.reports.feedback`), ``results`` the result slips issued on
    those days (see :mod:`queue_server.reports.results`), ``assistance_calls`` the calls
    for assistance (see :mod:`queue_server.reports.assistance`), ``appointments`` the
    appointments (see :mod:`queue_server.reports.appointments`).
    """

    start: date
    end: date
    zone: str
    total: Tally
    by_day: dict[date, Tally]
    by_month: dict[str, Tally]
    by_service: dict[str, Tally]
    by_counter: dict[str, Tally]
    by_officer: dict[str | None, Tally]
    by_priority: dict[str, Tally]
    arrivals_by_hour: list[int]
    satisfaction: Satisfaction
    help: HelpCounts = field(default_factory=HelpCounts)
    by_category: CategoryFigures = field(default_factory=CategoryFigures)
    appointments: AppointmentFigures = field(default_factory=AppointmentFigures)
    feedback: FeedbackFigures = field(default_factory=FeedbackFigures)
    home_visits: VisitFigures = field(default_factory=VisitFigures)
    results: ResultFigures = field(default_factory=ResultFigures)
    assistance_calls: AssistanceFigures = field(default_factory=AssistanceFigures)
    # Tickets per channel (kiosk, helpdesk, paper …), first seen first.
    by_channel: dict[str, Tally] = field(default_factory=dict)
    # Tickets imported from outreach sites (see :mod:`queue_server.reports.outreach`).
    outreach: OutreachFigures = field(default_factory=OutreachFigures)

    @property
    def priority_served(self) -> int:
        """Vulnerable citizens served: served tickets of an ordinary (not emergency)
        priority category."""
        return self.priority_total.served

    @property
    def priority_issued(self) -> int:
        return self.priority_total.issued

    @property
    def priority_total(self) -> Tally:
        """Every ticket of an ordinary priority category (vulnerable citizens), as one
        group: emergencies count only when their category is an ordinary one."""
        return self.by_category.vulnerable


def days_between(start: date, end: date) -> list[date]:
    """Every local day from ``start`` to ``end`` inclusive."""
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def compute_report(
    db: Database,
    zone: ZoneInfo,
    start: date,
    end: date,
    *,
    progress: Callable[[date], None] | None = None,
    kinds: Sequence[HelpKindConfig] = DEFAULT_KINDS,
    feedback_kinds: Sequence[FeedbackKindConfig] = DEFAULT_FEEDBACK_KINDS,
    call_reasons: Sequence[ReasonConfig] = DEFAULT_REASONS,
    today: date | None = None,
) -> Report:
    """Count and time the tickets issued on local days ``start``..``end``.

    ``progress`` is called once per day of the range as it is added up; ``kinds``: the
    configured kinds of help (``settings.assists.kinds``), for the help records;
    ``feedback_kinds``: the kinds of feedback (``settings.feedback.kinds``).
    ``call_reasons``: the reasons for calls for assistance (``settings.assistance.reasons``).
    ``today``: the local day appointments still booked before it are no-shows (default:
    the center's day now).
    """
    if start > end:
        raise ValueError("start is after end")
    with db.read() as conn:
        facts = list(ticket_facts(conn, zone, start, end))
        categories = report_categories(conn, {t.category for t in facts if t.category})
        satisfaction = satisfaction_report(conn, start, end)
        help_given = help_counts(conn, start, end, kinds)
        home_visits = visit_figures(conn, start, end)
        feedback = feedback_figures(conn, start, end, zone, feedback_kinds)
        slips = result_figures(conn, start, end)
        calls = assistance_figures(conn, start, end, call_reasons)
        today = today or local_day(datetime.now(UTC), zone)
        booked = appointment_figures(conn, start, end, today)
        outreach = outreach_figures(conn, start, end)
    per_day: dict[date, list[TicketFacts]] = defaultdict(list)
    for ticket in facts:
        per_day[ticket.day].append(ticket)

    total = Tally()
    by_day: dict[date, Tally] = {}
    by_month: dict[str, Tally] = {}
    services: dict[tuple[int, str], Tally] = defaultdict(Tally)
    counters: dict[tuple[int, str], Tally] = defaultdict(Tally)
    officers: dict[str | None, Tally] = defaultdict(Tally)
    arrivals = [0] * HOURS
    channels: dict[str, Tally] = defaultdict(Tally)
    for day in days_between(start, end):
        day_tally = by_day.setdefault(day, Tally())
        month_tally = by_month.setdefault(f"{day:%Y-%m}", Tally())
        for ticket in per_day.get(day, []):
            for tally in (total, day_tally, month_tally, services[_service_key(ticket)]):
                tally.add(ticket)
            if ticket.counter is not None and ticket.counter_number is not None:
                counters[(ticket.counter_number, ticket.counter)].add(ticket)
                officers[ticket.officer].add(ticket)
            arrivals[ticket.local_hour] += 1
            channels[ticket.channel].add(ticket)
        if progress is not None:
            progress(day)
    by_service = {key[1]: services[key] for key in sorted(services)}
    by_category = category_figures(categories, list(by_service), facts)
    outreach.center_issued, outreach.center_served = total.issued, total.served
    return Report(
        start=start,
        end=end,
        zone=zone.key,
        total=total,
        by_day=by_day,
        by_month=by_month,
        by_service=by_service,
        by_counter=by_counter_name(counters),
        by_officer=_officers_in_order(officers),
        by_priority={name: row.tally for name, row in by_category.rows.items()},
        arrivals_by_hour=arrivals,
        satisfaction=satisfaction,
        help=help_given,
        by_category=by_category,
        home_visits=home_visits,
        feedback=feedback,
        results=slips,
        assistance_calls=calls,
        appointments=booked,
        by_channel=dict(channels),
        outreach=outreach,
    )


def ticket_facts(conn: Connection, zone: ZoneInfo, start: date, end: date) -> Iterable[TicketFacts]:
    """The tickets of local days ``start``..``end`` (live and archived), grouped under
    their final service."""
    ticket = tickets_between(start, end).c
    query = (
        select(
            ticket.day,
            ticket.status,
            ticket.issued_at,
            ticket.first_called_at,
            ticket.called_at,
            ticket.serving_at,
            ticket.finished_at,
            Service.name.label("service"),
            Service.position.label("service_position"),
            Counter.number.label("counter_number"),
            Counter.name.label("counter"),
            User.display_name.label("officer"),
            ticket.channel,
            ticket.emergency,
            PriorityCategory.name.label("category"),
            PriorityCategory.emergency.label("category_emergency"),
        )
        .join(Service, Service.id == ticket.service_id)
        .outerjoin(Counter, Counter.id == ticket.counter_id)
        .outerjoin(User, User.id == ticket.officer_id)
        .outerjoin(PriorityCategory, PriorityCategory.id == ticket.priority_id)
        .order_by(ticket.day, ticket.issued_at, ticket.id)
    )
    for row in conn.execute(query):
        yield TicketFacts(
            day=row.day,
            local_hour=row.issued_at.astimezone(zone).hour,
            status=row.status,
            service=row.service,
            service_position=row.service_position,
            counter=row.counter,
            counter_number=row.counter_number,
            officer=row.officer,
            category=row.category,
            wait_s=_seconds(row.issued_at, row.first_called_at),
            service_s=_service_seconds(row),
            channel=row.channel,
            emergency=bool(row.emergency or row.category_emergency),
            vulnerable=row.category is not None and not row.category_emergency,
        )


def _service_key(ticket: TicketFacts) -> tuple[int, str]:
    return (ticket.service_position, ticket.service)


def _officers_in_order(officers: dict[str | None, Tally]) -> dict[str | None, Tally]:
    named = sorted((name for name in officers if name is not None), key=vietnamese_key)
    ordered: dict[str | None, Tally] = {name: officers[name] for name in named}
    if None in officers:
        ordered[None] = officers[None]
    return ordered


def _seconds(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return (end - start).total_seconds()


def _service_seconds(row: Any) -> float | None:
    if row.status != TicketStatus.DONE:
        return None
    return _seconds(row.serving_at or row.called_at, row.finished_at)
