"""Rate limits kept in Redis: one budget for all processes; open when Redis is down."""

from __future__ import annotations

import subprocess
from pathlib import Path

import redis

from queue_server.cluster.limiter import SharedRateLimiter
from queue_server.cluster.redis_link import RedisLink

from .conftest import RedisServer, wait_for


def test_two_processes_share_one_budget(redis_server: RedisServer) -> None:
    # Two links and two limiters, as two server processes would have them.
    first = SharedRateLimiter(RedisLink(redis_server.url), "issue", 3)
    second = SharedRateLimiter(RedisLink(redis_server.url), "issue", 3)
    assert [first.hit("kiosk:1"), second.hit("kiosk:1"), first.hit("kiosk:1")] == [0, 0, 0]
    wait = second.hit("kiosk:1")
    assert 1 <= wait <= 60
    assert first.hit("kiosk:1") >= 1
    assert second.hit("kiosk:2") == 0  # another key has its own budget


def test_limits_of_different_names_do_not_mix(redis_server: RedisServer) -> None:
    link = RedisLink(redis_server.url)
    issue = SharedRateLimiter(link, "issue", 1)
    track = SharedRateLimiter(link, "track", 1)
    assert issue.hit("10.0.0.7") == 0
    assert track.hit("10.0.0.7") == 0
    assert issue.hit("10.0.0.7") >= 1
    keys = sorted(key.decode() for key in redis_server.client().scan_iter("*"))
    assert keys and all(key.startswith("xephang:limits") for key in keys)


def test_without_redis_every_hit_is_allowed_and_counted(redis_server: RedisServer) -> None:
    failures: list[str] = []
    limiter = SharedRateLimiter(RedisLink(redis_server.url, on_failure=failures.append), "issue", 1)
    assert limiter.hit("kiosk:1") == 0
    assert limiter.hit("kiosk:1") >= 1
    redis_server.stop()
    assert [limiter.hit("kiosk:1") for _ in range(3)] == [0, 0, 0]
    assert failures == ["issue_limiter"] * 3


def _answers(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False


def test_a_unix_socket_url_is_understood(tmp_path: Path) -> None:
    folder = tmp_path / "unix"
    folder.mkdir()
    url = f"unix://{folder / 'redis.sock'}"
    options = ["--save", "", "--appendonly", "no", "--dir", str(folder)]
    server = subprocess.Popen(
        ["redis-server", "--port", "0", "--unixsocket", str(folder / "redis.sock"), *options],
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: _answers(redis.Redis.from_url(url)))
        failures: list[str] = []
        limiter = SharedRateLimiter(RedisLink(url, on_failure=failures.append), "track", 1)
        assert limiter.hit("10.0.0.9") == 0
        assert limiter.hit("10.0.0.9") >= 1
        assert failures == []
    finally:
        server.terminate()
        server.wait(timeout=10)
