"""The coming Saturday, from which the demo dates its outreach sessions.

The demo's hall display no longer carries a dated free-text notice: the outreach schedule
publishes the next session by itself (``queue_server/demo/outreach.py``,
docs/outreach.md), so the notice in ``config/demo.toml`` says only what never goes out
of date.
"""

from __future__ import annotations

from datetime import date, timedelta

SATURDAY = 5  # date.weekday()


def coming_saturday(today: date) -> date:
    """Today if it is a Saturday, else the next one."""
    return today + timedelta(days=(SATURDAY - today.weekday()) % 7)
