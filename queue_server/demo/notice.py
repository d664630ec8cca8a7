"""The demo center's notice on the hall display, dated relative to today.

A fixed date in ``config/demo.toml`` is in the past a week later; ``xephang demo``
announces the coming Saturday instead (today when it is Saturday). The file itself says
"every Saturday morning", which is never out of date.
"""

from __future__ import annotations

from datetime import date, timedelta

from queue_server.settings import Settings

SATURDAY = 5  # date.weekday()
VENUE = "tại Nhà văn hóa tổ dân phố 5 (7h30–11h00)"
FREE = "Mọi dịch vụ tại Trung tâm đều miễn phí."


def coming_saturday(today: date) -> date:
    """Today if it is a Saturday, else the next one."""
    return today + timedelta(days=(SATURDAY - today.weekday()) % 7)


def demo_notice(today: date) -> str:
    """The demo's notice: the mobile reception of the coming Saturday."""
    day = coming_saturday(today)
    return f"Lịch tiếp nhận lưu động: thứ Bảy {day:%d/%m} {VENUE}. {FREE}"


def with_demo_notice(settings: Settings, today: date) -> Settings:
    """``settings`` with the demo's notice dated from ``today``."""
    center = settings.center.model_copy(update={"notice": demo_notice(today)})
    return settings.model_copy(update={"center": center})
