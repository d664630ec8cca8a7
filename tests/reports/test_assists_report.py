"""Help records in the report: per kind × category with totals, in the page's tables and
in the CSV and XLSX files, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from openpyxl import load_workbook

from queue_server.core.assist_config import AssistsConfig, HelpKindConfig
from queue_server.core.assists import Assists
from queue_server.core.clock import FrozenClock
from queue_server.core.operations import Queue
from queue_server.i18n import use_language
from queue_server.reports import compute_report, csv_bytes, report_tables, write_xlsx

MONDAY = date(2026, 11, 23)


def test_help_records_per_kind_and_category(
    queue: Queue, clock: FrozenClock, tmp_path: Path
) -> None:
    visit = HelpKindConfig(code="home_visit", name="Hỗ trợ tại nhà")
    offered = AssistsConfig(kinds=(*AssistsConfig().kinds, visit))
    assists = Assists(queue, offered)
    for kind, category in [
        ("guidance", "elderly"),
        ("guidance", "elderly"),
        ("guidance", None),
        ("interpreting", "ethnic_minority"),
        ("home_visit", "disabled"),
    ]:
        assists.record(kind, role="helpdesk", category=category)
    # Home visits are no longer offered: their records still count.
    kinds = (*AssistsConfig().kinds, visit.model_copy(update={"active": False}))
    ticket = queue.issue("HT", "disabled").value
    assists.record("read_write", role="officer", ticket_id=ticket.id)
    clock.set(datetime(2026, 11, 24, 3, 0, tzinfo=UTC))  # Tuesday: outside the report
    assists.record("guidance", role="volunteer", category="elderly")

    report = compute_report(queue.db, queue.options.zone, MONDAY, MONDAY, kinds=kinds)
    assert report.help.total == 6 and report.help.with_priority == 5
    with use_language("vi"):
        tables = {t.key: t for t in report_tables(report, "Trung tâm")}
    help_table = tables["help"]
    assert help_table.title == "Lượt hỗ trợ người dân"
    headers = help_table.headers
    assert headers[0] == "Loại hỗ trợ" and headers[-2:] == ["Không thuộc diện ưu tiên", "Tổng cộng"]
    rows = {row[0]: dict(zip(headers[1:], row[1:], strict=True)) for row in help_table.rows}
    assert rows["Hỗ trợ tại nhà"]["Người khuyết tật"] == 1
    assert list(rows)[-2:] == ["Hỗ trợ tại nhà", "Tổng cộng"]
    assert rows["Hướng dẫn thủ tục"]["Người cao tuổi"] == 2
    assert rows["Hướng dẫn thủ tục"]["Không thuộc diện ưu tiên"] == 1
    assert rows["Hướng dẫn thủ tục"]["Tổng cộng"] == 3
    assert rows["Đọc, viết hộ"]["Người khuyết tật"] == 1
    assert rows["Phiên dịch tiếng dân tộc"]["Đồng bào dân tộc thiểu số"] == 1
    assert rows["Hỗ trợ khác"]["Tổng cộng"] == 0
    assert rows["Tổng cộng"]["Tổng cộng"] == 6 and rows["Tổng cộng"]["Người cao tuổi"] == 2
    summary = dict((row[0], row[1]) for row in tables["summary"].rows)
    assert summary["Lượt hỗ trợ người dân"] == 6
    assert summary["Lượt hỗ trợ người thuộc diện ưu tiên"] == 5

    text = csv_bytes(list(tables.values())).decode("utf-8-sig")
    assert "Lượt hỗ trợ người dân" in text and "\r\nHướng dẫn thủ tục,0,2,0," in text
    path = tmp_path / "report.xlsx"
    write_xlsx(list(tables.values()), path)
    sheet = load_workbook(path)["Lượt hỗ trợ người dân"]
    assert sheet["A2"].value == "Hướng dẫn thủ tục"
    assert sheet.cell(row=2, column=len(headers)).value == 3
