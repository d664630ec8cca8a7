"""The composition root: parts start in order, stop in reverse, and the lock goes last."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from queue_server.auth.tokens import create_token
from queue_server.core.errors import QueueError
from queue_server.core.serverlock import DataDirInUse, ServerLock
from queue_server.runtime import Runtime
from queue_server.settings import Settings
from queue_server.web.app import create_app
from queue_server.web.state import runtime_of

ALL_PARTS = ["server lock", "database", "relay", "socket guard", "devices", "maintenance"]


def eventually(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def quick_sweep(settings: Settings) -> Settings:
    """Settings whose socket sweep wakes every 0.1 s."""
    api = settings.api.model_copy(update={"socket_check_s": 0.1})
    return settings.model_copy(update={"api": api})


def lock_is_free(data_dir: Path) -> bool:
    try:
        ServerLock.for_reset(data_dir).release()
    except DataDirInUse:
        return False
    return True


def test_stop_ends_every_part_in_reverse_order_and_releases_the_lock(settings: Settings) -> None:
    data_dir = Path(settings.data_dir)
    before = set(threading.enumerate())
    runtime = Runtime.build(quick_sweep(settings), devices=True, maintenance=True)
    app = create_app(runtime)
    runtime.start()
    assert runtime.running == ALL_PARTS
    assert runtime.device_worker is not None
    assert not lock_is_free(data_dir)  # `xephang demo --reset` is refused meanwhile
    # A signed-in screen starts the credential sweep in the background.
    secret, _info = create_token(runtime.queue.db, "display", clock=runtime.queue.clock)
    screen = runtime.socketio.test_client(app, namespace="/display", auth={"token": secret})
    assert screen.is_connected("/display")
    assert runtime.socket_guard.sweeping
    started = set(threading.enumerate()) - before
    names = {thread.name for thread in started}
    assert {"xephang-maintenance", "xephang-devices", "xephang-speech"} <= names

    stopped = runtime.stop()

    assert stopped == list(reversed(ALL_PARTS))
    assert runtime.running == []
    assert runtime.device_worker is None
    assert eventually(lambda: not runtime.socket_guard.sweeping)
    assert eventually(lambda: not [t for t in started if t.is_alive()])
    assert lock_is_free(data_dir)
    assert runtime.stop() == []  # a second stop has nothing left to stop


def test_create_app_starts_nothing(settings: Settings) -> None:
    before = set(threading.enumerate())
    runtime = Runtime.build(settings, devices=True, maintenance=True)
    try:
        app = create_app(runtime)
        assert runtime_of(app) is runtime
        assert runtime.running == ["server lock", "database"]
        assert runtime.device_worker is None
        assert set(threading.enumerate()) - before == set()
        assert app.test_client().get("/api/v1/healthz").status_code == 200
        with pytest.raises(RuntimeError):
            create_app(runtime)  # one web app per runtime
    finally:
        runtime.stop()


def test_testing_runtime_starts_no_worker(settings: Settings) -> None:
    runtime = Runtime.build(settings, testing=True)
    try:
        runtime.start()
        assert runtime.running == ["server lock", "database", "socket guard"]
    finally:
        assert runtime.stop() == ["socket guard", "database", "server lock"]


def test_a_failed_build_releases_the_lock(settings: Settings) -> None:
    data_dir = Path(settings.data_dir)
    Runtime.build(settings, testing=True).stop()  # makes the database
    (data_dir / "xephang.db").unlink()
    with pytest.raises(QueueError):
        Runtime.build(settings, testing=True)  # a database once made is missing
    assert lock_is_free(data_dir)
