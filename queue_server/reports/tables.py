"""Turn a report into translated tables (one per section) for the exporters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from queue_server.core.rating_config import DEFAULT_REASONS, ReasonConfig
from queue_server.i18n import _
from queue_server.reports.compute import Report, Tally
from queue_server.reports.stats import Durations


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
    officers, priority categories, arrivals by hour, then the satisfaction sections
    (``reasons``: the configured reasons for "not satisfied", ``settings.ratings.reasons``)."""
    # Imported here: the satisfaction tables are built from this module's Table.
    from queue_server.reports.satisfaction_tables import satisfaction_tables

    total = report.total
    summary = Table(
        _("Summary"),
        [_("Item"), _("Value")],
        [
            [_("Center"), center],
            [_("From"), _day(report.start)],
            [_("To"), _day(report.end)],
            [_("Time zone"), report.zone],
            [_("Tickets issued"), total.issued],
            [_("Served"), total.served],
            [_("No-show"), total.no_show],
            [_("Cancelled"), total.cancelled],
            [_("Vulnerable citizens served"), report.priority_served],
            [_("Help given (help records)"), report.help.total],
            [_("Help given to citizens with a priority category"), report.help.with_priority],
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
    priority_rows: list[list[Cell]] = [
        [name, t.issued, t.served, minutes(t.wait.mean)] for name, t in report.by_priority.items()
    ]
    priority_rows.append(
        [
            _("Total with any priority"),
            report.priority_issued,
            report.priority_served,
            minutes(report.priority_total.wait.mean),
        ]
    )
    priority = Table(
        _("Priority categories"),
        [_("Priority category"), _("Tickets issued"), _("Served"), _("Mean wait (min)")],
        priority_rows,
        key="priority",
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
        priority,
        help_table(report),
        appointments_table(report),
        hours,
        *satisfaction_tables(report.satisfaction, total.served, reasons),
    ]


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
