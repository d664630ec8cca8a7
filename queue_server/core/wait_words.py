"""How an estimated wait is said: one rule for the kiosk, the printed ticket, the
tracking page (``display/static/js``: the same rule) and ``xephang ticket issue``."""

from __future__ import annotations

import math


def wait_minutes(seconds: int | None, ahead: int) -> int | None:
    """Whole minutes to announce (rounded up), or ``None`` for "less than a minute"."""
    if not seconds or ahead == 0:
        return None
    return math.ceil(seconds / 60)
