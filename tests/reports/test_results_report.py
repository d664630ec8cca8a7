"""Result slips in the report: issued, collected, collected on time, late (postponed)
and not yet collected, per service, in the page's tables, the CSV and XLSX files and
``as_json`` (SQLite; the queries are plain SQL that the core's PostgreSQL test shares)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from queue_server.core.clock import FrozenClock
from queue_server.core.operations import Queue
from queue_server.core.results import ResultRules, ResultSlips
from queue_server.i18n import use_language
from queue_server.reports import compute_report, csv_bytes, report_tables, write_xlsx
from queue_server.settings import Settings

MONDAY = date(2026, 11, 23)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'queue.db'}"


def served(queue: Queue, service: str, counter: int) -> int:
    ticket = queue.issue(service).value
    queue.call_ticket(counter, ticket.id, actor="t")
    queue.finish(counter, actor="t")
    return ticket.id


def test_slips_per_service_with_on_time_and_late(
    queue: Queue, settings: Settings, clock: FrozenClock, tmp_path: Path
) -> None:
    slips = ResultSlips(queue, ResultRules.from_settings(settings))
    wednesday = date(2026, 11, 25)
    codes = [
        slips.issue(served(queue, service, counter), counter=counter, ready_on=wednesday).value.code
        for service, counter in (("HT", 2), ("HT", 2), ("HT", 2), ("CT", 3))
    ]
    slips.postpone(codes[1], date(2026, 11, 26), "verification")  # late, collected
    slips.postpone(codes[2], date(2026, 11, 30), "other_agency")  # late, not collected
    clock.set(datetime(2026, 11, 26, 2, 0, tzinfo=UTC))
    slips.collect(codes[0])  # on time (a day after the date: the result was there)
    slips.collect(codes[1])
    # A slip of another day is outside the report.
    slips.issue(served(queue, "CT", 3), counter=3)

    report = compute_report(queue.db, queue.options.zone, MONDAY, date(2026, 11, 25))
    figures = report.results
    assert figures.as_json() == {
        "total": {
            "issued": 4,
            "collected": 2,
            "collected_on_time": 1,
            "late": 2,
            "not_collected": 2,
        },
        "by_service": [
            {
                "service": "Hộ tịch",
                "issued": 3,
                "collected": 2,
                "collected_on_time": 1,
                "late": 2,
                "not_collected": 1,
            },
            {
                "service": "Chứng thực",
                "issued": 1,
                "collected": 0,
                "collected_on_time": 0,
                "late": 0,
                "not_collected": 1,
            },
        ],
    }

    with use_language("vi"):
        tables = {t.key: t for t in report_tables(report, "Trung tâm")}
    table = tables["results"]
    assert table.title == "Giấy hẹn trả kết quả"
    assert table.headers[1:] == [
        "Giấy hẹn đã cấp",
        "Đã nhận kết quả",
        "Đã nhận, đúng hẹn",
        "Trễ hẹn (dời ngày)",
        "Chưa nhận",
    ]
    assert table.rows == [
        ["Hộ tịch", 3, 2, 1, 2, 1],
        ["Chứng thực", 1, 0, 0, 0, 1],
        ["Tổng cộng", 4, 2, 1, 2, 2],
    ]
    text = csv_bytes(list(tables.values())).decode("utf-8-sig")
    assert "Giấy hẹn trả kết quả" in text and "\r\nHộ tịch,3,2,1,2,1\r\n" in text
    path = tmp_path / "report.xlsx"
    write_xlsx(list(tables.values()), path)
    sheet = load_workbook(path)["Giấy hẹn trả kết quả"]
    assert [c.value for c in sheet[4]] == ["Tổng cộng", 4, 2, 1, 2, 2]

    empty = compute_report(queue.db, queue.options.zone, date(2026, 12, 1), date(2026, 12, 1))
    assert empty.results.as_json() == {
        "total": {
            "issued": 0,
            "collected": 0,
            "collected_on_time": 0,
            "late": 0,
            "not_collected": 0,
        },
        "by_service": [],
    }
