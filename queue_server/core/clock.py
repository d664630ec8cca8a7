"""Time sources. Store UTC; decide "today" in the center's time zone."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    """Anything that tells the current UTC time."""

    def now(self) -> datetime: ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock:
    """A clock that only moves when told to (for tests and benchmarks)."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FrozenClock needs an aware datetime")
        self._at = at.astimezone(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._at

    def advance(self, **delta: float) -> datetime:
        with self._lock:
            self._at += timedelta(**delta)
            return self._at

    def set(self, at: datetime) -> None:
        with self._lock:
            self._at = at.astimezone(UTC)


def local_day(moment: datetime, zone: ZoneInfo) -> date:
    """The calendar day of ``moment`` in ``zone``."""
    return moment.astimezone(zone).date()


def day_bounds_utc(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """UTC start (inclusive) and end (exclusive) of a local calendar day."""
    start = datetime(day.year, day.month, day.day, tzinfo=zone)
    end = start + timedelta(days=1)
    return start.astimezone(UTC), datetime(end.year, end.month, end.day, tzinfo=zone).astimezone(
        UTC
    )
