"""The production server writes screens' frames straight to their WebSockets, in order.

Displays that read at once (python-socketio clients) and one that reads nothing until
the end (a bare WebSocket with a small receive buffer) must each get every screen event
once, whole and in ``seq`` order, with the calls in the order the officer made them;
``/api/v1/metrics`` shows the packets went straight.
"""

from __future__ import annotations

import itertools
import json
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio
import websocket

from tests.web.test_availability import Server, running_server

pytestmark = pytest.mark.slow

OPERATIONS = 120


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with running_server(tmp_path, "socket_join_timeout_s = 30") as running:
        yield running


class Screen:
    """A display that takes every event as it comes (``batch`` unpacked)."""

    def __init__(self, server: Server) -> None:
        self.events: list[tuple[str, dict[str, Any]]] = []
        self.changed = threading.Condition()
        self.client = socketio.Client(reconnection=False)
        for name in ("snapshot", "ticket_called", "queue_changed", "counter_changed"):
            self.client.on(name, self._one(name), namespace="/display")
        self.client.on("batch", self._batch, namespace="/display")
        self.client.connect(
            server.url,
            namespaces=["/display"],
            auth={"token": server.display},
            transports=["websocket"],
            wait_timeout=10,
        )

    def _one(self, name: str) -> Any:
        return lambda payload: self._batch([[name, payload]])

    def _batch(self, pairs: list[list[Any]]) -> None:
        with self.changed:
            self.events.extend((name, payload) for name, payload in pairs)
            self.changed.notify_all()

    def wait_for_call(self, number: str) -> list[tuple[str, dict[str, Any]]]:
        def called() -> bool:
            return any(n == "ticket_called" and p["number"] == number for n, p in self.events)

        with self.changed:
            assert self.changed.wait_for(called, timeout=30), f"{number} never came"
            return list(self.events)


class SlowScreen:
    """A bare WebSocket display that reads nothing until :meth:`read_until_call`."""

    def __init__(self, server: Server) -> None:
        self.ws = websocket.create_connection(
            f"ws://127.0.0.1:{server.port}/socket.io/?EIO=4&transport=websocket",
            timeout=30,
            sockopt=((socket.SOL_SOCKET, socket.SO_RCVBUF, 4096),),
        )
        assert self.recv().startswith("0")  # Engine.IO's open packet
        self.ws.send("40/display," + json.dumps({"token": server.display}))

    def recv(self) -> str:
        message = self.ws.recv()
        assert isinstance(message, str), message  # the server sends text frames only
        return message

    def read_until_call(self, number: str) -> list[tuple[str, dict[str, Any]]]:
        events: list[tuple[str, dict[str, Any]]] = []
        while not any(n == "ticket_called" and p["number"] == number for n, p in events):
            message = self.recv()  # a frame cut or mixed with another fails to decode
            if message == "2":
                self.ws.send("3")  # Engine.IO's heartbeat
                continue
            if not message.startswith("42/display,"):
                continue  # the namespace's connect answer
            name, payload = json.loads(message.removeprefix("42/display,"))
            pairs = payload if name == "batch" else [[name, payload]]
            events.extend((n, p) for n, p in pairs)
        return events


def assert_chained(events: list[tuple[str, dict[str, Any]]], calls: list[str]) -> None:
    """The snapshot first; then each screen event once, each ``prev`` the ``seq`` before
    it; the calls in order."""
    assert [name for name, _ in events].count("snapshot") == 1 and events[0][0] == "snapshot"
    events = events[1:]
    seqs = [payload["seq"] for _name, payload in events]
    assert seqs == sorted(set(seqs)), "an event came twice or out of order"
    for (_, before), (_, after) in itertools.pairwise(events):
        assert after["prev"] == before["seq"], (before, after)
    called = [p["number"] for n, p in events if n == "ticket_called"]
    assert called[-len(calls) :] == calls


def packets(url: str, path: str) -> float:
    text = requests.get(f"{url}/api/v1/metrics", timeout=10).text
    found = re.search(rf'^xephang_socket_packets_total\{{path="{path}"\}} (\S+)$', text, re.M)
    assert found, text
    return float(found.group(1))


def issue_and_call(server: Server, rounds: int) -> list[str]:
    """``rounds`` times: a ticket issued, then called at counter 2; the numbers called."""
    kiosk = {"Authorization": f"Bearer {server.kiosk}"}
    officer = {"Authorization": f"Bearer {server.officer}"}
    calls: list[str] = []
    with requests.Session() as http:
        for _ in range(rounds):
            issued = http.post(
                f"{server.url}/api/v1/tickets", json={"service": "HT"}, headers=kiosk
            )
            assert issued.status_code == 201, issued.text
            called = http.post(f"{server.url}/api/v1/counters/2/next", headers=officer)
            assert called.status_code == 200, called.text
            calls.append(called.json()["ticket"]["number"])
    return calls


def test_every_screen_gets_every_frame_whole_and_in_order(server: Server) -> None:
    screens = [Screen(server) for _ in range(3)]
    slow = SlowScreen(server)
    direct_before = packets(server.url, "direct")
    try:
        calls = issue_and_call(server, OPERATIONS)
        for screen in screens:
            assert_chained(screen.wait_for_call(calls[-1]), calls)
        assert_chained(slow.read_until_call(calls[-1]), calls)
        # Two operations a round, at least one frame each, to each of the 4 screens.
        assert packets(server.url, "direct") - direct_before >= 0.9 * OPERATIONS * 2 * 4
    finally:
        slow.ws.close()
        for screen in screens:
            screen.client.disconnect()
