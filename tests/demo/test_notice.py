"""Issue 13.12: the demo's display notice never advertises a past date."""

from __future__ import annotations

import re
from datetime import date, timedelta

from queue_server.demo.notice import coming_saturday, demo_notice, with_demo_notice
from queue_server.settings import Settings

DATED = re.compile(r"\b(\d{1,2})/(\d{1,2})\b")


def test_the_notice_announces_the_coming_saturday() -> None:
    assert demo_notice(date(2026, 12, 4)).startswith("Lịch tiếp nhận lưu động: thứ Bảy 05/12 ")
    assert demo_notice(date(2026, 12, 5)).startswith("Lịch tiếp nhận lưu động: thứ Bảy 05/12 ")
    assert demo_notice(date(2026, 12, 6)).startswith("Lịch tiếp nhận lưu động: thứ Bảy 12/12 ")
    for offset in range(400):  # never in the past, never more than a week ahead
        today = date(2026, 1, 1) + timedelta(days=offset)
        saturday = coming_saturday(today)
        assert saturday.weekday() == 5 and 0 <= (saturday - today).days < 7
        day, month = map(int, DATED.search(demo_notice(today)).groups())  # type: ignore[union-attr]
        assert (day, month) == (saturday.day, saturday.month)


def test_the_demo_file_has_no_date_and_xephang_demo_dates_it(demo_settings: Settings) -> None:
    assert DATED.search(demo_settings.center.notice) is None
    dated = with_demo_notice(demo_settings, date(2026, 12, 4))
    assert dated.center.notice == demo_notice(date(2026, 12, 4))
    assert dated.center.name == demo_settings.center.name
    assert demo_settings.center.notice != dated.center.notice
