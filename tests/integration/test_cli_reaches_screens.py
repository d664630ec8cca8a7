"""The README's second terminal: a command run beside the server reaches its screens.

On one machine (SQLite, no Redis) a ``xephang counter next`` from another terminal is
written to the outbox by the command; the running server's relay reads it back (within
its 0.25 s poll) and the hall display shows the call.
"""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import socketio

from .conftest import center_config, free_port, start, wait_until_serving, xephang


def test_a_cli_call_reaches_the_display_of_the_running_server_within_a_second(
    tmp_path: Path, processes: list[subprocess.Popen[str]]
) -> None:
    config = center_config(tmp_path, '[devices]\nworker = "external"\n')
    xephang("init", config=config)
    display = xephang("token", "create", "--role", "display", config=config).stdout.split()[0]
    port = free_port()
    processes.append(start("run", "--port", str(port), config=config))
    wait_until_serving(port)

    called: dict[str, float] = {}
    arrived = threading.Condition()

    def on_call(data: dict[str, Any]) -> None:
        with arrived:
            called[data["number"]] = time.monotonic()
            arrived.notify_all()

    def on_batch(pairs: list[list[Any]]) -> None:
        for name, data in pairs:
            if name == "ticket_called":
                on_call(data)

    screen = socketio.Client(reconnection=False)
    screen.on("ticket_called", on_call, namespace="/display")
    screen.on("batch", on_batch, namespace="/display")
    screen.connect(
        f"http://127.0.0.1:{port}",
        namespaces=["/display"],
        transports=["websocket"],
        auth={"token": display},
        wait_timeout=10,
    )
    try:
        xephang("ticket", "issue", "CT", config=config)
        xephang("counter", "next", "3", config=config)
        answered = time.monotonic()
        with arrived:
            assert arrived.wait_for(lambda: "C001" in called, timeout=5), called
        assert called["C001"] - answered < 1.0
    finally:
        screen.disconnect()
