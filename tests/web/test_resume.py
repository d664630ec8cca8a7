"""A screen that reconnects names the last ``seq`` it has (docs/screens.md, "Realtime
protocol"): while the server still keeps what came after (the last 2,000 events) it gets
those its role sees and ``resumed``, without a snapshot; past that, or with an ``after``
the server never reached, a ``snapshot``. SQLite, the Flask-SocketIO test client."""

from __future__ import annotations

from typing import Any

from flask import Flask

from queue_server.core.operations import Queue
from queue_server.relay import WINDOW, Relay
from queue_server.runtime import start_app
from queue_server.settings import Settings
from tests.web.conftest import make_token_maker


def frames(received: list[dict[str, Any]]) -> list[str]:
    """Event names as the page takes them: a ``batch`` unpacked into its events."""
    names: list[str] = []
    for frame in received:
        if frame["name"] == "batch":
            names.extend(name for name, _payload in frame["args"][0])
        else:
            names.append(frame["name"])
    return names


def test_a_display_resumes_within_the_window_and_gets_a_snapshot_past_it(
    settings: Settings, sqlite_queue: Queue
) -> None:
    queue, bus = sqlite_queue, Relay()
    app: Flask = start_app(settings, queue=queue, relay=bus, testing=True)
    socketio = app.extensions["socketio"]
    tokens = make_token_maker(queue)
    display = tokens("display")["Authorization"].split()[1]
    kiosk, officer = tokens("kiosk"), tokens("officer", counter=2)
    client = app.test_client()

    first = socketio.test_client(app, namespace="/display", auth={"token": display})
    (greeting,) = first.get_received("/display")
    assert greeting["name"] == "snapshot"
    seen = greeting["args"][0]["seq"]
    first.disconnect(namespace="/display")

    client.post("/api/v1/tickets", json={"service": "HT"}, headers=kiosk)  # while away
    client.post("/api/v1/counters/2/next", headers=officer)
    back = socketio.test_client(app, namespace="/display", auth={"token": display, "after": seen})
    missed = back.get_received("/display")
    # What a screen draws of it (never ticket_issued), then resumed: no snapshot.
    assert frames(missed) == [
        "queue_changed", "ticket_called", "queue_changed", "counter_changed", "resumed"
    ]  # fmt: skip
    back.disconnect(namespace="/display")

    assert WINDOW == 2000  # the figure docs/screens.md gives
    for _ in range(WINDOW // 2 + 1):  # an issue makes two events: more than the window
        bus.publish(queue.issue("CT").envelopes)
    late = socketio.test_client(app, namespace="/display", auth={"token": display, "after": seen})
    assert [frame["name"] for frame in late.get_received("/display")] == ["snapshot"]
    late.disconnect(namespace="/display")
    future = bus.last_seq + 10  # an ``after`` from another database
    other = socketio.test_client(
        app, namespace="/display", auth={"token": display, "after": future}
    )
    assert [frame["name"] for frame in other.get_received("/display")] == ["snapshot"]
    other.disconnect(namespace="/display")
