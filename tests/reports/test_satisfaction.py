"""Satisfaction in the report of the known days (see conftest.py), SQLite and PostgreSQL.

Ratings added to the known days (T3 is not rated; T7 is rated at counter 2's tablet):

====  ========  =====  =========================  =======
id    counter   score  reasons                    channel
====  ========  =====  =========================  =======
T1    2 (Lan)   3      —                          track
T2    2 (Lan)   1      long_wait, attitude        track
T4    3         1      long_wait                  track
T7    2 (Lan)   2      —                          counter
====  ========  =====  =========================  =======
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from queue_server.core.clock import FrozenClock
from queue_server.core.models import Counter, Ticket
from queue_server.core.operations import Queue
from queue_server.core.rating_config import RatingsConfig, ReasonConfig
from queue_server.core.ratings import Ratings, ScoreTally
from queue_server.i18n import use_language
from queue_server.reports import Report, Table, compute_report, csv_bytes, report_tables, write_xlsx
from queue_server.reports.charts import report_charts
from queue_server.reports.export_csv import cell_text
from queue_server.reports.export_xlsx import sheet_name

from .test_exports import csv_sections, xlsx_cell

Play = Callable[[Queue, FrozenClock], None]
MONDAY, TUESDAY = date(2026, 11, 23), date(2026, 11, 24)
OFFICER = "Nguyễn Thị Lan"
CIVIL, CERTIFICATION = "Quầy 2 – Hộ tịch", "Quầy 3 – Chứng thực"


@pytest.fixture
def report(queue: Queue, clock: FrozenClock, play: Play) -> Report:
    play(queue, clock)  # the clock ends on Tuesday 08:43, just after T7 was finished
    with queue.db.read() as conn:
        t1, t2, _t3, t4, _t5, _t6, t7 = conn.execute(
            select(Ticket.id, Ticket.track_code).order_by(Ticket.id)
        ).all()
    ratings = Ratings(queue, RatingsConfig())
    ratings.rate_at_counter(2, t7.id, 2)
    ratings.rate_by_track_code(t1.track_code, 3)
    ratings.rate_by_track_code(t2.track_code, 1, ["attitude", "long_wait"])
    ratings.rate_by_track_code(t4.track_code, 1, ["long_wait"])
    return compute_report(queue.db, queue.options.zone, MONDAY, TUESDAY)


def counts(tally: ScoreTally) -> tuple[int, int, int, int, float | None]:
    return (
        tally.count,
        tally.very_satisfied,
        tally.satisfied,
        tally.not_satisfied,
        tally.percent_satisfied,
    )


def test_satisfaction_per_counter_officer_and_service(report: Report) -> None:
    satisfaction = report.satisfaction
    assert counts(satisfaction.total) == (4, 1, 1, 2, 50.0)
    assert dict(satisfaction.total.reasons) == {"long_wait": 2, "attitude": 1}
    assert dict(satisfaction.by_channel) == {"counter": 1, "track": 3}
    by_counter = {name: counts(t) for name, t in satisfaction.by_counter.items()}
    assert by_counter == {CIVIL: (3, 1, 1, 1, 66.7), CERTIFICATION: (1, 0, 0, 1, 0.0)}
    by_officer = {name: counts(t) for name, t in satisfaction.by_officer.items()}
    assert by_officer == {OFFICER: (3, 1, 1, 1, 66.7), None: (1, 0, 0, 1, 0.0)}
    assert list(satisfaction.by_service) == ["Hộ tịch", "Chứng thực"]
    assert satisfaction.by_service["Chứng thực"].reasons == {"long_wait": 1}


def test_the_range_is_the_ticket_day(queue: Queue, report: Report) -> None:
    tuesday = compute_report(queue.db, queue.options.zone, TUESDAY, TUESDAY).satisfaction
    assert counts(tuesday.total) == (1, 0, 1, 0, 100.0)
    assert list(tuesday.by_counter) == [CIVIL]


def tables_of(report: Report) -> list[Table]:
    with use_language("vi"):
        return report_tables(report, "TTPVHCC phường Hòa Bình")


def test_csv_sections_in_vietnamese(report: Report) -> None:
    sections = {s[0][0]: s[1:] for s in csv_sections(csv_bytes(tables_of(report)))}
    assert dict(sections["Mức độ hài lòng"][1:]) == {
        "Số lượt đánh giá": "4",
        "Rất hài lòng": "1",
        "Hài lòng": "1",
        "Chưa hài lòng": "2",
        "% hài lòng": "50",
        "Đánh giá tại quầy": "1",
        "Đánh giá qua trang tra cứu": "3",
        "Tỉ lệ phiếu đã phục vụ được đánh giá (%)": "80",
    }
    header, civil, certification = sections["Hài lòng theo quầy"]
    assert header == [
        "Quầy",
        "Số lượt đánh giá",
        "Rất hài lòng",
        "Hài lòng",
        "Chưa hài lòng",
        "% hài lòng",
        "Chờ lâu",
        "Thái độ chưa tốt",
        "Hướng dẫn chưa rõ",
        "Thủ tục phức tạp",
        "Phải đi lại nhiều lần",
        "Cơ sở vật chất chưa tốt",
    ]
    assert civil == [CIVIL, "3", "1", "1", "1", "66.7", "1", "1", "0", "0", "0", "0"]
    assert certification == [CERTIFICATION, "1", "0", "0", "1", "0", "1", "0", "0", "0", "0", "0"]
    officers = sections["Hài lòng theo cán bộ"]
    assert [row[0] for row in officers[1:]] == [OFFICER, "(không ghi nhận)"]
    assert [row[:2] for row in sections["Hài lòng theo lĩnh vực"][1:]] == [
        ["Hộ tịch", "3"],
        ["Chứng thực", "1"],
    ]
    reasons = sections["Lý do chưa hài lòng"]
    assert reasons[0] == ["Lý do", "Số lượt đánh giá"]
    assert reasons[1:3] == [["Chờ lâu", "2"], ["Thái độ chưa tốt", "1"]]
    assert len(reasons) == 1 + 6


def test_xlsx_matches_csv_for_the_satisfaction_sheets(report: Report, tmp_path: Path) -> None:
    tables = tables_of(report)
    path = tmp_path / "report.xlsx"
    write_xlsx(tables, path)
    workbook = load_workbook(path)
    sections = {s[0][0]: s[1:] for s in csv_sections(csv_bytes(tables))}
    for title in ("Mức độ hài lòng", "Hài lòng theo quầy", "Lý do chưa hài lòng"):
        sheet = workbook[sheet_name(title)]
        rows = [[cell_text(xlsx_cell(v)) for v in row] for row in sheet.iter_rows(values_only=True)]
        assert rows == sections[title], title
    by_counter = workbook["Hài lòng theo quầy"]
    assert by_counter["B2"].value == 3
    assert by_counter["F2"].value == pytest.approx(66.7)


def test_configured_reasons_name_the_columns(report: Report) -> None:
    own = (
        ReasonConfig(code="long_wait", name="Phải chờ quá lâu", labels={"en": "Waited too long"}),
    )
    with use_language("vi"):
        tables = report_tables(report, "TTPVHCC", own)
    by_counter = next(t for t in tables if t.title == "Hài lòng theo quầy")
    # A reason no longer configured still shows, under its code.
    assert by_counter.headers[-2:] == ["Phải chờ quá lâu", "attitude"]
    with use_language("en"):
        english = report_tables(report, "TTPVHCC", own)
    assert next(t for t in english if t.title == "Satisfaction by counter").headers[-2] == (
        "Waited too long"
    )


def test_the_report_page_draws_satisfaction_per_counter(report: Report) -> None:
    with use_language("vi"):
        charts = {chart.key: chart for chart in report_charts(report)}
    chart = charts["chart-satisfaction"]
    assert chart.bars == 2 * 3  # two counters × three scores (zero bars too)
    assert chart.title == "Mức độ hài lòng theo quầy"
    assert "4 lượt đánh giá; 50,0% hài lòng hoặc rất hài lòng." in chart.svg
    assert "Quầy 2" in chart.svg and "Chưa hài lòng" in chart.svg


def test_no_satisfaction_chart_without_ratings(
    queue: Queue, clock: FrozenClock, play: Play
) -> None:
    play(queue, clock)
    report = compute_report(queue.db, queue.options.zone, MONDAY, TUESDAY)
    assert "chart-satisfaction" not in {chart.key for chart in report_charts(report)}


def test_two_counters_with_the_same_name_stay_apart(queue: Queue, report: Report) -> None:
    """The admin names counter 3 like counter 2 (both serve Hộ tịch now): the report
    keeps both counters' figures, told apart by their numbers."""
    with queue.db.write() as conn:
        conn.execute(update(Counter).where(Counter.number == 3).values(name=CIVIL))
    renamed = compute_report(queue.db, queue.options.zone, MONDAY, TUESDAY)
    handled = {name: (t.issued, t.served) for name, t in renamed.by_counter.items()}
    assert handled == {f"2 · {CIVIL}": (3, 3), f"3 · {CIVIL}": (3, 2)}
    rated = {name: counts(t) for name, t in renamed.satisfaction.by_counter.items()}
    assert rated == {f"2 · {CIVIL}": (3, 1, 1, 1, 66.7), f"3 · {CIVIL}": (1, 0, 0, 1, 0.0)}
    assert list(report.by_counter) == [CIVIL, CERTIFICATION]  # distinct names stay as they are
