"""The Redis link: short timeouts, fail-open calls, one warning per outage, a cool-down."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Iterator

import pytest

from queue_server.cluster.redis_link import RedisLink, hide_password

from .conftest import RedisServer, free_port, wait_for


def test_a_call_goes_to_redis_while_it_answers(redis_server: RedisServer) -> None:
    failures: list[str] = []
    link = RedisLink(redis_server.url, on_failure=failures.append)
    assert link.run("test", lambda: link.client.incr("xephang:probe"), lambda: -1) == 1
    assert redis_server.client().get("xephang:probe") == b"1"
    assert failures == [] and not link.down
    link.close()


def test_a_refused_call_takes_the_fallback_is_counted_and_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    failures: list[str] = []
    link = RedisLink(f"redis://127.0.0.1:{free_port()}/0", on_failure=failures.append)
    with caplog.at_level(logging.WARNING, logger="queue_server.cluster.redis_link"):
        assert link.run("issue_limiter", lambda: link.client.ping(), lambda: "fallback") == (
            "fallback"
        )
        assert link.run("track_limiter", lambda: link.client.ping(), lambda: "again") == "again"
    assert failures == ["issue_limiter", "track_limiter"]
    assert link.down
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1  # one line for the outage, not one per request
    assert "does not answer" in warnings[0] and "issue_limiter" in warnings[0]


def test_while_cooling_down_redis_is_not_tried(redis_server: RedisServer) -> None:
    link = RedisLink(redis_server.url, cool_down_s=60)
    redis_server.stop()
    assert link.run("test", lambda: link.client.ping(), lambda: False) is False
    redis_server.start()  # back, but the link waits out its cool-down
    tried: list[bool] = []

    def operation() -> bool:
        tried.append(True)
        return True

    assert link.run("test", operation, lambda: False) is False
    assert tried == []


def test_after_the_cool_down_the_link_recovers_and_says_so(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    link = RedisLink(redis_server.url, cool_down_s=0.05)
    redis_server.stop()
    assert link.run("test", lambda: link.client.ping(), lambda: False) is False
    redis_server.start()
    with caplog.at_level(logging.WARNING, logger="queue_server.cluster.redis_link"):
        wait_for(lambda: link.run("test", lambda: link.client.ping(), lambda: False))
    assert not link.down
    assert any("answers again" in record.getMessage() for record in caplog.records)


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers (a hung Redis)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield int(listener.getsockname()[1])


def test_a_hung_redis_costs_one_timeout(silent_port: int) -> None:
    link = RedisLink(f"redis://127.0.0.1:{silent_port}/0", timeout_s=0.2, cool_down_s=60)
    started = time.monotonic()
    assert link.run("test", lambda: link.client.ping(), lambda: "open") == "open"
    first = time.monotonic() - started
    assert 0.15 < first < 2.0  # one socket timeout, no retries with back-off
    started = time.monotonic()
    for _ in range(20):
        assert link.run("test", lambda: link.client.ping(), lambda: "open") == "open"
    assert time.monotonic() - started < 0.1  # cooling down: Redis is not waited for


def test_passwords_are_hidden() -> None:
    assert hide_password("redis://:s3cret@db.lan:6379/0") == "redis://:***@db.lan:6379/0"
    assert hide_password("redis://app:s3cret@db.lan/1") == "redis://app:***@db.lan/1"
    assert hide_password("redis://db.lan:6379/0") == "redis://db.lan:6379/0"
