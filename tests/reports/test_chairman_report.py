"""The chairman's periodic report: figures per priority category, vulnerable citizens
(emergencies apart), help-desk tickets, satisfaction per category, and the JSON report.

The known days of conftest.py (Mon 23 and Tue 24 November 2026), plus Wednesday 25:

====  =======  ==============  ========  ===================================  ======
id    service  category        channel   story                                rating
====  =======  ==============  ========  ===================================  ======
T8    HT       emergency       helpdesk  09:00, called 09:01 (60 s), done     2
T9    CT       elderly, and    helpdesk  09:02, called 09:03 (60 s), done     3
               marked emergency
T10   HT       disabled        kiosk     09:04, still waiting                 —
====  =======  ==============  ========  ===================================  ======

Ratings of the known days: T1 3, T2 1, T3 3.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

from queue_server.cli.reports import report as report_command
from queue_server.core.bootstrap import open_queue
from queue_server.core.catalogue import sync_catalogue
from queue_server.core.clock import FrozenClock
from queue_server.core.db import Database
from queue_server.core.models import Ticket
from queue_server.core.operations import Queue
from queue_server.core.rating_config import RatingsConfig
from queue_server.core.ratings import Ratings
from queue_server.core.schema import upgrade
from queue_server.i18n import use_language
from queue_server.reports import Report, compute_report
from queue_server.reports.export_json import report_json
from queue_server.settings import Settings, load_settings

from .conftest import at, play_known_days
from .test_cli import write_config

FIRST, LAST = date(2026, 11, 23), date(2026, 11, 25)
JSON_KEYS = {
    "schema", "center", "period", "totals", "by_day", "by_month", "by_service", "by_counter",
    "by_officer", "by_channel", "arrivals_by_hour", "by_category", "assists", "home_visits",
    "appointments", "feedback", "assistance_calls", "results", "satisfaction", "outreach",
}  # fmt: skip


def play_chairman_days(queue: Queue, clock: FrozenClock) -> None:
    """The known days, Wednesday's tickets and the ratings (see the module's table)."""
    play_known_days(queue, clock)
    at(clock, 25, 9, 0)
    t8 = queue.issue("HT", "emergency", channel="helpdesk").value.id
    at(clock, 25, 9, 1)
    queue.call_ticket(2, t8)
    at(clock, 25, 9, 2)
    t9 = queue.issue("CT", "elderly", channel="helpdesk").value.id
    with queue.db.write() as conn:  # an emergency that also has an ordinary category
        conn.execute(update(Ticket).where(Ticket.id == t9).values(emergency=True))
    at(clock, 25, 9, 3)
    queue.call_ticket(3, t9)
    at(clock, 25, 9, 4)
    queue.issue("HT", "disabled")
    at(clock, 25, 9, 5)
    queue.finish(2)
    at(clock, 25, 9, 6)
    queue.finish(3)
    with queue.db.read() as conn:
        codes = {
            row.id: row.track_code for row in conn.execute(select(Ticket.id, Ticket.track_code))
        }
    ratings = Ratings(queue, RatingsConfig())
    for ticket, score in ((1, 3), (2, 1), (3, 3), (t8, 2), (t9, 3)):
        ratings.rate_by_track_code(codes[ticket], score)  # raises if refused


def queue_on(url: str, settings: Settings, clock: FrozenClock) -> Queue:
    database = Database(url)
    upgrade(database)
    with database.write() as conn:
        sync_catalogue(conn, settings)
    return open_queue(settings, clock=clock, migrate=False, sync=False, db=database)


def played_report(url: str, settings: Settings, clock: FrozenClock) -> Report:
    queue = queue_on(url, settings, clock)
    try:
        play_chairman_days(queue, clock)
        return compute_report(queue.db, queue.options.zone, FIRST, LAST)
    finally:
        queue.db.dispose()


@pytest.fixture
def report(settings: Settings, clock: FrozenClock, tmp_path: Path) -> Report:
    return played_report(f"sqlite:///{tmp_path / 'queue.db'}", settings, clock)


def test_vulnerable_citizens_leave_out_emergencies_without_a_category(report: Report) -> None:
    figures = report.by_category
    # T2, T3 and T9 served; T8 (emergency category only) is not a vulnerable citizen,
    # T9 (an emergency in the elderly category) is.
    assert report.priority_served == 3
    assert report.priority_issued == 5  # T2, T6, T9 elderly; T3, T10 disabled
    assert (figures.emergencies.issued, figures.emergencies_with_category) == (2, 1)
    elderly = figures.rows["Người cao tuổi"]
    assert (elderly.tally.issued, elderly.tally.served, elderly.tally.no_show) == (3, 2, 1)
    assert elderly.tally.wait.mean == 200  # (240 + 300 + 60) / 3
    emergency = figures.rows["Khẩn cấp"]
    assert emergency.info is not None and emergency.info.emergency
    assert (emergency.tally.issued, emergency.tally.served) == (1, 1)
    assert figures.vulnerable.wait.mean == 195  # 240, 300, 60 and 180 s
    assert [row.info.name for row in figures.emergency_rows if row.info] == ["Khẩn cấp"]


def test_category_by_service_help_desk_and_satisfaction(report: Report) -> None:
    figures = report.by_category
    assert figures.services == ["Hộ tịch", "Chứng thực"]
    issued = {
        name: {service: t.issued for service, t in row.by_service.items()}
        for name, row in figures.rows.items()
        if row.tally.issued
    }
    assert issued == {
        "Khẩn cấp": {"Hộ tịch": 1},
        "Người cao tuổi": {"Hộ tịch": 1, "Chứng thực": 2},
        "Người khuyết tật": {"Chứng thực": 1, "Hộ tịch": 1},
    }
    assert (figures.helpdesk.issued, figures.helpdesk.served, figures.helpdesk_vulnerable) == (
        2,
        2,
        1,
    )
    assert figures.rows["Người cao tuổi"].helpdesk == 1
    assert figures.no_category.tally.issued == 4
    by_category = report.satisfaction.by_category
    scores = {name: (t.count, t.percent_satisfied) for name, t in by_category.items()}
    assert scores == {
        "Khẩn cấp": (1, 100.0),
        "Người cao tuổi": (2, 50.0),
        "Người khuyết tật": (1, 100.0),
        None: (1, 100.0),
    }


def test_json_report_has_every_key_with_the_figures(report: Report) -> None:
    with use_language("vi"):
        document = report_json(report, "TTPVHCC phường Hòa Bình", "UBND phường Hòa Bình")
    assert set(document) == JSON_KEYS
    json.dumps(document)  # plain JSON values only
    assert document["period"] == {
        "start": "2026-11-23",
        "end": "2026-11-25",
        "zone": "Asia/Ho_Chi_Minh",
        "kind": "range",
        "label": "từ ngày 23/11/2026 đến ngày 25/11/2026",
        "days": 3,
    }
    totals = document["totals"]
    assert (totals["issued"], totals["served"], totals["vulnerable_served"]) == (10, 7, 3)
    assert (totals["emergencies"], totals["helpdesk_issued"]) == (2, 2)
    assert isinstance(totals["wait_s"]["mean"], float)
    categories = {c["name"]: c for c in document["by_category"]["categories"]}
    elderly = categories["Người cao tuổi"]
    assert (elderly["code"], elderly["vulnerable"], elderly["emergency"]) == (
        "elderly",
        True,
        False,
    )
    assert (elderly["issued"], elderly["helpdesk"], elderly["wait_s"]["mean"]) == (3, 1, 200.0)
    assert elderly["by_service"]["Chứng thực"]["issued"] == 2
    assert categories["Khẩn cấp"]["vulnerable"] is False
    all_priority = document["by_category"]["all_priority"]
    assert (all_priority["issued"], all_priority["served"], all_priority["wait_s"]["mean"]) == (
        5,
        3,
        195.0,
    )
    assert document["by_category"]["emergencies"]["with_category"] == 1
    assert document["by_category"]["helpdesk"] == {
        **document["by_category"]["helpdesk"],
        "issued": 2,
        "vulnerable": 1,
    }
    satisfaction = document["satisfaction"]
    assert satisfaction["count"] == 5
    elderly_ratings = {"category": "Người cao tuổi", "count": 2, "very_satisfied": 1,
                       "satisfied": 0, "not_satisfied": 1, "percent_satisfied": 50.0}  # fmt: skip
    assert elderly_ratings in satisfaction["by_category"]
    assert document["assists"] == {
        "total": 0,
        "with_priority": 0,
        "categories": document["assists"]["categories"],
        "by_kind": document["assists"]["by_kind"],
        "by_category": {name: 0 for name in document["assists"]["categories"]},
        "no_category": 0,
    }
    assert all(kind["total"] == 0 for kind in document["assists"]["by_kind"])
    for key in ("home_visits", "appointments", "feedback", "assistance_calls", "results"):
        assert isinstance(document[key], dict), key
    assert document["outreach"]["sessions"] == 0  # no site imported: all at the center
    assert document["outreach"]["center_only"]["issued"] == document["totals"]["issued"]
    assert len(document["arrivals_by_hour"]) == 24
    assert [d["day"] for d in document["by_day"]] == ["2026-11-23", "2026-11-24", "2026-11-25"]
    assert document["center"] == {"name": "TTPVHCC phường Hòa Bình", "ward": "UBND phường Hòa Bình"}


@pytest.mark.postgres
def test_postgresql_gives_the_same_json(
    report: Report, settings: Settings, pg_url: str, clock: FrozenClock
) -> None:
    on_postgresql = played_report(pg_url, settings, FrozenClock(clock.now()))
    assert report_json(on_postgresql, "C") == report_json(report, "C")


@pytest.fixture
def center(tmp_path: Path) -> Path:
    """A SQLite center (its configuration file) holding the chairman's days."""
    path = write_config(tmp_path)
    clock = FrozenClock(datetime(2026, 11, 23, 2, tzinfo=UTC))
    queue = open_queue(load_settings(path), clock=clock)
    play_chairman_days(queue, clock)
    queue.db.dispose()
    return path


BAD_PERIODS = [
    (("--month", "2026-11", "--year", "2026"), "Chỉ chọn kỳ báo cáo theo một cách"),
    (("--quarter", "2026-Q5"), "2026-Q5 không phải là quý"),
    (("--month", "2026-13"), "2026-13 không phải là tháng"),
    ((), "Hãy chọn kỳ báo cáo: --month"),
    (("--to", "2026-11-30"), "--from và --to phải dùng cùng nhau."),
]


def test_cli_periods_and_json(center: Path, tmp_path: Path) -> None:
    """``xephang report`` in this process (the subprocess runs are in test_cli.py)."""
    out = tmp_path / "quy-4.json"
    config = ("--config", str(center))
    runner = CliRunner()
    month = runner.invoke(report_command, ["--month", "2026-11", "--format", "json", *config])
    assert month.exit_code == 0, month.output
    document = json.loads(month.stdout)
    assert set(document) == JSON_KEYS
    assert document["period"]["label"] == "tháng 11/2026"
    assert (document["period"]["start"], document["period"]["end"]) == ("2026-11-01", "2026-11-30")
    assert document["totals"]["vulnerable_served"] == 3
    assert document["center"]["ward"] == "Ủy ban nhân dân phường Hòa Bình"
    args = ["--quarter", "2026-q4", "--format", "json", "--out", str(out), *config]
    quarter = runner.invoke(report_command, args)
    assert quarter.exit_code == 0, quarter.output
    by_quarter = json.loads(out.read_text(encoding="utf-8"))
    assert by_quarter["period"]["label"] == "quý IV năm 2026"
    assert by_quarter["totals"] == document["totals"]
    year = runner.invoke(report_command, ["--year", "2026", *config])
    assert year.exit_code == 0, year.output
    assert "\nKỳ báo cáo,năm 2026\n" in year.stdout  # the runner's text turns CRLF to LF
    for bad, message in BAD_PERIODS:
        result = runner.invoke(report_command, [*bad, *config])
        assert result.exit_code == 2, bad
        assert message in result.stderr, result.stderr
