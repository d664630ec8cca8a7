"""The bus bridges to Socket.IO: every namespace gets its events once, in ``seq`` order.

Four threads publish on the real bus as fast as they can; Flask-SocketIO's test clients
record what the app emits.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from flask import Flask

from queue_server.core.events import QueueChanged

THREADS, OPERATIONS, EVENTS = 4, 50, 3  # each operation publishes EVENTS events at once


def flatten(received: list[dict[str, Any]]) -> list[list[tuple[str, dict[str, Any]]]]:
    """Frames after the snapshot, each as its (name, payload) events."""
    frames = []
    for packet in received:
        name, (data,) = packet["name"], packet["args"]
        if name != "snapshot":
            frames.append([tuple(pair) for pair in data] if name == "batch" else [(name, data)])
    return frames


def test_every_namespace_gets_every_event_once_in_order(
    app: Flask, token: Callable[..., dict[str, str]]
) -> None:
    socketio = app.extensions["socketio"]
    secret = token("display")["Authorization"].split()[1]
    display = socketio.test_client(app, namespace="/display", auth={"token": secret})
    devices = socketio.test_client(app, namespace="/devices", auth={"token": secret})
    display_from = display.get_received("/display")[0]["args"][0]["seq"]
    devices_from = devices.get_received("/devices")[0]["args"][0]["seq"]
    bus = app.extensions["xephang"].bus
    at = datetime.now(UTC)

    def operations(thread: int) -> None:
        for operation in range(OPERATIONS):
            bus.publish(
                QueueChanged(service=f"T{thread}", waiting=operation * EVENTS + index, at=at)
                for index in range(EVENTS)
            )

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(operations, range(THREADS)))
    total = THREADS * OPERATIONS * EVENTS

    # Screens: one frame per operation, the screens' own seq without a gap.
    frames = flatten(display.get_received("/display"))
    assert len(frames) == THREADS * OPERATIONS
    shown = [payload for frame in frames for _name, payload in frame]
    assert [p["seq"] for p in shown] == list(range(display_from + 1, display_from + total + 1))
    for frame in frames:  # an operation's events together and in their order
        services = {payload["service"] for _name, payload in frame}
        waiting = [payload["waiting"] for _name, payload in frame]
        assert len(services) == 1 and waiting == list(range(waiting[0], waiting[0] + EVENTS))
    for thread in range(THREADS):  # each publisher's operations in the order it made them
        mine = [p["waiting"] for p in shown if p["service"] == f"T{thread}"]
        assert mine == list(range(OPERATIONS * EVENTS))

    # Device workers: one frame per event, the bus seq without a gap.
    frames = flatten(devices.get_received("/devices"))
    assert [len(frame) for frame in frames] == [1] * total
    assert [frame[0][1]["seq"] for frame in frames] == list(
        range(devices_from + 1, devices_from + total + 1)
    )
