"""Rate limits shared by every server process, kept in Redis by the ``limits`` library.

The same ``hit(key) -> seconds`` as the in-memory :class:`~queue_server.web.ratelimit.RateLimiter`,
on limits' sliding-window counter (two counters per key, weighted; Redis' own key
expiry keeps the time, so the machines' clocks do not matter). When Redis does not
answer the hit is allowed: a limit is abuse protection, never a reason to refuse a
ticket.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItemPerMinute
from limits.storage import RedisStorage
from limits.strategies import SlidingWindowCounterRateLimiter

from queue_server.cluster.redis_link import KEY_PREFIX, RedisLink


class SharedRateLimiter:
    """At most ``per_minute`` hits per key in any minute, over all processes."""

    def __init__(self, link: RedisLink, name: str, per_minute: int) -> None:
        self.name = name
        self._link = link
        # limits talks to Redis through the link's pool (its timeouts, no retries); the
        # URL only tells it the server kind.
        storage = RedisStorage(
            "redis://", connection_pool=link.pool, key_prefix=f"{KEY_PREFIX}limits"
        )
        self._strategy = SlidingWindowCounterRateLimiter(storage)
        self._item = RateLimitItemPerMinute(per_minute)

    def hit(self, key: str) -> int:
        """Take one unit for ``key``: 0 if allowed (or Redis is down), else seconds to
        wait (Retry-After)."""
        return self._link.run(f"{self.name}_limiter", lambda: self._hit(key), lambda: 0)

    def _hit(self, key: str) -> int:
        if self._strategy.hit(self._item, self.name, key):
            return 0
        reset, _remaining = self._strategy.get_window_stats(self._item, self.name, key)
        return max(1, math.ceil(reset - time.time()))
