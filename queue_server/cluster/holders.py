"""Which officers have a counter open, seen by every server process through Redis.

Each process keeps its own consoles' connections in memory (as the single-machine
:class:`~queue_server.web.counter_holders.CounterHolders` does) and mirrors them to a
Redis hash of its own, ``xephang:counter-holders:<process>`` (connection id →
``[counter, user]``), rewritten whole on every change and every ``refresh_s`` seconds,
and expiring ``ttl_s`` after the last write: a process that dies stops counting within
``ttl_s``. The set ``xephang:counter-holders`` names the processes; a reader drops the
ones whose hash has expired. When Redis does not answer, a process answers from its own
connections only.
"""

from __future__ import annotations

import json
import threading
from typing import cast

from redis.typing import EncodableT

from queue_server.cluster.redis_link import KEY_PREFIX, RedisLink
from queue_server.web.counter_holders import CounterHolders

INDEX_KEY = f"{KEY_PREFIX}counter-holders"
TTL_S = 30.0
REFRESH_S = 10.0
PART = "counter_holders"


class SharedCounterHolders(CounterHolders):
    """The console connections of every process: this one's in memory, all in Redis."""

    def __init__(
        self, link: RedisLink, process: str, *, ttl_s: float = TTL_S, refresh_s: float = REFRESH_S
    ) -> None:
        super().__init__()
        self.process = process
        self._link = link
        self._key = f"{INDEX_KEY}:{process}"
        self._ttl_ms = int(ttl_s * 1000)
        self._refresh_s = refresh_s
        self._publishing = threading.Lock()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def hold(self, sid: str, counter: int, user: str) -> None:
        super().hold(sid, counter, user)
        self.publish()

    def release(self, sid: str) -> None:
        super().release(sid)
        self.publish()

    def others(self, counter: int, user: str) -> list[str]:
        """The other users with ``counter`` open on any process, by name."""
        mine = super().others(counter, user)
        everywhere = self._link.run(
            PART, lambda: self._others_everywhere(counter, user), lambda: list[str]()
        )
        return sorted(set(mine) | set(everywhere))

    def publish(self) -> None:
        """Write this process's connections to its Redis hash (whole, with its expiry).

        One write at a time, so an older picture never lands after a newer one."""
        with self._publishing:
            with self._lock:
                held = {sid: json.dumps(entry) for sid, entry in self._held.items()}
            self._link.run(PART, lambda: self._write(held), lambda: None)

    def start(self) -> None:
        """Refresh this process's hash every ``refresh_s`` seconds until :meth:`stop`."""
        self._stopping.clear()
        self._thread = threading.Thread(target=self._refresh, name="counter-holders", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop refreshing and remove this process's hash (its consoles are gone)."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self._link.run(PART, self._remove, lambda: None)

    def _refresh(self) -> None:
        while not self._stopping.wait(self._refresh_s):
            self.publish()

    def _write(self, held: dict[str, str]) -> None:
        pipe = self._link.client.pipeline(transaction=True)
        pipe.delete(self._key)
        if held:
            fields: dict[EncodableT, EncodableT] = {key: value for key, value in held.items()}
            pipe.hset(self._key, mapping=fields)
            pipe.pexpire(self._key, self._ttl_ms)
            pipe.sadd(INDEX_KEY, self.process)
        else:
            pipe.srem(INDEX_KEY, self.process)
        pipe.execute()

    def _remove(self) -> None:
        pipe = self._link.client.pipeline(transaction=True)
        pipe.delete(self._key)
        pipe.srem(INDEX_KEY, self.process)
        pipe.execute()

    def _others_everywhere(self, counter: int, user: str) -> list[str]:
        client = self._link.client
        members = cast(set[bytes], client.smembers(INDEX_KEY))  # sync client: not awaitable
        processes = sorted(member.decode() for member in members)
        pipe = client.pipeline(transaction=False)
        for process in processes:
            pipe.hgetall(f"{INDEX_KEY}:{process}")
        names: set[str] = set()
        gone: list[str] = []
        for process, entries in zip(processes, pipe.execute(), strict=True):
            if not entries:
                gone.append(process)
            for value in entries.values():
                number, name = json.loads(value)
                if number == counter and name != user:
                    names.add(name)
        if gone:  # expired (a process that died) or emptied: forget it
            client.srem(INDEX_KEY, *gone)
        return sorted(names)
