"""The Socket.IO side of the screens, with real python-socketio clients over TCP."""

from __future__ import annotations

import queue
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio
from sqlalchemy import func, select

from queue_server.core.models import OutboxEvent
from queue_server.settings import Settings
from queue_server.web.realtime import SCREEN_EVENTS
from queue_server.workers.devices import DeviceWorker, build_devices
from queue_server.workers.remote import RemoteFeed

from .conftest import PASSWORD, LiveServer, start_server


class Received(queue.Queue[tuple[str, Any]]):
    """Events in arrival order, a ``batch`` frame's one by one (as common.js takes them).

    ``frames`` keeps the event names of each frame, to see what travelled together.
    """

    def __init__(self) -> None:
        super().__init__()
        self.frames: list[list[str]] = []

    def record(self, event: str, data: Any) -> None:
        pairs = data if event == "batch" else [[event, data]]
        self.frames.append([name for name, _payload in pairs])
        for name, payload in pairs:
            self.put((name, payload))


def connect(
    server: LiveServer, namespace: str, transport: str = "polling", **kwargs: Any
) -> tuple[socketio.Client, Received]:
    """A client that records every event of ``namespace`` in arrival order.

    Long polling by default: with Werkzeug a WebSocket client takes ~3 s to disconnect.
    """
    client = socketio.Client(reconnection=False)
    received = Received()
    client.on("*", received.record, namespace=namespace)
    client.connect(
        server.url, namespaces=[namespace], transports=[transport], wait_timeout=5, **kwargs
    )
    return client, received


def events_until(received: Received, seq: int) -> list[tuple[str, Any]]:
    """Every event up to the one numbered ``seq`` (5 s at most for each)."""
    seen = [received.get(timeout=5)]
    while seen[-1][1]["seq"] < seq:
        seen.append(received.get(timeout=5))
    return seen


def last_screen_event(server: LiveServer, upto: int) -> int:
    """The seq of the last event screens get, up to the outbox's ``upto``."""
    with server.queue.db.read() as conn:
        return int(
            conn.execute(
                select(func.max(OutboxEvent.seq)).where(
                    OutboxEvent.name.in_(SCREEN_EVENTS), OutboxEvent.seq <= upto
                )
            ).scalar_one()
        )


def staff_cookie(server: LiveServer, username: str) -> str:
    """Sign in through the real form; the session cookie for a Socket.IO client."""
    server.user(username, "officer")
    http = requests.Session()
    form = http.get(server.url + "/login", timeout=5).text
    csrf = form.split('name="csrf_token" value="')[1].split('"')[0]
    signed = http.post(
        server.url + "/login",
        data={"username": username, "password": PASSWORD, "csrf_token": csrf},
        allow_redirects=False,
        timeout=5,
    )
    assert signed.status_code == 303
    return "; ".join(f"{c.name}={c.value}" for c in http.cookies)


def next_event(received: Received, name: str) -> Any:
    """The next event called ``name`` (others are skipped), within 5 s."""
    while True:
        event, data = received.get(timeout=5)
        if event == name:
            return data


def test_display_namespace_needs_a_display_token(server: LiveServer) -> None:
    # Kiosk tokens may listen (screen events only: the kiosk redraws its buttons live).
    officer = server.token("officer", counter=1)
    for auth in (None, {"token": "xp_not-a-token"}, {"token": officer}):
        client = socketio.Client(reconnection=False)
        with pytest.raises(socketio.exceptions.ConnectionError):
            client.connect(
                server.url,
                namespaces=["/display"],
                auth=auth,
                wait_timeout=5,
            )


def test_snapshot_on_connect_has_the_shape_of_the_state_api(server: LiveServer) -> None:
    token = server.token("display")
    client, received = connect(server, "/display", auth={"token": token})
    try:
        snapshot = next_event(received, "snapshot")
        state = server.api("GET", "/api/v1/state", token).json()
        assert (
            set(snapshot)
            == set(state)
            == {
                "day",
                "at",
                "services",
                "counters",
                "recent_calls",
                "seq",
            }
        )
        assert [c["number"] for c in snapshot["counters"]] == [1, 2, 3, 4, 5, 6]
        resynced = client.call("resync", namespace="/display", timeout=5)
        assert set(resynced) == set(snapshot)
    finally:
        client.disconnect()


def test_events_carry_consecutive_seq_and_the_call(server: LiveServer) -> None:
    client, received = connect(server, "/display", auth={"token": server.token("display")})
    kiosk, officer = server.token("kiosk"), server.token("officer", counter=5)
    try:
        snapshot = next_event(received, "snapshot")
        issued = server.api("POST", "/api/v1/tickets", kiosk, {"service": "DD"}).json()
        called = server.api("POST", "/api/v1/counters/5/next", officer, {}).json()
        assert called["ticket"]["number"] == issued["number"]
        seen: list[tuple[str, Any]] = []
        while not any(name == "counter_changed" for name, _data in seen):
            seen.append(received.get(timeout=5))
        # The outbox's seq (ticket_issued counts, screens never get it), each event's
        # prev the screen event before it.
        seqs = [data["seq"] for _name, data in seen]
        prevs = [data["prev"] for _name, data in seen]
        assert prevs[0] <= snapshot["seq"] < seqs[0] and prevs[1:] == seqs[:-1]
        assert seqs[-1] == snapshot["seq"] + 5  # issued, queue; called, queue, counter
        call = next(data for name, data in seen if name == "ticket_called")
        assert {k: call[k] for k in ("number", "counter", "service", "recall")} == {
            "number": issued["number"],
            "counter": 5,
            "service": "DD",
            "recall": False,
        }
        assert {"ticket_id", "counter_name", "priority", "seq", "at"} <= set(call)
        # The call's screen events travelled in one frame, the call first.
        assert ["ticket_called", "queue_changed", "counter_changed"] in received.frames
    finally:
        client.disconnect()


def test_concurrent_operations_reach_every_namespace_in_seq_order(server: LiveServer) -> None:
    """No event is lost, doubled or reordered, and a call is never split across frames.

    Four counters issue and call at the same time; the display (screen events, chained
    by ``prev``) and the officer console (every event) must see every number once, in
    the outbox's order, and every call's events together in one frame.
    """
    display, on_display = connect(server, "/display", auth={"token": server.token("display")})
    cookie = staff_cookie(server, "officer-order")
    officer, on_officer = connect(server, "/officer", headers={"Cookie": cookie})
    admin = server.token("admin")  # no issue rate limit
    services = {1: "HD", 2: "HT", 3: "CT", 5: "DD"}  # a service only that counter calls
    officers = {counter: server.token("officer", counter=counter) for counter in services}

    def work(counter: int) -> None:
        for _round in range(6):
            body = {"service": services[counter]}
            issued = server.api("POST", "/api/v1/tickets", admin, body)
            assert issued.status_code == 201, issued.text
            called = server.api("POST", f"/api/v1/counters/{counter}/next", officers[counter], {})
            assert called.status_code == 200, called.text

    try:
        display_from = next_event(on_display, "snapshot")["seq"]
        officer_from = next_event(on_officer, "snapshot")["seq"]
        with ThreadPoolExecutor(max_workers=len(services)) as pool:
            list(pool.map(work, services))
        display_to = display.call("resync", namespace="/display", timeout=5)["seq"]
        officer_to = officer.call("resync", namespace="/officer", timeout=5)["seq"]

        shown = events_until(on_display, last_screen_event(server, display_to))
        seqs = [data["seq"] for _name, data in shown]
        assert seqs == sorted(seqs) and seqs[0] > display_from
        assert [data["prev"] for _name, data in shown][1:] == seqs[:-1]
        # A call's three events come in one frame; the relay's sender may put the events of
        # other operations that piled up meanwhile in the same frame (a batch).
        calls = [frame for frame in on_display.frames if "ticket_called" in frame]
        assert sum(frame.count("ticket_called") for frame in calls) == 24
        for frame in calls:
            for at, name in enumerate(frame):
                if name == "ticket_called":
                    assert frame[at : at + 3] == [
                        "ticket_called",
                        "queue_changed",
                        "counter_changed",
                    ]

        staff = events_until(on_officer, officer_to)
        assert [data["seq"] for _name, data in staff] == list(
            range(officer_from + 1, officer_to + 1)
        )
        names = [name for name, _data in staff]
        assert names.count("ticket_issued") == names.count("ticket_called") == 24
    finally:
        officer.disconnect()
        display.disconnect()


def test_officer_namespace_is_for_signed_in_staff(server: LiveServer) -> None:
    with pytest.raises(socketio.exceptions.ConnectionError):
        socketio.Client(reconnection=False).connect(
            server.url,
            namespaces=["/officer"],
            headers={"Authorization": f"Bearer {server.token('officer', counter=1)}"},
            wait_timeout=5,
        )
    cookie = staff_cookie(server, "officer-socket")
    client, received = connect(server, "/officer", headers={"Cookie": cookie})
    try:
        assert {c["number"] for c in next_event(received, "snapshot")["counters"]} >= {1, 6}
    finally:
        client.disconnect()


def test_pages_for_staff_send_strangers_to_sign_in(server: LiveServer) -> None:
    for path in ("/officer", "/helpdesk"):
        response = requests.get(server.url + path, allow_redirects=False, timeout=5)
        assert response.status_code == 303
        assert response.headers["Location"].startswith("/login?next=")
    for path in ("/display", "/kiosk"):
        page = requests.get(server.url + path, timeout=5)
        assert page.status_code == 200
        assert '<html lang="vi">' in page.text
        assert "http://" not in page.text.replace(server.url, "")  # nothing from outside


def test_an_open_display_needs_no_token_but_stays_read_only(
    demo_settings: Settings, tmp_path: Path
) -> None:
    server = start_server(demo_settings, tmp_path / "data", display_open=True)
    try:
        client, received = connect(server, "/display")
        try:
            assert len(next_event(received, "snapshot")["counters"]) == 6
        finally:
            client.disconnect()
        # Reading the screen is open; the API still wants a token for anything else.
        assert requests.get(server.url + "/api/v1/state", timeout=5).status_code == 401
        denied = requests.post(server.url + "/api/v1/counters/1/next", json={}, timeout=5)
        assert denied.status_code == 401
    finally:
        server.close()


def test_a_device_process_is_not_thrown_off_by_events_it_does_not_use(
    server: LiveServer, tmp_path: Path
) -> None:
    """A rating goes on /devices too; ``xephang devices`` does nothing with it, but its
    seq still counts: the next event is no gap and asks for no fresh snapshot."""
    settings = server.settings.model_copy(update={"data_dir": str(tmp_path / "remote")})
    worker = DeviceWorker(settings, build_devices(settings)).start()
    feed = RemoteFeed(worker, server.url, server.token("display")).start()
    try:
        assert feed.connected.wait(10)
        kiosk, officer = server.token("kiosk"), server.token("officer", counter=3)
        ticket = server.api("POST", "/api/v1/tickets", kiosk, {"service": "CT"}).json()
        call = {"ticket_id": ticket["id"]}
        assert server.api("POST", "/api/v1/counters/3/call", officer, call).ok
        assert server.api("POST", "/api/v1/counters/3/finish", officer, {}).ok
        rated = server.api(
            "POST", "/api/v1/counters/3/rating", server.token("rating", 3),
            {"ticket_id": ticket["id"], "score": 3},
        )  # fmt: skip
        assert rated.status_code == 201, rated.text
        server.api("POST", "/api/v1/tickets", kiosk, {"service": "CT"})  # after the rating
        last = server.api("GET", "/api/v1/state", server.token("display")).json()["seq"]
        deadline, pause = time.monotonic() + 5, threading.Event()
        while feed.last_seq < last and time.monotonic() < deadline:
            pause.wait(0.05)  # a condition polled, not a sleep
        assert feed.last_seq == last
        assert feed.snapshots == 1  # the one of the connection only
    finally:
        feed.stop()
        worker.stop()
