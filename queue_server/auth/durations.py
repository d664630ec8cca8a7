"""Durations written as ``30d``, ``12h``, ``45m`` or ``never``."""

from __future__ import annotations

import re
from datetime import timedelta

_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_PATTERN = re.compile(r"^\s*(\d{1,6})\s*([smhdw])\s*$")
LONGEST = timedelta(days=36500)  # a hundred years: later dates overflow the calendar


def parse_duration(text: str) -> timedelta | None:
    """``"30d"`` → 30 days; ``"never"`` → None; anything else raises ValueError."""
    if text.strip().lower() in ("never", "none", "0"):
        return None
    match = _PATTERN.match(text.lower())
    if match is None:
        raise ValueError(f"not a duration: {text!r} (examples: 30d, 12h, 45m, never)")
    amount, unit = int(match.group(1)), match.group(2)
    if amount == 0:
        return None
    duration = timedelta(**{_UNITS[unit]: amount})
    if duration > LONGEST:
        raise ValueError(f"too long: {text!r} (at most 36500d, or never)")
    return duration
