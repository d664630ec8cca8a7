"""The doorbell: a Redis channel on which a process says "the outbox has new events".

Only a wake-up call: the events themselves are read from the outbox, which is the one
record, so a lost ring costs at most the relay's poll interval, and a Redis that is down
stops nothing (the relays poll). Rings are sent by a thread of their own, so a request
never waits for Redis; several rings waiting are sent as one.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import redis

from queue_server.cluster.redis_link import connection_pool

log = logging.getLogger(__name__)

CHANNEL = "xephang:outbox"
TIMEOUT_S = 2.0  # connecting, and each command
RETRY_S = 1.0  # after Redis failed to answer


class Doorbell:
    """Rings (after this process committed events) and listens (to wake its relay)."""

    def __init__(self, url: str) -> None:
        self.url = url
        # Short timeouts, no retries: a Redis that does not answer must not hold anyone.
        self._client = redis.Redis(connection_pool=connection_pool(url, TIMEOUT_S))
        self._to_ring: int | None = None
        self._ring_wanted = threading.Condition()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self.rings_failed = 0

    def ring(self, seq: int) -> None:
        """Say that events up to ``seq`` were committed (returns at once)."""
        with self._ring_wanted:
            self._to_ring = max(seq, self._to_ring or 0)
            self._ring_wanted.notify()

    def start(self, on_ring: Callable[[], None]) -> None:
        """Send rings, and call ``on_ring`` for every ring heard (from any process)."""
        for target, name in ((self._send, "ring"), (lambda: self._listen(on_ring), "listen")):
            thread = threading.Thread(target=target, name=f"xephang-doorbell-{name}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stopping.set()
        with self._ring_wanted:
            self._ring_wanted.notify_all()
        for thread in self._threads:
            thread.join(timeout=TIMEOUT_S + 1)
        self._threads = []
        self._client.close()

    def _send(self) -> None:
        while not self._stopping.is_set():
            with self._ring_wanted:
                while self._to_ring is None and not self._stopping.is_set():
                    self._ring_wanted.wait()
                seq, self._to_ring = self._to_ring, None
            if seq is None:
                return
            try:
                self._client.publish(CHANNEL, str(seq))
            except redis.RedisError:
                self.rings_failed += 1
                log.debug("the doorbell could not ring (Redis); the relays poll meanwhile")

    def _listen(self, on_ring: Callable[[], None]) -> None:
        while not self._stopping.is_set():
            pubsub = self._client.pubsub(ignore_subscribe_messages=True)
            try:
                pubsub.subscribe(CHANNEL)
                on_ring()  # rings may have been missed while not listening
                while not self._stopping.is_set():
                    if pubsub.get_message(timeout=1.0) is not None:
                        on_ring()
            except redis.RedisError:
                log.warning("Redis does not answer; the relay polls until it does")
                self._stopping.wait(RETRY_S)
            finally:
                pubsub.close()


def ring_once(url: str) -> None:
    """Ring from a short-lived command (the CLI): nothing to wait for, nothing raised."""
    client = redis.Redis(connection_pool=connection_pool(url, TIMEOUT_S))
    try:
        client.publish(CHANNEL, "command")
    except redis.RedisError:
        log.debug("the doorbell could not ring (Redis); the relays poll meanwhile")
    finally:
        client.close()
