"""``/admin/reports``: who may see it, the figures it shows, its SVG charts and its
downloads (byte for byte the files ``xephang report`` writes)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

import pytest
from flask import Flask
from openpyxl import load_workbook

from queue_server.auth.tokens import create_token
from queue_server.core.bootstrap import open_queue
from queue_server.core.clock import FrozenClock
from queue_server.core.operations import Queue
from queue_server.i18n import use_language
from queue_server.reports import compute_report, report_tables
from queue_server.runtime import start_app
from queue_server.settings import load_settings
from queue_server.web.admin.reports import display_cell, parse_range, quick_ranges

from .conftest import client_as
from .test_cli import config, xephang  # noqa: F401  (known days on a SQLite center)

Play = Callable[[Queue, FrozenClock], None]
NOVEMBER = "/admin/reports?from=2026-11-01&to=2026-11-30"
VI = {"Accept-Language": "vi"}


class ReportPage(HTMLParser):
    """The tables (cell texts per section) and the bars of each chart of the page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = defaultdict(list)
        self.bars: dict[str, int] = defaultdict(int)
        self.svg_titles: list[str] = []
        self._section: str | None = None
        self._chart: str | None = None
        self._cell: list[str] | None = None
        self._in_title = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "section" and (attr.get("id") or "").startswith("section-"):
            self._section = (attr["id"] or "").removeprefix("section-")
        elif tag == "figure":
            self._chart = attr.get("id")
        elif tag == "tr" and self._section:
            self.tables[self._section].append([])
        elif tag in ("td", "th") and self._section:
            self._cell = []
        elif tag == "rect" and attr.get("class") == "bar" and self._chart:
            self.bars[self._chart] += 1
        elif tag == "title" and self._chart:
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self._section = None
        elif tag == "figure":
            self._chart = None
        elif tag in ("td", "th") and self._cell is not None and self._section:
            self.tables[self._section][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._in_title and self._chart and data.strip():
            self.svg_titles.append(data.strip())


@pytest.fixture
def played(queue: Queue, clock: FrozenClock, play: Play) -> Queue:
    play(queue, clock)
    return queue


def test_admin_and_manager_see_the_report_others_do_not(app: Flask, played: Queue) -> None:
    for role in ("admin", "manager"):
        client, _csrf = client_as(app, role)
        page = client.get(NOVEMBER, headers=VI)
        assert page.status_code == 200, role
        assert "<h1>Báo cáo</h1>" in page.get_data(as_text=True)
        assert client.get("/admin/").headers["Location"].endswith("/admin/reports")
        download = client.get("/admin/reports/download?from=2026-11-23&format=csv")
        assert download.status_code == 200
    for role in ("officer", "helpdesk"):
        client, _csrf = client_as(app, role)
        assert client.get(NOVEMBER).status_code == 403, role
        assert client.get("/admin/reports/download?format=csv").status_code == 403
    manager, _csrf = client_as(app, "manager")  # read-only: no console, no help desk
    assert [manager.get(path).status_code for path in ("/officer", "/helpdesk")] == [403, 403]
    anonymous = app.test_client().get(NOVEMBER)
    assert anonymous.status_code == 303
    assert "/login?next=/admin/reports" in anonymous.headers["Location"]
    secret, _info = create_token(played.db, "admin")  # API tokens are not for pages
    by_token = app.test_client().get(NOVEMBER, headers={"Authorization": f"Bearer {secret}"})
    assert by_token.status_code == 303


def test_the_page_shows_the_computed_report(app: Flask, played: Queue) -> None:
    client, _csrf = client_as(app, "manager")
    page = ReportPage(client.get(NOVEMBER, headers=VI).get_data(as_text=True))
    report = compute_report(played.db, played.options.zone, date(2026, 11, 1), date(2026, 11, 30))
    with use_language("vi"):
        tables = report_tables(report, "TTPVHCC")
    expected = {
        table.key: [table.headers, *([display_cell(c) for c in row] for row in table.rows)]
        for table in tables
        if table.key and table.rows and table.key not in ("by_month", "summary")
    }
    shown = {key: rows for key, rows in page.tables.items() if key in expected}
    assert shown == expected
    # A few figures checked by hand (see conftest.py): Monday's waits, the per-category count.
    # Days as in the headings (23/11/2026), not as in the files (2026-11-23).
    monday = next(row for row in page.tables["by_day"] if row[0] == "23/11/2026")
    assert monday[:8] == ["23/11/2026", "6", "4", "1", "1", "5,4", "5,0", "8,0"]
    # T2 240 s, T3 180 s, T6 300 s: the row of all categories has their mean wait.
    all_priority = ["Tất cả đối tượng ưu tiên (người yếu thế)", "3", "2", "1", "0", "4,0", "–"]
    assert all_priority in page.tables["priority"]
    assert ["Số người yếu thế đã được phục vụ", "2"] in page.tables["summary"]
    assert "by_month" not in page.tables


def test_the_charts_are_svg_with_one_bar_per_figure(app: Flask, played: Queue) -> None:
    client, _csrf = client_as(app, "admin")
    html = client.get(NOVEMBER, headers=VI).get_data(as_text=True)
    page = ReportPage(html)
    categories = len(played.catalogue.categories)
    assert dict(page.bars) == {
        "chart-arrivals": 11,  # 7h to 17h (every arrival was in opening hours)
        "chart-tickets": 2 * 3,  # Hộ tịch and Chứng thực: issued, served, no-show
        "chart-waits": 2 * 2,  # median and P90
        "chart-vulnerable": categories - 1,  # the emergency category apart
        # Mean waits: elderly, disabled, all priority categories, no category.
        "chart-category-waits": 4,
    }
    assert html.count('<svg class="chart" role="img"') == 5
    assert "Lượt đến theo giờ" in page.svg_titles
    assert "Giờ đông nhất: 9h với 5 phiếu; tổng cộng 7 phiếu." in html
    assert 'aria-labelledby="chart-waits-title chart-waits-desc"' in html
    assert "<script" not in html.split('<section class="r-charts"')[1].split("</section>")[0]


def test_per_month_shows_months_instead_of_days(app: Flask, played: Queue) -> None:
    client, _csrf = client_as(app, "manager")
    html = client.get(f"{NOVEMBER}&by=month", headers=VI).get_data(as_text=True)
    page = ReportPage(html)
    assert "by_day" not in page.tables
    assert page.tables["by_month"][1][:5] == ["11/2026", "7", "5", "1", "1"]
    assert 'data-by="month" aria-current="true"' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2026-11-31&to=2026-11-30", "Từ ngày: 2026-11-31 không phải là ngày"),
        ("from=2026-11-30&to=2026-11-01", "Ngày bắt đầu (2026-11-30) sau ngày kết thúc"),
        ("from=2024-01-01&to=2026-11-30", "tối đa 366 ngày"),
        ("from=2026-11-01&to=2026-11-30&by=week", "theo ngày hoặc theo tháng"),
    ],
)
def test_bad_ranges_get_a_polite_400(app: Flask, played: Queue, query: str, message: str) -> None:
    client, _csrf = client_as(app, "manager")
    for path in ("/admin/reports", "/admin/reports/download"):
        response = client.get(f"{path}?{query}&format=csv", headers=VI)
        assert response.status_code == 400, path
        html = response.get_data(as_text=True)
        assert re.search(r'<p role="alert"[^>]*>[^<]*' + re.escape(message), html), html
        assert "<form" in html  # the page is still there to try again
    bad_format = client.get("/admin/reports/download?format=pdf", headers=VI)
    assert bad_format.status_code == 400
    assert "CSV, XLSX hoặc JSON" in bad_format.get_data(as_text=True)


def test_default_period_and_quick_choices() -> None:
    today = date(2026, 3, 15)
    assert (parse_range({}, today).start, parse_range({}, today).end) == (
        date(2026, 3, 1),
        date(2026, 3, 31),
    )  # this month
    assert parse_range({"from": "2026-03-02"}, today).end == date(2026, 3, 2)
    choices = {label: (r.start, r.end, r.by) for label, r in quick_ranges(today)}
    with use_language("vi"):
        labels = [label for label, _r in quick_ranges(today)]
    assert labels == ["Hôm nay", "Tháng này", "Tháng trước", "Quý này", "Năm nay"]
    assert list(choices.values()) == [
        (today, today, "day"),
        (date(2026, 3, 1), date(2026, 3, 31), "day"),
        (date(2026, 2, 1), date(2026, 2, 28), "day"),
        (date(2026, 1, 1), date(2026, 3, 31), "month"),
        (date(2026, 1, 1), date(2026, 12, 31), "month"),
    ]
    january = {r.start: r.end for _label, r in quick_ranges(date(2026, 1, 5))}
    assert january[date(2025, 12, 1)] == date(2025, 12, 31)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_downloads_are_the_files_the_cli_writes(
    config: Path,  # noqa: F811
    tmp_path: Path,
    fmt: str,
) -> None:
    settings = load_settings(config)
    queue = open_queue(settings, clock=FrozenClock(datetime(2026, 11, 30, 2, tzinfo=UTC)))
    app = start_app(settings, queue=queue, testing=True)
    client, _csrf = client_as(app, "manager")
    query = "from=2026-11-01&to=2026-11-30"
    download = client.get(f"/admin/reports/download?{query}&format={fmt}")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"] == (
        f'attachment; filename="bao-cao_2026-11-01_2026-11-30.{fmt}"'
    )
    out = tmp_path / f"cli.{fmt}"
    written = xephang(
        "report", "--from", "2026-11-01", "--to", "2026-11-30", "--format", fmt,
        "--out", str(out), config=config,
    )  # fmt: skip
    assert written.returncode == 0, written.stderr.decode()
    assert download.data == out.read_bytes()
    # An English browser still downloads the center's Vietnamese headers.
    english = client.get(f"/admin/reports/download?{query}&format={fmt}",
                         headers={"Accept-Language": "en"})  # fmt: skip
    assert english.data == download.data
    queue.db.dispose()


@pytest.mark.parametrize("day", ["1979-12-31", "2108-01-01"])
def test_an_xlsx_of_days_a_zip_file_cannot_date_still_downloads(
    app: Flask, played: Queue, day: str
) -> None:
    """ZIP times run from 1980 to 2107: the workbook of a day outside still opens."""
    client, _csrf = client_as(app, "manager")
    download = client.get(f"/admin/reports/download?from={day}&to={day}&format=xlsx")
    assert download.status_code == 200
    workbook = load_workbook(BytesIO(download.data))
    assert workbook.sheetnames and workbook.properties.created is not None
