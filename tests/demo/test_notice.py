"""Issue 13.12, then 17: the demo's display never advertises a past outreach date; the
outreach schedule publishes the next session, the notice carries no date."""

from __future__ import annotations

import re
from datetime import date, timedelta

from queue_server.demo.notice import coming_saturday
from queue_server.settings import Settings

DATED = re.compile(r"\b(\d{1,2})/(\d{1,2})\b")


def test_the_coming_saturday_is_never_past_nor_a_week_ahead() -> None:
    assert coming_saturday(date(2026, 12, 4)) == date(2026, 12, 5)
    assert coming_saturday(date(2026, 12, 5)) == date(2026, 12, 5)
    assert coming_saturday(date(2026, 12, 6)) == date(2026, 12, 12)
    for offset in range(400):
        today = date(2026, 1, 1) + timedelta(days=offset)
        saturday = coming_saturday(today)
        assert saturday.weekday() == 5 and 0 <= (saturday - today).days < 7


def test_the_demo_notice_has_no_date_nor_session(demo_settings: Settings) -> None:
    assert DATED.search(demo_settings.center.notice) is None
    assert "lưu động" not in demo_settings.center.notice.lower()
