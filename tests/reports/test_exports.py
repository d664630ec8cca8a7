"""CSV and XLSX exports of the known days: Vietnamese headers, and the same cells in both."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from queue_server.core.clock import FrozenClock
from queue_server.core.operations import Queue
from queue_server.i18n import use_language
from queue_server.reports import Table, compute_report, csv_bytes, report_tables, write_xlsx
from queue_server.reports.export_csv import cell_text
from queue_server.reports.export_xlsx import sheet_name
from queue_server.reports.tables import Cell

from .conftest import at

Play = Callable[[Queue, FrozenClock], None]
CENTER = "Trung tâm Phục vụ hành chính công phường Hòa Bình"


@pytest.fixture
def tables(queue: Queue, clock: FrozenClock, play: Play) -> list[Table]:
    play(queue, clock)
    report = compute_report(queue.db, queue.options.zone, date(2026, 11, 23), date(2026, 11, 24))
    with use_language("vi"):
        return report_tables(report, CENTER)


def xlsx_cell(value: object) -> Cell:
    """A value read back from a sheet, as the report cell it must have been."""
    assert value is None or isinstance(value, str | int | float | date), value
    return value


def csv_sections(data: bytes) -> list[list[list[str]]]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    sections: list[list[list[str]]] = [[]]
    for row in rows:
        if row:
            sections[-1].append(row)
        else:
            sections.append([])
    return sections


def test_csv_has_bom_sections_and_vietnamese_headers(tables: list[Table]) -> None:
    data = csv_bytes(tables)
    assert data.startswith(b"\xef\xbb\xbf")
    sections = {s[0][0]: s[1:] for s in csv_sections(data)}
    assert list(sections) == [
        "Tổng hợp",
        "Theo ngày",
        "Theo tháng",
        "Theo lĩnh vực",
        "Theo quầy",
        "Theo cán bộ",
        "Theo kênh cấp số",
        "Đối tượng ưu tiên",
        "Số phiếu theo đối tượng ưu tiên và lĩnh vực",
        "Lượt hỗ trợ người dân",
        "Hỗ trợ tại nhà (đăng ký qua điện thoại)",
        "Phản ánh, kiến nghị",
        "Giấy hẹn trả kết quả",
        "Yêu cầu hỗ trợ",
        "Lịch hẹn",
        "Buổi tiếp nhận lưu động",
        "Lượt đến theo giờ",
        "Mức độ hài lòng",
        "Hài lòng theo quầy",
        "Hài lòng theo cán bộ",
        "Hài lòng theo lĩnh vực",
        "Lý do chưa hài lòng",
        "Hài lòng theo đối tượng ưu tiên",
    ]
    header, civil, certification = sections["Theo lĩnh vực"]
    assert header == [
        "Lĩnh vực",
        "Số phiếu đã cấp",
        "Đã phục vụ",
        "Vắng mặt",
        "Đã hủy",
        "Thời gian chờ trung bình (phút)",
        "Thời gian chờ – trung vị (phút)",
        "Thời gian chờ – P90 (phút)",
        "Thời gian phục vụ trung bình (phút)",
        "Thời gian phục vụ – trung vị (phút)",
        "Thời gian phục vụ – P90 (phút)",
    ]
    assert civil == ["Hộ tịch", "4", "3", "0", "1", "4.7", "4", "8", "6", "6", "10"]
    assert certification == ["Chứng thực", "3", "2", "1", "0", "5", "5", "7", "3", "3", "5"]
    days = sections["Theo ngày"]
    assert days[1][:5] == ["2026-11-23", "6", "4", "1", "1"]
    assert days[-1][:5] == ["Tổng cộng", "7", "5", "1", "1"]
    priority = sections["Đối tượng ưu tiên"]
    assert priority[0] == ["Đối tượng ưu tiên", "Số phiếu đã cấp", "Đã phục vụ", *priority[0][3:]]
    assert ["Người cao tuổi", "2", "1", "1", "0", "4.5", ""] in priority
    assert ["Người khuyết tật", "1", "1", "0", "0", "3", ""] in priority
    # (240 + 180 + 300) / 3 s; the emergency category comes after, not in the total.
    all_priority = ["Tất cả đối tượng ưu tiên (người yếu thế)", "3", "2", "1", "0", "4", ""]
    assert priority.index(all_priority) == priority.index(["Khẩn cấp", *["0"] * 4, "", ""]) - 1
    assert priority[-1] == [
        "Không thuộc diện ưu tiên",
        "4",
        "3",
        "0",
        "0",
        "5.7",
        "",
    ]  # 480, 420, 120 s
    officers = sections["Theo cán bộ"]
    assert [row[0] for row in officers[1:]] == ["Nguyễn Thị Lan", "(không ghi nhận)"]
    hours = dict(row for row in sections["Lượt đến theo giờ"][1:])
    assert (hours["08:00"], hours["09:00"], hours["10:00"], hours["11:00"]) == ("1", "5", "1", "0")
    assert sections["Mức độ hài lòng"][1] == ["Số lượt đánh giá", "0"]  # nobody rated
    assert sections["Hài lòng theo quầy"][1:] == []


def test_xlsx_matches_csv_cell_by_cell(tables: list[Table], tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    write_xlsx(tables, path)
    workbook = load_workbook(path)
    sections = csv_sections(csv_bytes(tables))
    assert workbook.sheetnames == [sheet_name(section[0][0]) for section in sections]
    for sheet, section in zip(workbook.worksheets, sections, strict=True):
        assert all(cell.font.bold for cell in sheet[1])
        rows = [[cell_text(xlsx_cell(v)) for v in row] for row in sheet.iter_rows(values_only=True)]
        assert rows == section[1:], sheet.title
    numbers = workbook["Theo lĩnh vực"]
    assert numbers["B2"].value == 4
    assert numbers["F2"].value == pytest.approx(4.7)


def test_sheet_names_are_valid() -> None:
    assert sheet_name("Lượt đến: theo giờ / ngày [x]") == "Lượt đến  theo giờ   ngày  x"
    assert len(sheet_name("x" * 40)) == 31


def test_every_channel_is_named_in_the_centers_language(queue: Queue, clock: FrozenClock) -> None:
    """Theo kênh cấp số names each channel a ticket can come by (docs/reports.md#sections):
    an appointment's check-in, an admin's API call and the command line too, never a code."""
    at(clock, 23, 9, 0)
    for channel in ("kiosk", "helpdesk", "appointment", "api", "cli"):
        queue.issue("HT", channel=channel)
    report = compute_report(queue.db, queue.options.zone, date(2026, 11, 23), date(2026, 11, 23))
    with use_language("vi"):
        table = next(t for t in report_tables(report, CENTER) if t.key == "by_channel")
    assert table.title == "Theo kênh cấp số"
    assert [row[:2] for row in table.rows] == [
        ["Kiosk lấy số", 1],
        ["Quầy Hướng dẫn – Hỗ trợ", 1],
        ["Đến theo lịch hẹn", 1],
        ["Cấp qua API", 1],
        ["Cấp bằng dòng lệnh", 1],
    ]
