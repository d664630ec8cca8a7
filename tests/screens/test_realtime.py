"""The Socket.IO side of the screens, with real python-socketio clients over TCP."""

from __future__ import annotations

import queue
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio

from queue_server.settings import Settings

from .conftest import PASSWORD, LiveServer, start_server

Received = queue.Queue[tuple[str, Any]]


def connect(server: LiveServer, namespace: str, **kwargs: Any) -> tuple[socketio.Client, Received]:
    """A client that records every event of ``namespace`` in arrival order.

    Long polling: with Werkzeug a WebSocket client takes ~3 s to disconnect.
    """
    client = socketio.Client(reconnection=False)
    received: Received = queue.Queue()
    client.on("*", lambda event, data: received.put((event, data)), namespace=namespace)
    client.connect(
        server.url, namespaces=[namespace], transports=["polling"], wait_timeout=5, **kwargs
    )
    return client, received


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
        seqs = [data["seq"] for _name, data in seen]
        assert seqs == list(range(snapshot["seq"] + 1, snapshot["seq"] + 1 + len(seqs)))
        call = next(data for name, data in seen if name == "ticket_called")
        assert {k: call[k] for k in ("number", "counter", "service", "recall")} == {
            "number": issued["number"],
            "counter": 5,
            "service": "DD",
            "recall": False,
        }
        assert {"ticket_id", "counter_name", "priority", "seq", "at"} <= set(call)
    finally:
        client.disconnect()


def test_officer_namespace_is_for_signed_in_staff(server: LiveServer) -> None:
    with pytest.raises(socketio.exceptions.ConnectionError):
        socketio.Client(reconnection=False).connect(
            server.url,
            namespaces=["/officer"],
            headers={"Authorization": f"Bearer {server.token('officer', counter=1)}"},
            wait_timeout=5,
        )
    username = server.user("officer-socket", "officer")
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
    cookie = "; ".join(f"{c.name}={c.value}" for c in http.cookies)
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
