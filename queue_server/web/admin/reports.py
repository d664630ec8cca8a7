"""``/admin/reports``: the ward chairman's periodic report on a web page — a month, a
quarter, a year or any days — with SVG charts, downloads (the same files as
``xephang report``) and an A4 print layout. For admins and managers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from flask import Response, request, url_for
from markupsafe import Markup

from queue_server.auth.roles import Principal, Role
from queue_server.i18n import N_, _, use_language
from queue_server.reports.charts import report_charts
from queue_server.reports.compute import Report, compute_report
from queue_server.reports.files import FORMATS, MEDIA_TYPES, file_name, report_file
from queue_server.reports.numbers import format_number
from queue_server.reports.periods import (
    MONTH,
    QUARTER,
    RANGE,
    ROMAN,
    YEAR,
    Period,
    PeriodError,
    chosen_period,
)
from queue_server.reports.tables import Cell, Month, report_tables
from queue_server.web.admin import admin, menu, render_admin, signed_in
from queue_server.web.state import xephang

MAX_DAYS = 366  # longer ranges: ``xephang report`` (with its progress bar)
GROUPINGS = ("day", "month")
PICKER_YEARS = 6  # the year and quarter lists: this year and the five before

menu("admin.reports", N_("Reports"), Role.MANAGER)


class RangeError(ValueError):
    """A range the page cannot show; ``message`` is for people."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class ReportRange:
    """The period asked for and how the page groups its days (``by``)."""

    start: date
    end: date
    by: str = "day"

    @property
    def period(self) -> Period:
        return Period.of(self.start, self.end)

    def query(self, fmt: str | None = None, by: str | None = None) -> dict[str, str]:
        """The query string that asks for this period (and a file ``fmt``)."""
        query = {**self.period.query(), "by": by or self.by}
        if fmt is not None:
            query["format"] = fmt
        return query


def page_url(endpoint: str, query: Mapping[str, str]) -> str:
    return f"{url_for(endpoint)}?{urlencode(query)}"


def default_grouping(period: Period) -> str:
    """A quarter or a year per month, anything shorter per day."""
    return "month" if period.kind in (QUARTER, YEAR) else "day"


def quick_ranges(today: date) -> list[tuple[str, ReportRange]]:
    """Today, this month, last month, this quarter and this year."""
    month = Period.month(today.year, today.month)
    quarter = Period.quarter(today.year, (today.month - 1) // 3 + 1)
    year = Period.year(today.year)
    choices = [
        (_("Today"), Period.of(today, today)),
        (_("This month"), month),
        (_("Last month"), month.previous()),
        (_("This quarter"), quarter),
        (_("This year"), year),
    ]
    return [(label, ReportRange(p.start, p.end, default_grouping(p))) for label, p in choices]


def parse_range(args: Mapping[str, str], today: date) -> ReportRange:
    """The period in the query string (``month``, ``quarter``, ``year`` or ``from``/``to``,
    one way only); by default this month."""
    try:
        period = chosen_period(
            month=args.get("month", "").strip(),
            quarter=args.get("quarter", "").strip(),
            year=args.get("year", "").strip(),
            start=args.get("from", "").strip(),
            end=args.get("to", "").strip(),
        )
    except PeriodError as exc:
        raise RangeError(exc.message) from None
    if period is None:
        period = Period.month(today.year, today.month)
    if period.days > MAX_DAYS:
        raise RangeError(
            _(
                "The page shows at most {days} days; choose a shorter range "
                "or use xephang report on the server."
            ).format(days=MAX_DAYS)
        )
    by = args.get("by") or default_grouping(period)
    if by not in GROUPINGS:
        raise RangeError(_("Group the report per day or per month."))
    return ReportRange(period.start, period.end, by)


def display_cell(value: Cell) -> str:
    """A table cell as the page shows it: counts grouped, minutes with one decimal,
    days as 23/11/2026 and months as 11/2026."""
    if value is None:
        return "–"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"  # as in the page's headings
    if isinstance(value, Month):
        return f"{value.month:02d}/{value.year}"
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return format_number(value)
    return format_number(value, decimals=1)


def _neighbour(chosen: ReportRange, step: int) -> tuple[str, str] | None:
    """The address and label of the period before (``-1``) or after (``1``), of the same
    kind and grouping."""
    period = chosen.period
    try:
        other = period.previous() if step < 0 else period.next()
    except (ValueError, OverflowError):  # before year 1 or after 9999
        return None
    return page_url("admin.reports", {**other.query(), "by": chosen.by}), other.label()


def picker(chosen: ReportRange, today: date) -> dict[str, Any]:
    """What the period picker shows: the chosen kind and the values to offer."""
    period = chosen.period
    years = sorted({*range(today.year - PICKER_YEARS + 1, today.year + 1), period.start.year})
    quarters = [
        (f"{year}-Q{n}", _("quarter {quarter} of {year}").format(quarter=ROMAN[n - 1], year=year))
        for year in reversed(years)
        for n in (4, 3, 2, 1)
    ]
    return {
        "kind": period.kind,
        "month": f"{period.start:%Y-%m}",
        "quarter": f"{period.start.year}-Q{period.quarter_number}",
        "year": period.start.year,
        "years": list(reversed(years)),
        "quarters": quarters,
        "kinds": [
            (MONTH, _("Month")),
            (QUARTER, _("Quarter")),
            (YEAR, _("Year")),
            (RANGE, _("Days")),
        ],
    }


def _compute(chosen: ReportRange) -> Report:
    state = xephang()
    return compute_report(
        state.queue.db,
        state.settings.center.zone,
        chosen.start,
        chosen.end,
        kinds=state.settings.assists.kinds,
        feedback_kinds=state.settings.feedback.kinds,
        call_reasons=state.settings.assistance.reasons,
    )


def _page(
    principal: Principal, chosen: ReportRange, status: int = 200, **context: Any
) -> tuple[str, int]:
    today = xephang().queue.today()
    quick = [(label, page_url("admin.reports", r.query())) for label, r in quick_ranges(today)]
    html = render_admin(
        "reports.html",
        principal,
        _("Reports"),
        quick=quick,
        cell=display_cell,
        chosen=chosen,
        period=chosen.period,
        picker=picker(chosen, today),
        stylesheet=url_for("screens.static", filename="css/reports.css"),
        **context,
    )
    return html, status


def _fallback(today: date) -> ReportRange:
    """This month: what the page offers again after a bad choice."""
    month = Period.month(today.year, today.month)
    return ReportRange(month.start, month.end)


@admin.get("/reports")
def reports() -> Response | tuple[str, int]:
    """The report of the chosen period: charts, then every table of the exports."""
    principal = signed_in(Role.MANAGER)
    if isinstance(principal, Response):
        return principal
    today = xephang().queue.today()
    try:
        chosen = parse_range(request.args, today)
    except RangeError as exc:
        return _page(principal, _fallback(today), 400, error=exc.message, form=request.args)
    report = _compute(chosen)
    hidden = "by_month" if chosen.by == "day" else "by_day"
    settings = xephang().settings
    tables = [
        t
        for t in report_tables(report, settings.center.name, settings.ratings.reasons)
        if t.key != hidden
    ]
    charts = [(chart, Markup(chart.svg)) for chart in report_charts(report)]  # escaped when drawn
    downloads = [(fmt, page_url("admin.report_download", chosen.query(fmt))) for fmt in FORMATS]
    groupings = [
        (by, label, page_url("admin.reports", chosen.query(by=by)))
        for by, label in (("day", _("per day")), ("month", _("per month")))
    ]
    return _page(
        principal,
        chosen,
        form=chosen.query(),
        report=report,
        tables=tables,
        charts=charts,
        downloads=downloads,
        groupings=groupings,
        previous=_neighbour(chosen, -1),
        next=_neighbour(chosen, 1),
    )


@admin.get("/reports/download")
def report_download() -> Response | tuple[str, int]:
    """The chosen period as CSV, XLSX or JSON, in the center's language (as the CLI
    writes it)."""
    principal = signed_in(Role.MANAGER)
    if isinstance(principal, Response):
        return principal
    state = xephang()
    today = state.queue.today()
    fmt = request.args.get("format", "")
    try:
        chosen = parse_range(request.args, today)
        if fmt not in FORMATS:
            raise RangeError(_("Download the report as CSV, XLSX or JSON."))
    except RangeError as exc:
        return _page(principal, _fallback(today), 400, error=exc.message, form=request.args)
    report = _compute(chosen)
    center = state.settings.center
    with use_language(center.language):
        data = report_file(
            report, center.name, fmt, state.settings.ratings.reasons, ward=center.ward
        )
    response = Response(data, content_type=MEDIA_TYPES[fmt])  # mimetype= adds a 2nd charset
    response.headers["Content-Disposition"] = f'attachment; filename="{file_name(report, fmt)}"'
    return response
