"""The state server processes must agree on: rate limits and counter holders.

:class:`LocalState` keeps them in the process's memory (the single-machine center);
:class:`ClusterState` in Redis, with the link it reaches Redis by, started and stopped
as one part of the runtime. The runtime takes the second when ``settings.cluster_mode``
is true. Failures to reach Redis are counted in the process's metrics
(``xephang_redis_failures_total``, by ``part``).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from queue_server.cluster.holders import SharedCounterHolders
from queue_server.cluster.limiter import SharedRateLimiter
from queue_server.cluster.redis_link import RedisLink
from queue_server.settings import Settings
from queue_server.web.counter_holders import CounterHolders
from queue_server.web.metrics import Metrics
from queue_server.web.ratelimit import Limiter, RateLimiter


def process_name() -> str:
    """This process among the cluster's: ``<host name>:<process id>``."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(eq=False)
class LocalState:
    """One process serves the center: its limits and holders are in its memory."""

    issue_limiter: Limiter
    track_limiter: Limiter
    counter_holders: CounterHolders

    @classmethod
    def build(cls, settings: Settings, now: Callable[[], datetime]) -> LocalState:
        """In-memory parts on the queue's clock ``now``."""
        return cls(
            issue_limiter=RateLimiter(settings.api.issue_rate_per_minute, now),
            track_limiter=RateLimiter(settings.ratings.track_rate_per_minute, now),
            counter_holders=CounterHolders(),
        )


@dataclass(eq=False)
class ClusterState:
    """A cluster-mode process's Redis link and the shared parts made on it."""

    link: RedisLink
    issue_limiter: SharedRateLimiter
    track_limiter: SharedRateLimiter
    counter_holders: SharedCounterHolders

    @classmethod
    def build(cls, settings: Settings, metrics: Metrics, process: str) -> ClusterState:
        """The parts for ``settings`` (cluster mode); no connection is opened yet."""
        link = RedisLink(settings.cluster.redis_url, on_failure=metrics.count_redis_failure)
        return cls(
            link=link,
            issue_limiter=SharedRateLimiter(link, "issue", settings.api.issue_rate_per_minute),
            track_limiter=SharedRateLimiter(link, "track", settings.ratings.track_rate_per_minute),
            counter_holders=SharedCounterHolders(link, process),
        )

    def start(self) -> Callable[[], None]:
        """Start refreshing the counter holders; returns :meth:`stop`."""
        self.counter_holders.start()
        return self.stop

    def stop(self) -> None:
        """Remove this process's holders from Redis and close the link."""
        try:
            self.counter_holders.stop()
        finally:
            self.link.close()
