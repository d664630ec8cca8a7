"""Exact report figures for the known days (see conftest.py), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from queue_server.core.clock import FrozenClock
from queue_server.core.operations import Queue
from queue_server.reports import Durations, Report, compute_report, nearest_rank, summarize

MONDAY = date(2026, 11, 23)
TUESDAY = date(2026, 11, 24)
OFFICER = "Nguyễn Thị Lan"  # as in conftest.py
Play = Callable[[Queue, FrozenClock], None]


def report_for(queue: Queue, start: date, end: date) -> Report:
    return compute_report(queue.db, queue.options.zone, start, end)


@pytest.fixture
def report(queue: Queue, clock: FrozenClock, play: Play) -> Report:
    play(queue, clock)
    return report_for(queue, date(2026, 11, 22), date(2026, 11, 25))


def test_nearest_rank_p90() -> None:
    assert nearest_rank(list(range(1, 11)), 0.9) == 9
    assert nearest_rank(list(range(1, 21)), 0.9) == 18
    assert nearest_rank([5.0], 0.9) == 5
    assert nearest_rank([1, 2, 3, 4, 5], 0.9) == 5
    assert summarize([]) == Durations(0, None, None, None)
    assert summarize([4, 1, 3, 2]) == Durations(4, 2.5, 2.5, 4)


def test_counts_per_day_and_month(report: Report) -> None:
    counts = {day: (t.issued, t.served, t.no_show, t.cancelled) for day, t in report.by_day.items()}
    assert counts == {
        date(2026, 11, 22): (0, 0, 0, 0),
        MONDAY: (6, 4, 1, 1),
        TUESDAY: (1, 1, 0, 0),
        date(2026, 11, 25): (0, 0, 0, 0),
    }
    month = report.by_month["2026-11"]
    assert list(report.by_month) == ["2026-11"]
    assert (month.issued, month.served, month.no_show, month.cancelled) == (7, 5, 1, 1)


def test_waits_and_service_times(report: Report) -> None:
    monday = report.by_day[MONDAY]
    assert monday.wait == Durations(5, 324, 300, 480)
    assert monday.service_time == Durations(4, 210, 210, 360)
    tuesday = report.by_day[TUESDAY]
    assert tuesday.wait == Durations(1, 120, 120, 120)
    assert tuesday.service_time == Durations(1, 600, 600, 600)
    month = report.by_month["2026-11"]
    assert month.wait == Durations(6, 290, 270, 480)
    assert month.service_time == Durations(5, 288, 300, 600)
    assert report.by_day[date(2026, 11, 22)].wait == Durations(0, None, None, None)


def test_per_service_counter_and_officer(report: Report) -> None:
    assert list(report.by_service) == ["Hộ tịch", "Chứng thực"]
    civil, certification = report.by_service.values()
    assert (civil.issued, civil.served, civil.no_show, civil.cancelled) == (4, 3, 0, 1)
    assert civil.wait == Durations(3, 280, 240, 480)
    assert civil.service_time == Durations(3, 360, 360, 600)
    assert (certification.issued, certification.served, certification.no_show) == (3, 2, 1)
    assert certification.wait == Durations(3, 300, 300, 420)
    assert certification.service_time == Durations(2, 180, 180, 300)

    handled = {name: (t.issued, t.served, t.no_show) for name, t in report.by_counter.items()}
    assert handled == {"Quầy 2 – Hộ tịch": (3, 3, 0), "Quầy 3 – Chứng thực": (3, 2, 1)}
    by_officer = {name: (t.issued, t.served) for name, t in report.by_officer.items()}
    assert by_officer == {OFFICER: (3, 3), None: (3, 2)}


def test_vulnerable_citizens_per_category(report: Report) -> None:
    served = {name: t.served for name, t in report.by_priority.items() if t.issued}
    assert served == {"Người cao tuổi": 1, "Người khuyết tật": 1}
    assert report.by_priority["Người cao tuổi"].issued == 2
    assert report.by_priority["Người cao tuổi"].wait.mean == 270
    # Every configured category is listed, even with nobody served.
    assert "Khẩn cấp" in report.by_priority
    assert report.by_priority["Khẩn cấp"].served == 0
    assert report.priority_served == 2
    assert report.priority_issued == 3


def test_arrivals_by_local_hour(report: Report) -> None:
    peaks = {hour: n for hour, n in enumerate(report.arrivals_by_hour) if n}
    assert peaks == {8: 1, 9: 5, 10: 1}
    assert report.satisfaction.total.count == 0


def test_range_limits_and_progress(queue: Queue, clock: FrozenClock, play: Play) -> None:
    play(queue, clock)
    seen: list[date] = []
    only_tuesday = compute_report(
        queue.db, queue.options.zone, TUESDAY, TUESDAY, progress=seen.append
    )
    assert seen == [TUESDAY]
    assert only_tuesday.total.issued == 1
    assert list(only_tuesday.by_service) == ["Hộ tịch"]
    with pytest.raises(ValueError):
        report_for(queue, TUESDAY, MONDAY)
