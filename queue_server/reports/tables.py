"""Turn a report into translated tables (one per section) for the exporters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from queue_server.core.rating_config import DEFAULT_REASONS, ReasonConfig
from queue_server.i18n import _
from queue_server.reports.assistance import ReasonTally
from queue_server.reports.compute import Report
from queue_server.reports.stats import Durations
from queue_server.reports.tally import Tally
from queue_server.reports.visits import VisitTally


@dataclass(frozen=True, slots=True)
class Month:
    """A month as a table cell: ``2026-11`` in the files, ``11/2026`` on the page."""

    year: int
    month: int

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @classmethod
    def parse(cls, text: str) -> Month:
        year, month = text.split("-")
        return cls(int(year), int(month))


Cell = str | int | float | date | Month | None


@dataclass(frozen=True)
class Table:
    """One report section: a title, a header row and data rows.

    ``key`` names the section for the web page (``by_day``, ``by_month`` …).
    """

    title: str
    headers: list[str]
    rows: list[list[Cell]]
    key: str = ""


def minutes(seconds: float | None) -> float | None:
    """Seconds as minutes rounded to one decimal (``None`` stays empty)."""
    return None if seconds is None else round(seconds / 60, 1)


def _durations(durations: Durations) -> list[Cell]:
    return [minutes(durations.mean), minutes(durations.median), minutes(durations.p90)]


def _timing_headers() -> list[str]:
    return [
        _("Mean wait (min)"),
        _("Median wait (min)"),
        _("P90 wait (min)"),
        _("Mean service time (min)"),
        _("Median service time (min)"),
        _("P90 service time (min)"),
    ]


def _full_row(label: Cell, tally: Tally) -> list[Cell]:
    counts: list[Cell] = [tally.issued, tally.served, tally.no_show, tally.cancelled]
    return [label, *counts, *_durations(tally.wait), *_durations(tally.service_time)]


def _full_headers(first: str) -> list[str]:
    counts = [_("Tickets issued"), _("Served"), _("No-show"), _("Cancelled")]
    return [first, *counts, *_timing_headers()]


def _counter_row(label: Cell, tally: Tally) -> list[Cell]:
    counts: list[Cell] = [tally.issued, tally.served, tally.no_show]
    return [label, *counts, *_durations(tally.wait), *_durations(tally.service_time)]


def _counter_headers(first: str) -> list[str]:
    return [first, _("Tickets handled"), _("Served"), _("No-show"), *_timing_headers()]


def _day(day: date) -> date:
    """Days stay dates: the files write ``2026-11-23``, the page ``23/11/2026``."""
    return day


def report_tables(
    report: Report, center: str, reasons: Sequence[ReasonConfig] = DEFAULT_REASONS
) -> list[Table]:
    """The report's sections in order: summary, days, months, services, counters,
    officers, priority categories, category × service, help given, arrivals by hour,
    then the satisfaction sections (the last one per priority category)
    (``reasons``: the configured reasons for "not satisfied", ``settings.ratings.reasons``)."""
    # Imported here: these tables are built from this module's Table.
    from queue_server.reports.category_tables import (
        category_satisfaction_table,
        category_service_table,
        priority_table,
    )
    from queue_server.reports.feedback_tables import feedback_table
    from queue_server.reports.outreach_tables import outreach_table
    from queue_server.reports.periods import Period
    from queue_server.reports.satisfaction_tables import satisfaction_tables

    total = report.total
    summary = Table(
        _("Summary"),
        [_("Item"), _("Value")],
        [
            [_("Center"), center],
            [_("Period"), Period.of(report.start, report.end).label()],
            [_("From"), _day(report.start)],
            [_("To"), _day(report.end)],
            [_("Time zone"), report.zone],
            [_("Tickets issued"), total.issued],
            [_("Served"), total.served],
            [_("No-show"), total.no_show],
            [_("Cancelled"), total.cancelled],
            [_("Vulnerable citizens served"), report.priority_served],
            [_("Emergencies"), report.by_category.emergencies.issued],
            [_("Tickets issued by the help desk"), report.by_category.helpdesk.issued],
            [_("Help given (help records)"), report.help.total],
            [_("Help given to citizens with a priority category"), report.help.with_priority],
            [_("Home visits done"), report.home_visits.total.done],
            [_("Calls for assistance"), report.assistance_calls.total.raised],
        ],
        key="summary",
    )
    total_label = _("Total")
    by_day = Table(
        _("By day"),
        _full_headers(_("Day")),
        [_full_row(_day(d), t) for d, t in report.by_day.items()] + [_full_row(total_label, total)],
        key="by_day",
    )
    by_month = Table(
        _("By month"),
        _full_headers(_("Month")),
        [_full_row(Month.parse(m), t) for m, t in report.by_month.items()],
        key="by_month",
    )
    by_service = Table(
        _("By service"),
        _full_headers(_("Service")),
        [_full_row(name, t) for name, t in report.by_service.items()],
        key="by_service",
    )
    by_counter = Table(
        _("By counter"),
        _counter_headers(_("Counter")),
        [_counter_row(name, t) for name, t in report.by_counter.items()],
        key="by_counter",
    )
    not_recorded = _("(not recorded)")
    by_officer = Table(
        _("By officer"),
        _counter_headers(_("Officer")),
        [_counter_row(name or not_recorded, t) for name, t in report.by_officer.items()],
        key="by_officer",
    )
    hours = Table(
        _("Arrivals by hour"),
        [_("Hour"), _("Tickets issued")],
        [[f"{hour:02d}:00", count] for hour, count in enumerate(report.arrivals_by_hour)],
        key="arrivals_by_hour",
    )
    return [
        summary,
        by_day,
        by_month,
        by_service,
        by_counter,
        by_officer,
        channel_table(report),
        priority_table(report),
        category_service_table(report),
        help_table(report),
        visits_table(report),
        feedback_table(report.feedback),
        results_table(report),
        assistance_table(report),
        appointments_table(report),
        outreach_table(report),
        hours,
        *satisfaction_tables(report.satisfaction, total.served, reasons),
        category_satisfaction_table(report),
    ]


def channel_table(report: Report) -> Table:
    """Tickets per channel: kiosk, help desk, paper tickets of an outage (docs/outages.md),
    appointments' check-ins, an admin's API calls and the command line."""
    names = {
        "kiosk": _("Kiosk"),
        "helpdesk": _("Help desk"),
        "paper": _("Paper ticket"),
        "appointment": _("Appointment check-in"),
        "api": _("Through the API"),
        "cli": _("Command line"),
    }
    return Table(
        _("By channel"),
        _full_headers(_("Channel")),
        [_full_row(names.get(code, code), t) for code, t in report.by_channel.items()],
        key="by_channel",
    )


def help_table(report: Report) -> Table:
    """Help records per kind of help (rows) × priority category (columns), with totals."""
    counts = report.help
    categories: list[str | None] = [*counts.categories, None]
    total_label = _("Total")
    rows: list[list[Cell]] = [
        [kind, *(counts.cells.get((kind, c), 0) for c in categories), counts.kind_total(kind)]
        for kind in counts.kinds
    ]
    rows.append([total_label, *(counts.category_total(c) for c in categories), counts.total])
    headers = [_("Kind of help"), *counts.categories, _("No priority category"), total_label]
    return Table(_("Help given (help records)"), headers, rows, key="help")


def _visit_rows() -> list[tuple[str, Any]]:
    return [
        (_("Requested (day of the call)"), lambda t: t.requested),
        (_("Scheduled (appointments on the visit day)"), lambda t: t.scheduled),
        (_("Done, dossier received"), lambda t: t.done_dossier),
        (_("Done, advice only"), lambda t: t.done_advice),
        (_("Done (total)"), lambda t: t.done),
        (_("Not at home"), lambda t: t.not_at_home),
        (_("Cancelled"), lambda t: t.cancelled),
        (_("Rescheduled"), lambda t: t.rescheduled),
        (_("Awaiting an outcome"), lambda t: t.awaiting_outcome),
    ]


def visits_table(report: Report) -> Table:
    """Home visits: one row per figure, one column per priority category, with totals."""
    figures = report.home_visits
    columns: list[VisitTally] = [
        *(figures.tally(code) for code, _name in figures.categories),
        figures.tally(None),
        figures.total,
    ]
    rows: list[list[Cell]] = [
        [label, *(value(tally) for tally in columns)] for label, value in _visit_rows()
    ]
    headers = [
        _("Home visits"),
        *(name for _code, name in figures.categories),
        _("No priority category"),
        _("Total"),
    ]
    return Table(_("Home visits booked by phone"), headers, rows, key="home_visits")


def results_table(report: Report) -> Table:
    """Result slips issued on the report's days per service, with what became of them."""
    rows: list[list[Cell]] = [
        [name, t.issued, t.collected, t.collected_on_time, t.late, t.not_collected]
        for name, t in [*report.results.by_service.items(), (_("Total"), report.results.total)]
    ]
    headers = [
        _("Service"),
        _("Slips issued"),
        _("Collected"),
        _("Collected on time"),
        _("Late (postponed)"),
        _("Not yet collected"),
    ]
    return Table(_("Result slips"), headers, rows, key="results")


def assistance_table(report: Report) -> Table:
    """Calls for assistance per reason (rows): from where, taken, closed, cancelled and
    the time to take them (seconds), with a total row."""
    figures = report.assistance_calls

    def row(name: str, tally: ReasonTally) -> list[Cell]:
        waited = tally.time_to_accept
        return [
            name,
            tally.raised,
            tally.by_origin.get("kiosk", 0),
            tally.by_origin.get("counter", 0),
            tally.accepted,
            tally.closed,
            tally.cancelled,
            _whole(waited.median),
            _whole(waited.p90),
        ]

    rows = [row(tally.name, tally) for tally in figures.reasons]
    rows.append(row(_("Total"), figures.total))
    headers = [
        _("Reason"),
        _("Calls"),
        _("From a kiosk"),
        _("From a counter"),
        _("Taken"),
        _("Closed"),
        _("Cancelled"),
        _("Median time to take (s)"),
        _("90th percentile time to take (s)"),
    ]
    return Table(_("Calls for assistance"), headers, rows, key="assistance_calls")


def _whole(seconds: float | None) -> int | None:
    return None if seconds is None else round(seconds)


def appointments_table(report: Report) -> Table:
    """Appointments of the report's days per service and booking channel, with totals."""
    figures = report.appointments
    channels = {"helpdesk": _("Help desk"), "kiosk": _("Kiosk"), "public": _("Public page")}
    rows: list[list[Cell]] = [
        [service, channels.get(channel, channel), *outcomes.as_json().values()]
        for (service, channel), outcomes in figures.cells.items()
    ]
    rows.append([_("Total"), "", *figures.total.as_json().values()])
    headers = [
        _("Service"),
        _("Booked through"),
        _("Booked"),
        _("Came on time"),
        _("Came late"),
        _("Did not come"),
        _("Cancelled"),
        _("Still to come"),
    ]
    return Table(_("Appointments"), headers, rows, key="appointments")
