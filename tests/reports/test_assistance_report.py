"""Calls for assistance in the report: per reason and origin, taken, closed, cancelled and
the time to take them over local days; in the page's tables, CSV and XLSX; as_json."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from queue_server.core.assistance import AssistanceDesk
from queue_server.core.assistance_config import AssistanceConfig
from queue_server.core.assists import Assists
from queue_server.core.clock import FrozenClock
from queue_server.core.operations import Queue
from queue_server.i18n import use_language
from queue_server.reports import compute_report, csv_bytes, report_tables, write_xlsx

MONDAY = date(2026, 11, 23)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'queue.db'}"


def test_calls_per_reason_origin_and_time_to_take(
    queue: Queue, clock: FrozenClock, tmp_path: Path
) -> None:
    desk = AssistanceDesk(Assists(queue), AssistanceConfig())
    waits = [30, 60, 90, 120]
    for n, wait in enumerate(waits):  # four kiosk calls, taken after 30 … 120 s
        clock.set(datetime(2026, 11, 23, 2, n, tzinfo=UTC))
        call = desk.raise_call("kiosk", raised_by=f"token:{n}").value
        clock.advance(seconds=wait)
        desk.accept(call.id, taker="user:1", role="volunteer", name="Lan")
        if n < 3:
            desk.close(call.id, closer="user:1", role="volunteer")
    upset = desk.raise_call("counter", "upset", raised_by="user:9", counter=2).value
    clock.advance(seconds=10)
    desk.accept(upset.id, taker="user:2", role="manager", name="Hùng")
    desk.close(upset.id, closer="user:2", role="manager")
    gone = desk.raise_call("counter", "forms", raised_by="user:9", counter=2).value
    desk.cancel(gone.id, by="user:9")
    desk.raise_call("counter", "wheelchair", raised_by="user:9", counter=2)  # still open
    clock.set(datetime(2026, 11, 23, 17, 30, tzinfo=UTC))  # 00:30 Tuesday: outside
    desk.raise_call("kiosk", raised_by="token:99")

    report = compute_report(queue.db, queue.options.zone, MONDAY, MONDAY)
    figures = report.assistance_calls.as_json()
    assert json.loads(json.dumps(figures)) == figures  # plain JSON values
    assert (figures["raised"], figures["accepted"], figures["closed"]) == (7, 5, 4)
    assert (figures["cancelled"], figures["unfinished"]) == (1, 2)
    assert figures["by_origin"] == {"kiosk": 4, "counter": 3}
    assert figures["time_to_accept_s"] == {"count": 5, "median": 60.0, "p90": 120.0}
    by_reason = {r["code"]: r for r in figures["by_reason"]}
    assert list(by_reason)[:2] == ["general", "wheelchair"]  # the configured order
    assert by_reason["general"]["time_to_accept_s"]["median"] == 75.0
    assert by_reason["upset"]["by_origin"] == {"kiosk": 0, "counter": 1}
    assert by_reason["interpreter"]["raised"] == 0

    with use_language("vi"):
        tables = {t.key: t for t in report_tables(report, "Trung tâm")}
    table = tables["assistance_calls"]
    assert table.title == "Yêu cầu hỗ trợ"
    rows = {row[0]: row[1:] for row in table.rows}
    assert rows["Cần hỗ trợ chung"] == [4, 4, 0, 4, 3, 0, 75, 120]
    assert rows["Tổng cộng"] == [7, 4, 3, 5, 4, 1, 60, 120]
    assert rows["Phiên dịch tiếng dân tộc"][-2:] == [None, None]
    assert dict((r[0], r[1]) for r in tables["summary"].rows)["Yêu cầu hỗ trợ"] == 7
    text = csv_bytes(list(tables.values())).decode("utf-8-sig")
    assert "\r\nCần hỗ trợ chung,4,4,0,4,3,0,75,120\r\n" in text
    path = tmp_path / "report.xlsx"
    write_xlsx(list(tables.values()), path)
    sheet = load_workbook(path)["Yêu cầu hỗ trợ"]
    assert (sheet["A2"].value, sheet["B2"].value) == ("Cần hỗ trợ chung", 4)
