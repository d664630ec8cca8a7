"""Feedback in the report (SQLite): received per kind and channel, forwarded, answered,
on time, overdue at the end, mean days to answer; in the page's table, CSV and XLSX."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from queue_server.core.bootstrap import open_queue
from queue_server.core.clock import FrozenClock
from queue_server.core.db import Database
from queue_server.core.feedback import Feedbacks, Submission
from queue_server.core.feedback_config import FeedbackConfig
from queue_server.core.operations import Queue
from queue_server.core.ratings import Ratings
from queue_server.i18n import use_language
from queue_server.reports import compute_report, csv_bytes, report_tables, write_xlsx
from queue_server.settings import Settings

MONDAY = date(2026, 11, 23)


@pytest.fixture
def lite(settings: Settings, clock: FrozenClock, tmp_path: Path) -> Iterator[Queue]:
    queue = open_queue(settings, clock=clock, db=Database(f"sqlite:///{tmp_path / 'r.db'}"))
    yield queue
    queue.db.dispose()


def at(day: int, hour: int = 2) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=UTC)


def test_feedback_figures_and_table(lite: Queue, clock: FrozenClock, tmp_path: Path) -> None:
    feedback = Feedbacks(lite, FeedbackConfig(due_days=2))  # Monday's are due on Wednesday
    said = Submission("complaint", "Chờ lâu")
    quick = feedback.record(said, actor="user:hd").value
    late = feedback.record(Submission("suggestion", "Thêm ghế"), actor="user:hd").value
    feedback.record(said, actor="user:hd")  # never answered
    ticket = lite.issue("HT").value
    lite.call_ticket(2, ticket.id)
    lite.finish(2)
    Ratings(lite).rate_by_track_code(ticket.track_code, 1, comment="Chưa rõ")
    clock.set(at(24))  # Tuesday: forwarded and answered a day after
    feedback.forward(quick, actor="user:boss", unit="Phòng VH-XH")
    feedback.answer(quick, "Đã xử lý", actor="user:boss")
    clock.set(at(26))  # Thursday: one day past due
    feedback.answer(late, "Đã ghi nhận", actor="user:boss")
    clock.set(at(27))

    week = compute_report(lite.db, lite.options.zone, MONDAY, date(2026, 11, 27))
    assert week.feedback.as_json() == {
        "received": 4,
        "received_by_kind": {"feedback": 1, "complaint": 2, "suggestion": 1},
        "received_by_channel": {"helpdesk": 3, "track": 0, "rating": 1},
        "forwarded": 1,
        "answered": 2,
        "answered_on_time": 1,
        "overdue": 1,  # due Wednesday, not answered by Friday's end (the rating's: 15 days)
        "mean_days_to_answer": 2.0,
    }
    monday = compute_report(lite.db, lite.options.zone, MONDAY, MONDAY).feedback
    assert (monday.received, monday.answered, monday.overdue) == (4, 0, 0)
    assert monday.mean_days_to_answer is None

    with use_language("vi"):
        tables = {t.key: t for t in report_tables(week, "Trung tâm")}
    table = tables["feedback"]
    assert table.title == "Phản ánh, kiến nghị"
    rows = dict((row[0], row[1]) for row in table.rows)
    assert rows["Tiếp nhận"] == 4 and rows["Tiếp nhận: Khiếu nại, bức xúc"] == 2
    assert rows['Tiếp nhận: Kèm đánh giá "Chưa hài lòng"'] == 1
    assert rows["Trả lời đúng hạn"] == 1 and rows["Số ngày trả lời trung bình"] == 2.0
    text = csv_bytes(list(tables.values())).decode("utf-8-sig")
    assert "Phản ánh, kiến nghị" in text and "\r\nTiếp nhận,4\r\n" in text
    path = tmp_path / "report.xlsx"
    write_xlsx(list(tables.values()), path)
    sheet = load_workbook(path)["Phản ánh, kiến nghị"]
    assert (sheet["A2"].value, sheet["B2"].value) == ("Tiếp nhận", 4)
