"""``/admin/reports``: the ward chairman's report on a web page, with SVG charts and
downloads (the same files as ``xephang report``). For admins and managers."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NotRequired, TypedDict

from flask import Response, request, url_for
from markupsafe import Markup

from queue_server.auth.roles import Principal, Role
from queue_server.i18n import N_, _, use_language
from queue_server.reports.charts import report_charts
from queue_server.reports.compute import Report, compute_report
from queue_server.reports.files import FORMATS, MEDIA_TYPES, file_name, report_file
from queue_server.reports.numbers import format_number
from queue_server.reports.tables import Cell, Month, report_tables
from queue_server.web.admin import admin, menu, render_admin, signed_in
from queue_server.web.state import xephang

MAX_DAYS = 366  # longer ranges: ``xephang report`` (with its progress bar)
GROUPINGS = ("day", "month")

menu("admin.reports", N_("Reports"), Role.MANAGER)


class RangeError(ValueError):
    """A range the page cannot show; ``message`` is for people."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# A TypedDict, not dict[str, str]: url_for(**query) then type-checks against its own keywords.
RangeQuery = TypedDict(
    "RangeQuery", {"from": str, "to": str, "by": str, "format": NotRequired[str]}
)


@dataclass(frozen=True, slots=True)
class ReportRange:
    """The days asked for and how the page groups them."""

    start: date
    end: date
    by: str = "day"

    def query(self, fmt: str | None = None) -> RangeQuery:
        """The query string that asks for this range (and a file ``fmt``)."""
        query: RangeQuery = {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "by": self.by,
        }
        if fmt is not None:
            query["format"] = fmt
        return query


def month_range(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def quick_ranges(today: date) -> list[tuple[str, ReportRange]]:
    """Today, this month (so far) and last month."""
    last_of_previous = today.replace(day=1) - timedelta(days=1)
    previous = month_range(last_of_previous.year, last_of_previous.month)
    return [
        (_("Today"), ReportRange(today, today)),
        (_("This month"), ReportRange(today.replace(day=1), today)),
        (_("Last month"), ReportRange(*previous)),
    ]


def _day(args: Mapping[str, str], name: str, label: str) -> date | None:
    text = args.get(name, "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise RangeError(
            _("{label}: {value} is not a date (use YYYY-MM-DD).").format(
                label=label, value=text[:20]
            )
        ) from None


def parse_range(args: Mapping[str, str], today: date) -> ReportRange:
    """The range in the query string; by default this month so far, per day."""
    start = _day(args, "from", _("From"))
    end = _day(args, "to", _("To"))
    if start is None and end is None:
        start, end = today.replace(day=1), today
    start = start or end
    end = end or start
    assert start is not None and end is not None
    if start > end:
        raise RangeError(
            _("The first day ({start}) is after the last day ({end}).").format(
                start=start.isoformat(), end=end.isoformat()
            )
        )
    if (end - start).days + 1 > MAX_DAYS:
        raise RangeError(
            _(
                "The page shows at most {days} days; choose a shorter range "
                "or use xephang report on the server."
            ).format(days=MAX_DAYS)
        )
    by = args.get("by", "day")
    if by not in GROUPINGS:
        raise RangeError(_("Group the report per day or per month."))
    return ReportRange(start, end, by)


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


def _compute(chosen: ReportRange) -> Report:
    state = xephang()
    return compute_report(
        state.queue.db,
        state.settings.center.zone,
        chosen.start,
        chosen.end,
        kinds=state.settings.assists.kinds,
        call_reasons=state.settings.assistance.reasons,
    )


def _page(principal: Principal, status: int = 200, **context: Any) -> tuple[str, int]:
    today = xephang().queue.today()
    quick = [(label, url_for("admin.reports", **r.query())) for label, r in quick_ranges(today)]
    html = render_admin(
        "reports.html",
        principal,
        _("Reports"),
        quick=quick,
        cell=display_cell,
        stylesheet=url_for("screens.static", filename="css/reports.css"),
        **context,
    )
    return html, status


@admin.get("/reports")
def reports() -> Response | tuple[str, int]:
    """The report of the chosen days: charts, then every table of the exports."""
    principal = signed_in(Role.MANAGER)
    if isinstance(principal, Response):
        return principal
    today = xephang().queue.today()
    try:
        chosen = parse_range(request.args, today)
    except RangeError as exc:
        fallback = ReportRange(today.replace(day=1), today)
        return _page(principal, 400, error=exc.message, chosen=fallback, form=request.args)
    report = _compute(chosen)
    hidden = "by_month" if chosen.by == "day" else "by_day"
    tables = [
        t
        for t in report_tables(
            report, xephang().settings.center.name, xephang().settings.ratings.reasons
        )
        if t.key != hidden
    ]
    charts = [(chart, Markup(chart.svg)) for chart in report_charts(report)]  # escaped when drawn
    downloads = [(fmt, url_for("admin.report_download", **chosen.query(fmt))) for fmt in FORMATS]
    return _page(
        principal,
        chosen=chosen,
        form=chosen.query(),
        report=report,
        tables=tables,
        charts=charts,
        downloads=downloads,
    )


@admin.get("/reports/download")
def report_download() -> Response | tuple[str, int]:
    """The chosen days as CSV or XLSX, in the center's language (as the CLI writes it)."""
    principal = signed_in(Role.MANAGER)
    if isinstance(principal, Response):
        return principal
    state = xephang()
    today = state.queue.today()
    fmt = request.args.get("format", "")
    try:
        chosen = parse_range(request.args, today)
        if fmt not in FORMATS:
            raise RangeError(_("Download the report as CSV or XLSX."))
    except RangeError as exc:
        fallback = ReportRange(today.replace(day=1), today)
        return _page(principal, 400, error=exc.message, chosen=fallback, form=request.args)
    report = _compute(chosen)
    with use_language(state.settings.center.language):
        data = report_file(report, state.settings.center.name, fmt, state.settings.ratings.reasons)
    response = Response(data, content_type=MEDIA_TYPES[fmt])  # mimetype= adds a 2nd charset
    response.headers["Content-Disposition"] = f'attachment; filename="{file_name(report, fmt)}"'
    return response
