"""Token-bucket rate limits kept in memory (one process serves the center).

In cluster mode the runtime uses :class:`queue_server.cluster.limiter.SharedRateLimiter`
instead, with the same :class:`Limiter` interface.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Protocol


class Limiter(Protocol):
    """A rate limit per key."""

    def hit(self, key: str) -> int:
        """Take one unit for ``key``: 0 if allowed, else seconds to wait (Retry-After)."""
        ...


class RateLimiter:
    """At most ``per_minute`` hits per key, refilled evenly over the minute."""

    def __init__(self, per_minute: int, now: Callable[[], datetime]) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self._now = now
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> int:
        """Take one unit for ``key``: 0 if allowed, else seconds to wait (Retry-After)."""
        now = self._now().timestamp()
        with self._lock:
            tokens, last = self._buckets.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + max(0.0, now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return 0
            self._buckets[key] = (tokens, now)
            return max(1, math.ceil((1.0 - tokens) / self.rate))
