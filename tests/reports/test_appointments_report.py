"""Appointments in the report: booked, on time, late, no-show, cancelled and still to
come, per service and channel, in as_json, the page's tables, CSV and XLSX."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from openpyxl import load_workbook

from queue_server.core.appointments import Appointments
from queue_server.core.clock import FrozenClock
from queue_server.core.operations import Queue
from queue_server.i18n import use_language
from queue_server.reports import compute_report, csv_bytes, report_tables, write_xlsx

MONDAY, TUESDAY = date(2026, 11, 23), date(2026, 11, 24)
MONDAY_1000 = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
MONDAY_1030 = datetime(2026, 11, 23, 3, 30, tzinfo=UTC)
TUESDAY_0800 = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)


def test_what_became_of_the_appointments(queue: Queue, clock: FrozenClock, tmp_path: Path) -> None:
    appointments = Appointments(queue)
    on_time = appointments.book("HT", MONDAY_1000, channel="helpdesk").value
    late = appointments.book("HT", MONDAY_1000, channel="public").value
    absent = appointments.book("HT", MONDAY_1030, channel="public").value
    dropped = appointments.book("CT", MONDAY_1000, channel="kiosk").value
    appointments.book("CT", TUESDAY_0800, channel="kiosk")  # still to come
    appointments.check_in(on_time.code)
    appointments.cancel(dropped.code)
    clock.set(datetime(2026, 11, 23, 4, 0, tzinfo=UTC))  # 11:00: past 10:30 + 15 min grace
    assert appointments.check_in(late.code).value.late
    assert absent.status == "booked"

    report = compute_report(queue.db, queue.options.zone, MONDAY, TUESDAY, today=TUESDAY)
    figures = report.appointments.as_json()
    assert figures["total"] == {
        "booked": 5, "on_time": 1, "late": 1, "no_show": 1, "cancelled": 1, "pending": 1,
    }  # fmt: skip
    assert list(figures["by_service"]) == ["Hộ tịch", "Chứng thực"]
    assert figures["by_service"]["Hộ tịch"]["no_show"] == 1
    channels = {name: list(f.values()) for name, f in figures["by_channel"].items()}
    assert channels == {  # booked, on time, late, no-show, cancelled, pending
        "helpdesk": [1, 1, 0, 0, 0, 0],
        "kiosk": [2, 0, 0, 0, 1, 1],
        "public": [2, 0, 1, 1, 0, 0],
    }
    monday_only = compute_report(queue.db, queue.options.zone, MONDAY, MONDAY, today=MONDAY)
    assert monday_only.appointments.total.pending == 1  # its day is not over yet

    with use_language("vi"):
        tables = {t.key: t for t in report_tables(report, "Trung tâm")}
    table = tables["appointments"]
    assert table.title == "Lịch hẹn"
    assert table.headers[:3] == ["Lĩnh vực", "Kênh đặt lịch", "Đã đặt"]
    assert table.rows[0] == ["Hộ tịch", "Quầy Hướng dẫn – Hỗ trợ", 1, 1, 0, 0, 0, 0]
    assert table.rows[-1] == ["Tổng cộng", "", 5, 1, 1, 1, 1, 1]
    text = csv_bytes(list(tables.values())).decode("utf-8-sig")
    assert "Lịch hẹn" in text and "\r\nHộ tịch,Trang công khai,2,0,1,1,0,0" in text
    path = tmp_path / "report.xlsx"
    write_xlsx(list(tables.values()), path)
    sheet = load_workbook(path)["Lịch hẹn"]
    assert sheet["A2"].value == "Hộ tịch" and sheet["C2"].value == 1
