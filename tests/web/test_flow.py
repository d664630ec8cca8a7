"""A day at the counter through the API, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from queue_server.core.clock import FrozenClock
from queue_server.core.envelope import Envelope
from queue_server.core.operations import Queue


def test_issue_call_serve_finish(
    client: FlaskClient, token: Callable[..., dict[str, str]], events: list[Envelope]
) -> None:
    kiosk = token("kiosk")
    officer = token("officer", counter=2)

    first = client.post("/api/v1/tickets", json={"service": "HT"}, headers=kiosk)
    assert first.status_code == 201
    body = first.get_json()
    assert body["number"] == "B001"
    assert body["status"] == "waiting"
    assert body["channel"] == "kiosk"
    assert {"id", "issued_at", "ahead", "estimated_wait_s", "track_code", "priority"} <= set(body)
    assert first.headers["Location"] == f"/api/v1/tickets/{body['id']}"
    second = client.post(
        "/api/v1/tickets", json={"service": "HT", "priority": "elderly"}, headers=kiosk
    )
    assert second.status_code == 201
    assert second.get_json()["priority"] == "elderly"

    waiting = client.get("/api/v1/counters/2/waiting", headers=officer).get_json()
    order = [t["number"] for t in waiting["tickets"]]
    assert sorted(order) == ["B001", "B002"]

    called = client.post("/api/v1/counters/2/next", headers=officer)
    assert called.status_code == 200
    assert called.get_json()["ticket"]["number"] == order[0]  # the policy's order
    assert client.post("/api/v1/counters/2/recall", headers=officer).status_code == 200
    assert (
        client.post("/api/v1/counters/2/serve", headers=officer).get_json()["ticket"]["status"]
        == "serving"
    )
    finished = client.post("/api/v1/counters/2/finish", headers=officer).get_json()
    assert finished["ticket"]["status"] == "done"

    client.post("/api/v1/counters/2/next", headers=officer)
    assert (
        client.post("/api/v1/counters/2/no-show", headers=officer).get_json()["ticket"]["status"]
        == "no_show"
    )
    assert client.post("/api/v1/counters/2/next", headers=officer).status_code == 204

    names = [e.name for e in events]
    assert names.count("ticket_issued") == 2
    assert names.count("ticket_called") == 3  # two calls and a recall
    seqs = [e.seq for e in events]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)

    state = client.get("/api/v1/state", headers=token("display")).get_json()
    assert state["seq"] == events[-1].seq
    assert {s["code"]: s["waiting"] for s in state["services"]}["HT"] == 0
    assert [c["number"] for c in state["recent_calls"]][:3] == [order[1], order[0], order[0]]
    counter2 = next(c for c in state["counters"] if c["number"] == 2)
    assert counter2["current"] is None


def test_call_transfer_cancel_pause(
    client: FlaskClient,
    token: Callable[..., dict[str, str]],
    helpdesk: tuple[FlaskClient, dict[str, str]],
) -> None:
    desk, csrf = helpdesk
    admin = token("admin")
    a = desk.post("/api/v1/tickets", json={"service": "HT"}, headers=csrf).get_json()
    b = desk.post(
        "/api/v1/tickets", json={"service": "CT", "priority": "emergency"}, headers=csrf
    ).get_json()
    assert a["channel"] == "helpdesk" and b["emergency"] is True

    called = client.post("/api/v1/counters/4/call", json={"ticket_id": a["id"]}, headers=admin)
    assert called.get_json()["ticket"]["counter"] == 4
    moved = client.post(
        "/api/v1/counters/4/transfer", json={"service": "CT", "counter": 3}, headers=admin
    )
    assert moved.status_code == 200
    assert moved.get_json()["ticket"]["service"] == "CT"

    cancelled = desk.post(f"/api/v1/tickets/{b['id']}/cancel", headers=csrf)
    assert cancelled.get_json()["ticket"]["status"] == "cancelled"
    again = desk.post(f"/api/v1/tickets/{b['id']}/cancel", headers=csrf)
    assert again.status_code == 409
    assert "error" in again.get_json()

    paused = client.post("/api/v1/counters/3/pause", headers=admin).get_json()
    assert paused["counter"]["status"] == "paused"
    resumed = client.post("/api/v1/counters/3/resume", headers=admin).get_json()
    assert resumed["counter"]["status"] == "open"

    ticket = desk.get(f"/api/v1/tickets/{a['id']}").get_json()
    assert ticket["service"] == "CT"


def test_public_tracking_shows_no_ids(
    client: FlaskClient, token: Callable[..., dict[str, str]], clock: FrozenClock
) -> None:
    kiosk = token("kiosk")
    client.post("/api/v1/tickets", json={"service": "CT"}, headers=kiosk)
    clock.advance(seconds=30)
    mine = client.post("/api/v1/tickets", json={"service": "CT"}, headers=kiosk).get_json()
    tracked = client.get(f"/api/v1/track/{mine['track_code']}")
    assert tracked.status_code == 200
    data: dict[str, Any] = tracked.get_json()
    assert data["number"] == mine["number"]
    assert data["ahead"] == 1
    assert data["status"] == "waiting"
    assert "id" not in data and "track_code" not in data
    assert client.get("/api/v1/track/nonexistent").status_code == 404
    assert client.get("/api/v1/track/bad%00code").status_code == 404


def test_events_are_published_after_commit(
    app: Flask, queue: Queue, token: Callable[..., dict[str, str]]
) -> None:
    """A bus handler that reads the database sees the issued ticket already committed."""
    seen: list[str] = []

    def check(envelope: Envelope) -> None:
        if envelope.name == "ticket_issued":
            seen.append(queue.ticket(envelope.payload["ticket"]["id"]).status)

    app.extensions["xephang"].relay.subscribe(check)
    response = app.test_client().post(
        "/api/v1/tickets", json={"service": "HD"}, headers=token("kiosk")
    )
    assert response.status_code == 201
    assert seen == ["waiting"]


def test_socketio_display_receives_screen_events(
    app: Flask, queue: Queue, token: Callable[..., dict[str, str]]
) -> None:
    socketio = app.extensions["socketio"]
    secret = token("display")["Authorization"].split()[1]
    display = socketio.test_client(app, namespace="/display", auth={"token": secret})
    assert display.is_connected(namespace="/display")
    greeting = display.get_received(namespace="/display")
    assert [r["name"] for r in greeting] == ["snapshot"]
    assert "counters" in greeting[0]["args"][0]
    first_seq = greeting[0]["args"][0]["seq"]
    app.test_client().post("/api/v1/tickets", json={"service": "HT"}, headers=token("kiosk"))
    received = display.get_received(namespace="/display")
    names = [r["name"] for r in received]
    # Screens get what they draw, never ticket_issued (it carries the tracking code).
    assert names == ["queue_changed"]
    # The outbox's seq counts ticket_issued too; prev is the screen event before.
    assert received[0]["args"][0] == {
        "service": "HT",
        "waiting": 1,
        "at": received[0]["args"][0]["at"],
        "seq": first_seq + 2,
        "prev": received[0]["args"][0]["prev"],
    }
    assert received[0]["args"][0]["prev"] <= first_seq
    display.disconnect(namespace="/display")


def test_devices_namespace_gets_every_event(
    app: Flask, token: Callable[..., dict[str, str]]
) -> None:
    socketio = app.extensions["socketio"]
    assert not socketio.test_client(app, namespace="/devices").is_connected(namespace="/devices")
    secret = token("display")["Authorization"].split()[1]
    worker = socketio.test_client(app, namespace="/devices", auth={"token": secret})
    assert worker.is_connected(namespace="/devices")
    assert [r["name"] for r in worker.get_received(namespace="/devices")] == ["snapshot"]
    app.test_client().post("/api/v1/tickets", json={"service": "HT"}, headers=token("kiosk"))
    received = worker.get_received(namespace="/devices")
    issued = next(r for r in received if r["name"] == "ticket_issued")
    assert issued["args"][0]["ticket"]["number"] == "B001"
    assert issued["args"][0]["seq"] >= 1
    worker.disconnect(namespace="/devices")


def test_a_command_names_the_seq_of_its_last_event(
    client: FlaskClient, token: Callable[..., dict[str, str]], events: list[Envelope]
) -> None:
    """A console ignores older events that arrive after the answer (officer.js)."""
    kiosk = token("kiosk")
    officer = token("officer", counter=2)
    client.post("/api/v1/tickets", json={"service": "HT"}, headers=kiosk)
    called = client.post("/api/v1/counters/2/next", headers=officer)
    assert called.status_code == 200
    assert int(called.headers["X-Xephang-Seq"]) == max(e.seq for e in events)
    waiting = client.get("/api/v1/counters/2/waiting", headers=officer)
    assert "X-Xephang-Seq" not in waiting.headers  # a read changes nothing
