"""Charts of a report as server-drawn SVG: no script, readable when printed.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that says what
it shows in words, every bar carries its number as text, and the colours are one hue in
three clearly different shades (with outlines) so they stay apart in black and white.
The same figures are in the report's tables below the charts.

:data:`CHARTS` lists the chart builders in page order; a new section of the report
(e.g. satisfaction) adds its builder there.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from queue_server.i18n import _
from queue_server.reports.compute import Report
from queue_server.reports.numbers import format_number
from queue_server.reports.tables import minutes

WIDTH = 600  # drawn about this wide on a laptop: text stays at its size
BAR_LEFT = 4
BAR_SPACE = 500  # the longest bar; its number fits after it
BAR_HEIGHT = 16
ROW_HEIGHT = 20
GROUP_GAP = 12
LEGEND_HEIGHT = 32
LEGEND_ROW = 22
LINE_HEIGHT = 18  # a label's line, above its bars
LABEL_CHARS = 58  # wrap labels at this many characters (14 px text, 600 wide)
SHADES = ("#0b3d7a", "#5b8fd0", "#c9dbf2")
OUTLINE = "#0b3d7a"
INK = "#111111"
OPENING_HOURS = (7, 17)  # always shown on the arrivals chart


@dataclass(frozen=True, slots=True)
class Chart:
    """One chart: its key, title, description and SVG markup (``bars`` bars drawn)."""

    key: str
    title: str
    description: str
    svg: str
    bars: int


@dataclass(frozen=True, slots=True)
class Series:
    """One kind of bar: a name for the legend and a value per label (``None``: none)."""

    name: str
    values: Sequence[float | None]


def _text(x: float, y: float, content: str, *, anchor: str = "start", extra: str = "") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{INK}"{extra}>'
        f"{escape(content)}</text>"
    )


def _bar(x: float, y: float, width: float, height: float, shade: str, label: str) -> str:
    return (
        f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{max(width, 0):.1f}" '
        f'height="{height:.1f}" fill="{shade}" stroke="{OUTLINE}" stroke-width="1">'
        f"<title>{escape(label)}</title></rect>"
    )


def _svg(key: str, title: str, description: str, height: float, body: list[str]) -> str:
    return (
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" font-size="14" '
        f'aria-labelledby="{key}-title {key}-desc">'
        f'<title id="{key}-title">{escape(title)}</title>'
        f'<desc id="{key}-desc">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )


def _lines(label: str) -> list[str]:
    """A label in whole words on lines that fit the chart (never cut at an edge)."""
    return textwrap.wrap(label, LABEL_CHARS) or [""]


def _legend(series: Sequence[Series]) -> tuple[list[str], int]:
    """The legend's swatches and names, on as many rows as they need; and its height."""
    parts, x, y = [], 0, 8
    for index, item in enumerate(series):
        width = 36 + 8 * len(item.name)
        if x and x + width > WIDTH:
            x, y = 0, y + LEGEND_ROW
        parts.append(
            f'<rect class="swatch" x="{x}" y="{y}" width="14" height="14" '
            f'fill="{SHADES[index]}" stroke="{OUTLINE}" stroke-width="1"/>'
        )
        parts.append(_text(x + 20, y + 12, item.name))
        x += width
    return parts, y + LEGEND_HEIGHT - 8


def bar_chart(
    key: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    decimals: int = 0,
) -> Chart:
    """Horizontal bars: each label in full above its group (one bar per series), the
    numbers at the ends of the bars."""
    values = [v for s in series for v in s.values if v is not None]
    scale = BAR_SPACE / max([*values, 1])
    body, top = _legend(series) if len(series) > 1 else ([], 8)
    bars = 0
    y = top
    if not labels:
        body.append(_text(BAR_LEFT, y + 16, _("Nothing to show for these days.")))
        y += ROW_HEIGHT + GROUP_GAP
    for row, label in enumerate(labels):
        for line in _lines(label):
            body.append(_text(0, y + LINE_HEIGHT - 4, line, extra=' font-weight="600"'))
            y += LINE_HEIGHT
        first_bar = y
        for index, item in enumerate(series):
            value = item.values[row]
            shown = "–" if value is None else format_number(value, decimals=decimals)
            width = 0.0
            if value is not None:
                width = value * scale
                tip = f"{item.name}: {shown}"
                body.append(_bar(BAR_LEFT, y, width, BAR_HEIGHT, SHADES[index], tip))
                bars += 1
            body.append(_text(BAR_LEFT + width + 6, y + BAR_HEIGHT - 2, shown))
            y += ROW_HEIGHT
        body.append(
            f'<line x1="{BAR_LEFT}" x2="{BAR_LEFT}" y1="{first_bar - 2:.0f}" '
            f'y2="{y - ROW_HEIGHT + BAR_HEIGHT + 2:.0f}" stroke="{INK}"/>'
        )
        y += GROUP_GAP
    height = y + 8 - GROUP_GAP
    return Chart(key, title, description, _svg(key, title, description, height, body), bars)


def column_chart(
    key: str, title: str, description: str, labels: Sequence[str], values: Sequence[int]
) -> Chart:
    """Vertical bars (e.g. arrivals per hour), the number above each bar."""
    height, left, bottom, top = 240, 8, 28, 24
    plot_height = height - bottom - top
    step = (WIDTH - 2 * left) / max(len(values), 1)
    scale = plot_height / max([*values, 1])
    body = [
        f'<line x1="{left}" x2="{WIDTH - left}" y1="{height - bottom}" '
        f'y2="{height - bottom}" stroke="{INK}"/>'
    ]
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = left + index * step + step * 0.15
        bar_height = value * scale
        y = height - bottom - bar_height
        body.append(_bar(x, y, step * 0.7, bar_height, SHADES[0], f"{label}: {value}"))
        body.append(_text(x + step * 0.35, y - 5, format_number(value), anchor="middle"))
        body.append(_text(x + step * 0.35, height - 10, label, anchor="middle"))
    return Chart(key, title, description, _svg(key, title, description, height, body), len(values))


def arrivals_chart(report: Report) -> Chart:
    """Tickets issued per local hour, over the opening hours and every busy hour."""
    counts = report.arrivals_by_hour
    busy = [hour for hour, count in enumerate(counts) if count]
    first = min([OPENING_HOURS[0], *busy])
    last = max([OPENING_HOURS[1], *busy])
    hours = list(range(first, last + 1))
    if busy:
        peak = max(hours, key=lambda hour: (counts[hour], -hour))
        busiest = _("Busiest hour: {hour} with {count} tickets; {total} tickets in all.")
        description = busiest.format(hour=f"{peak}h", count=counts[peak], total=sum(counts))
    else:
        description = _("No ticket was issued on these days.")
    return column_chart(
        "chart-arrivals",
        _("Arrivals by hour"),
        description,
        [f"{hour}h" for hour in hours],
        [counts[hour] for hour in hours],
    )


def tickets_chart(report: Report) -> Chart:
    """Tickets issued, served and no-show per service."""
    services = report.by_service
    tallies = list(services.values())
    return bar_chart(
        "chart-tickets",
        _("Tickets per service"),
        _("Tickets issued, served and no-show for each service; {total} issued in all.").format(
            total=report.total.issued
        ),
        list(services),
        [
            Series(_("Tickets issued"), [t.issued for t in tallies]),
            Series(_("Served"), [t.served for t in tallies]),
            Series(_("No-show"), [t.no_show for t in tallies]),
        ],
    )


def waits_chart(report: Report) -> Chart:
    """Median and P90 wait per service, in minutes."""
    tallies = list(report.by_service.values())
    return bar_chart(
        "chart-waits",
        _("Waiting time per service (minutes)"),
        _(
            "Median and 90th-percentile waiting time in minutes for each service, "
            "from the ticket to the first call."
        ),
        list(report.by_service),
        [
            Series(_("Median"), [minutes(t.wait.median) for t in tallies]),
            Series(_("P90"), [minutes(t.wait.p90) for t in tallies]),
        ],
        decimals=1,
    )


def vulnerable_chart(report: Report) -> Chart:
    """Vulnerable citizens served per priority category (emergency categories apart)."""
    rows = [row for row in report.by_category.vulnerable_rows if row.info]
    return bar_chart(
        "chart-vulnerable",
        _("Vulnerable citizens served"),
        _("Citizens served in each priority category; {total} in all.").format(
            total=report.priority_served
        ),
        [row.info.name for row in rows if row.info],
        [Series(_("Served"), [row.tally.served for row in rows])],
    )


def category_waits_chart(report: Report) -> Chart:
    """Mean wait per priority category, all priority categories together, and tickets
    without a category (the shorter waits the plans ask for)."""
    figures = report.by_category
    rows = [(row.info.name, row.tally) for row in figures.rows.values() if row.info]
    rows.append((_("All priority categories (vulnerable citizens)"), figures.vulnerable))
    rows.append((_("No priority category"), figures.no_category.tally))
    return bar_chart(
        "chart-category-waits",
        _("Mean wait per priority category (minutes)"),
        _(
            "Mean waiting time in minutes, from the ticket to the first call, for each "
            "priority category, all of them together and tickets without a category."
        ),
        [label for label, _tally in rows],
        [Series(_("Mean wait"), [minutes(tally.wait.mean) for _label, tally in rows])],
        decimals=1,
    )


def satisfaction_chart(report: Report) -> Chart | None:
    """Ratings per counter by score; none when nobody rated in the range."""
    total = report.satisfaction.total
    if not total.count:
        return None
    by_counter = report.satisfaction.by_counter
    tallies = list(by_counter.values())
    percent = format_number(total.percent_satisfied or 0.0, decimals=1)
    return bar_chart(
        "chart-satisfaction",
        _("Satisfaction per counter"),
        _("{count} ratings; {percent}% satisfied or very satisfied.").format(
            count=total.count, percent=percent
        ),
        list(by_counter),
        [
            Series(_("Very satisfied"), [t.very_satisfied for t in tallies]),
            Series(_("Satisfied"), [t.satisfied for t in tallies]),
            Series(_("Not satisfied"), [t.not_satisfied for t in tallies]),
        ],
    )


ChartBuilder = Callable[[Report], Chart | None]
CHARTS: list[ChartBuilder] = [
    arrivals_chart,
    tickets_chart,
    waits_chart,
    vulnerable_chart,
    category_waits_chart,
    satisfaction_chart,
]


def report_charts(report: Report) -> list[Chart]:
    """Every chart of the report, in page order."""
    return [chart for build in CHARTS if (chart := build(report)) is not None]
