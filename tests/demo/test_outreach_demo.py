"""The demo's outreach schedule: two past Saturdays and three ahead, written once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from queue_server.core.operations import Queue
from queue_server.core.outreach import OutreachSchedule
from queue_server.core.outreach_queries import SessionFilter
from queue_server.demo.outreach import plan_demo_outreach


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'queue.db'}"


def test_the_demo_plans_saturdays_around_today_once(queue: Queue) -> None:
    assert plan_demo_outreach(queue, []) == 5  # the clock: Monday 23/11/2026
    assert plan_demo_outreach(queue, []) == 0
    plan = OutreachSchedule(queue)
    days = [s.day for s in plan.find(SessionFilter())]
    assert [f"{d:%d/%m}" for d in days] == ["31/10", "14/11", "28/11", "12/12", "26/12"]
    assert all(d.weekday() == 5 for d in days)
    assert [d < date(2026, 11, 23) for d in days] == [True, True, False, False, False]
    upcoming = plan.upcoming()
    assert upcoming[0].day == date(2026, 11, 28) and upcoming[0].place.endswith("Phạm Xá")
    assert upcoming[0].hours == "08:00–11:30" and upcoming[0].site_code == "L1"
