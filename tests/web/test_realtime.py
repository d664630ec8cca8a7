"""The relay's bridges to Socket.IO: every namespace gets its events once, in ``seq`` order.

Four threads commit operations' events to the outbox and hand them to the real relay as
fast as they can (so they often arrive out of order); Flask-SocketIO's test clients
record what the app emits.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from flask import Flask

from queue_server.core.context import Outcome
from queue_server.core.db import Database
from queue_server.core.envelope import Envelope
from queue_server.core.events import DomainEvent, QueueChanged
from queue_server.core.outbox import recorded

THREADS, OPERATIONS, EVENTS = 4, 50, 3  # each operation publishes EVENTS events at once


def flatten(received: list[dict[str, Any]]) -> list[list[tuple[str, dict[str, Any]]]]:
    """Frames after the snapshot, each as its (name, payload) events."""
    frames = []
    for packet in received:
        name, (data,) = packet["name"], packet["args"]
        if name != "snapshot":
            frames.append([tuple(pair) for pair in data] if name == "batch" else [(name, data)])
    return frames


def eventually(condition: Callable[[], bool], timeout: float) -> bool:
    """Whether ``condition`` holds within ``timeout`` seconds (checked every 20 ms)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def commit(db: Database, events: list[DomainEvent]) -> list[Envelope]:
    """Write ``events`` to the outbox as one operation; their envelopes."""
    return recorded(db, lambda: Outcome(None, events)).envelopes


def publish_from_threads(runtime: Any) -> int:
    """THREADS threads each commit and publish OPERATIONS operations of EVENTS events at
    once; how many events in all."""
    at = datetime.now(UTC)

    def operations(thread: int) -> None:
        for operation in range(OPERATIONS):
            events: list[DomainEvent] = [
                QueueChanged(service=f"T{thread}", waiting=operation * EVENTS + index, at=at)
                for index in range(EVENTS)
            ]
            runtime.relay.publish(commit(runtime.queue.db, events))

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(operations, range(THREADS)))
    return THREADS * OPERATIONS * EVENTS


def test_every_namespace_gets_every_event_once_in_order(
    app: Flask, token: Callable[..., dict[str, str]]
) -> None:
    socketio = app.extensions["socketio"]
    secret = token("display")["Authorization"].split()[1]
    display = socketio.test_client(app, namespace="/display", auth={"token": secret})
    devices = socketio.test_client(app, namespace="/devices", auth={"token": secret})
    display_from = display.get_received("/display")[0]["args"][0]["seq"]
    devices_from = devices.get_received("/devices")[0]["args"][0]["seq"]
    total = publish_from_threads(app.extensions["xephang"])

    # Screens: the outbox's seq without a gap, each event's prev the one before it.
    frames = flatten(display.get_received("/display"))
    shown = [payload for frame in frames for _name, payload in frame]
    assert [p["seq"] for p in shown] == list(range(display_from + 1, display_from + total + 1))
    assert [p["prev"] for p in shown] == [display_from] + [p["seq"] for p in shown[:-1]]
    for frame in frames:  # an operation's events in one frame and in their order
        by_service: dict[str, list[int]] = {}
        for _name, payload in frame:
            by_service.setdefault(payload["service"], []).append(payload["waiting"])
        for waiting in by_service.values():
            assert len(waiting) % EVENTS == 0 and waiting == sorted(waiting)
    for thread in range(THREADS):  # each writer's operations in the order it made them
        mine = [p["waiting"] for p in shown if p["service"] == f"T{thread}"]
        assert mine == list(range(OPERATIONS * EVENTS))

    # Device workers: every event once, in seq order, without a gap.
    frames = flatten(devices.get_received("/devices"))
    assert [payload["seq"] for frame in frames for _name, payload in frame] == list(
        range(devices_from + 1, devices_from + total + 1)
    )


def test_a_started_relay_sends_from_its_own_thread_once_in_order(
    app: Flask, token: Callable[..., dict[str, str]]
) -> None:
    """Started (the server), the relay sends what requests publish from its sender
    thread, not theirs; screens still get every event once, in order, chained."""
    socketio = app.extensions["socketio"]
    secret = token("display")["Authorization"].split()[1]
    display = socketio.test_client(app, namespace="/display", auth={"token": secret})
    display_from = display.get_received("/display")[0]["args"][0]["seq"]
    runtime = app.extensions["xephang"]
    senders: set[str] = set()
    runtime.relay.subscribe_batches(lambda _batch: senders.add(threading.current_thread().name))
    runtime.relay.start()
    try:
        total = publish_from_threads(runtime)
        shown: list[dict[str, Any]] = []

        def all_shown() -> bool:
            frames = flatten(display.get_received("/display"))
            shown.extend(payload for frame in frames for _name, payload in frame)
            return len(shown) >= total

        assert eventually(all_shown, timeout=10)
    finally:
        runtime.relay.stop()
    assert [p["seq"] for p in shown] == list(range(display_from + 1, display_from + total + 1))
    assert [p["prev"] for p in shown] == [display_from] + [p["seq"] for p in shown[:-1]]
    assert senders <= {"xephang-relay-send", "xephang-relay"}  # never a request's thread
