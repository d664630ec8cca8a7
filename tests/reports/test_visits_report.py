"""Home visits in the report: which day counts for each figure, per priority category, in
the page's tables, the CSV and XLSX files, and ``as_json``."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from queue_server.auth.users import add_user
from queue_server.core.clock import FrozenClock
from queue_server.core.operations import Queue
from queue_server.core.visits import Appointment, HomeVisits, VisitRequest
from queue_server.i18n import use_language
from queue_server.reports import compute_report, csv_bytes, report_tables, write_xlsx

MONDAY = date(2026, 11, 23)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'queue.db'}"


def test_home_visit_figures(queue: Queue, clock: FrozenClock, tmp_path: Path) -> None:
    visits = HomeVisits(queue)
    officer = add_user(queue.db, "lan", "officer", "secret-pass-1")

    def ask(category: str | None) -> int:
        wanted = VisitRequest("0912345678", True, "HT", hamlet="Tổ 3", category=category)
        return visits.register(wanted, actor="a").value.id

    def plan(visit_id: int, day: date) -> None:
        visits.schedule(visit_id, Appointment(day, "08:00", "10:00", (officer,)), actor="a")

    tuesday, wednesday = MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)
    done, moved, away, dropped, waiting = (ask("elderly") for _ in range(5))
    no_category = ask(None)
    for visit_id in (done, moved, away, waiting):
        plan(visit_id, tuesday)
    plan(no_category, wednesday)
    visits.record_outcome(dropped, "cancelled", "a")  # on Monday, before any visit day
    clock.set(clock.now() + timedelta(days=1))  # Tuesday
    visits.record_outcome(done, "done_dossier", "a")
    visits.record_outcome(away, "not_home", "a")
    visits.record_outcome(moved, "rescheduled", "a", new_day=wednesday)
    clock.set(clock.now() + timedelta(days=1))  # Wednesday
    visits.record_outcome(moved, "done_advice", "a")

    monday_tuesday = compute_report(queue.db, queue.options.zone, MONDAY, tuesday)
    figures = monday_tuesday.home_visits
    elderly = figures.tally("elderly")
    assert (elderly.requested, figures.tally(None).requested) == (5, 1)
    # Tuesday's appointments: done, moved (rescheduled), away and the one still waiting.
    assert (elderly.scheduled, elderly.done, elderly.rescheduled) == (4, 1, 1)
    assert (elderly.not_at_home, elderly.cancelled, elderly.awaiting_outcome) == (1, 1, 1)
    assert figures.tally(None).scheduled == 0  # its visit day is Wednesday
    wednesday_only = compute_report(queue.db, queue.options.zone, wednesday, wednesday)
    later = wednesday_only.home_visits
    assert later.total.requested == 0 and later.total.scheduled == 2
    assert (later.tally("elderly").done_advice, later.tally(None).awaiting_outcome) == (1, 1)

    data = figures.as_json()
    assert data["requested"] == 6 and data["done"] == 1 and data["done_dossier"] == 1
    by_code = {row["category"]: row for row in data["by_category"]}
    assert by_code["elderly"]["name"] == "Người cao tuổi" and by_code[None]["requested"] == 1
    assert by_code["disabled"]["requested"] == 0  # every active category has a row

    with use_language("vi"):
        tables = {t.key: t for t in report_tables(monday_tuesday, "Trung tâm")}
    table = tables["home_visits"]
    rows = {row[0]: row[1:] for row in table.rows}
    column = table.headers.index("Người cao tuổi") - 1
    assert rows["Hoàn thành, đã tiếp nhận hồ sơ"][column] == 1
    assert rows["Đã hẹn (lịch hẹn theo ngày thăm)"][-1] == 4
    text = csv_bytes(list(tables.values())).decode("utf-8-sig")
    assert table.title in text and "0912345678" not in text
    path = tmp_path / "report.xlsx"
    write_xlsx(list(tables.values()), path)
    sheet = load_workbook(path)[table.title[:31]]
    assert sheet["A2"].value == "Yêu cầu (ngày gọi điện)"
