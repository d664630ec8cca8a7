"""The process's link to Redis: a client with short timeouts, and fail-open calls.

Every Redis call of the shared state goes through :meth:`RedisLink.run`, with what to do
without Redis. A call that fails (refused, timed out, any Redis error) takes the
fallback, is counted (``on_failure``) and starts a cool-down: for ``cool_down_s`` no
call tries Redis, so a Redis that hangs costs one request at most one timeout every
cool-down, not every request. The first failure of an outage is logged as a warning,
and so is the first success after it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

log = logging.getLogger(__name__)

T = TypeVar("T")

KEY_PREFIX = "xephang:"
TIMEOUT_S = 0.5  # a LAN round trip is well under a millisecond
COOL_DOWN_S = 5.0
FAILURES = (redis.RedisError, OSError)


def connection_pool(url: str, timeout_s: float) -> redis.ConnectionPool:
    """A pool for ``url`` whose connects and replies time out after ``timeout_s``, with
    no retries (redis-py retries three times with back-off by default)."""
    return redis.ConnectionPool.from_url(
        url,
        socket_connect_timeout=timeout_s,
        socket_timeout=timeout_s,
        retry=Retry(NoBackoff(), 0),
    )


def hide_password(url: str) -> str:
    """``url`` with its password (if any) shown as ``***``."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def redis_version(url: str, timeout_s: float) -> str:
    """The version of the Redis server at ``url``; raises what the client raises."""
    pool = connection_pool(url, timeout_s)
    try:
        info = redis.Redis(connection_pool=pool).info("server")
        return str(info["redis_version"])
    finally:
        pool.disconnect()


class RedisLink:
    """One Redis client for the process's shared state, and its fail-open calls."""

    def __init__(
        self,
        url: str,
        *,
        timeout_s: float = TIMEOUT_S,
        cool_down_s: float = COOL_DOWN_S,
        on_failure: Callable[[str], None] | None = None,
    ) -> None:
        self.url = url
        self.pool = connection_pool(url, timeout_s)
        self.client = redis.Redis(connection_pool=self.pool)
        self.cool_down_s = cool_down_s
        self._on_failure = on_failure
        self._lock = threading.Lock()
        self._retry_at = 0.0  # time.monotonic() before which Redis is not tried
        self._down = False

    def run(self, part: str, operation: Callable[[], T], fallback: Callable[[], T]) -> T:
        """``operation()``, or ``fallback()`` when Redis fails or is cooling down.

        ``part`` names the caller in the log and in the failure count."""
        if time.monotonic() < self._retry_at:
            self._count(part)
            return fallback()
        try:
            result = operation()
        except FAILURES as exc:
            self._failed(part, exc)
            return fallback()
        if self._down:
            self._recovered()
        return result

    @property
    def down(self) -> bool:
        """Whether the last call failed (Redis is taken as down until one succeeds)."""
        return self._down

    def close(self) -> None:
        """Close the pool's connections."""
        self.pool.disconnect()

    def _failed(self, part: str, exc: BaseException) -> None:
        with self._lock:
            first = not self._down
            self._down = True
            self._retry_at = time.monotonic() + self.cool_down_s
        where = hide_password(self.url)
        if first:
            log.warning(
                "Redis at %s does not answer (%s): %s goes on without it "
                "(rate limits fail open) until it answers again",
                where,
                exc,
                part,
            )
        else:
            log.debug("Redis at %s still fails for %s: %s", where, part, exc)
        self._count(part)

    def _recovered(self) -> None:
        with self._lock:
            was_down, self._down = self._down, False
        if was_down:
            log.warning("Redis at %s answers again", hide_password(self.url))

    def _count(self, part: str) -> None:
        if self._on_failure is not None:
            self._on_failure(part)
