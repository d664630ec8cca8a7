"""Counter holders seen by every process through Redis, and what happens without it."""

from __future__ import annotations

import time

from queue_server.cluster.holders import INDEX_KEY, SharedCounterHolders
from queue_server.cluster.redis_link import RedisLink

from .conftest import RedisServer, wait_for


def _holders(server: RedisServer, process: str, **options: float) -> SharedCounterHolders:
    return SharedCounterHolders(RedisLink(server.url), process, **options)


def test_a_console_open_on_one_process_is_seen_by_another(redis_server: RedisServer) -> None:
    first = _holders(redis_server, "host-a:1")
    second = _holders(redis_server, "host-b:1")
    first.hold("sid-1", 3, "an")
    assert second.others(3, "binh") == ["an"]
    assert second.others(3, "an") == []  # the same officer on another screen
    assert second.others(4, "binh") == []
    second.hold("sid-2", 3, "chi")
    assert first.others(3, "binh") == ["an", "chi"]
    first.release("sid-1")
    assert second.others(3, "binh") == ["chi"]


def test_stopping_a_process_removes_its_consoles(redis_server: RedisServer) -> None:
    first = _holders(redis_server, "host-a:1", refresh_s=0.05)
    second = _holders(redis_server, "host-b:1")
    first.start()
    first.hold("sid-1", 2, "an")
    assert second.others(2, "binh") == ["an"]
    first.stop()
    assert second.others(2, "binh") == []
    assert redis_server.client().smembers(INDEX_KEY) == set()


def test_a_process_that_died_is_forgotten_after_its_expiry(redis_server: RedisServer) -> None:
    dead = _holders(redis_server, "host-a:1", ttl_s=0.3)
    dead.hold("sid-1", 2, "an")  # never refreshed: as if killed
    living = _holders(redis_server, "host-b:1")
    assert living.others(2, "binh") == ["an"]
    wait_for(lambda: living.others(2, "binh") == [])
    assert redis_server.client().smembers(INDEX_KEY) == set()  # and the index is tidied


def test_the_refresh_keeps_a_living_process_counted(redis_server: RedisServer) -> None:
    alive = _holders(redis_server, "host-a:1", ttl_s=0.3, refresh_s=0.05)
    alive.start()
    alive.hold("sid-1", 2, "an")
    other = _holders(redis_server, "host-b:1")
    held_since = time.monotonic()
    wait_for(lambda: time.monotonic() - held_since > 1.0)  # over three expiries
    assert other.others(2, "binh") == ["an"]
    alive.stop()


def test_without_redis_a_process_knows_its_own_consoles(redis_server: RedisServer) -> None:
    holders = _holders(redis_server, "host-a:1")
    holders.hold("sid-1", 2, "an")
    redis_server.stop()
    holders.hold("sid-2", 2, "binh")  # no error: kept in memory
    assert holders.others(2, "chi") == ["an", "binh"]
    holders.release("sid-1")
    assert holders.others(2, "chi") == ["binh"]
