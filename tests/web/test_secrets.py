"""A tracking code is a bearer secret and a phone number is personal data (issue 12).

Every role (API tokens and signed-in users) joins every Socket.IO namespace it may and
reads every state it may over HTTP while a realistic day goes by: issue (a kiosk, and
the help desk with a callback number), appointments booked and checked in, call, recall,
transfer, finish, ratings, a settings change and a reprint. No payload of any of them
may carry a tracking code, an appointment code or a phone number, by key or by value.
The tracking code reaches only the answer to the issuing request and the device worker
that prints it as a QR code; an appointment code only the answer to the booking.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_socketio import SocketIO
from flask_socketio.test_client import SocketIOTestClient

from queue_server.core.operations import Queue
from queue_server.relay import Relay

from .conftest import Headers, TokenMaker, sign_in

PHONE = "0912 345 678"
PHONE_DIGITS = "912345678"  # in any form it may be stored or shown (+84…, 0…)
SECRET_KEYS = frozenset({"track_code", "tracking_code", "track_url", "phone", "contact"})
NAMESPACES = ("/display", "/officer", "/devices", "/rate")
TOKEN_ROLES = {
    "kiosk": None,
    "officer": 2,
    "display": None,
    "rating": 2,
    "device": None,
    "admin": None,
}
USER_ROLES = {"officer": 2, "helpdesk": None, "manager": None, "volunteer": None, "admin": None}


def leaks(value: Any, secrets: list[str], path: str = "$") -> list[str]:
    """Where ``value`` carries a secret key or a secret string, recursively."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key in SECRET_KEYS:
                found.append(f"{path}.{key}")
            found += leaks(item, secrets, f"{path}.{key}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found += leaks(item, secrets, f"{path}[{index}]")
    elif isinstance(value, str):
        found += [f"{path} = …{secret}…" for secret in secrets if secret in value]
    return found


@dataclass
class Viewer:
    """One credential: what it reads over HTTP and the namespaces it joined."""

    label: str
    http: FlaskClient
    headers: Headers
    auth: dict[str, str] | None
    sockets: dict[str, SocketIOTestClient] = field(default_factory=dict)
    payloads: list[tuple[str, Any]] = field(default_factory=list)

    def join(self, app: Flask, socketio: SocketIO) -> None:
        for namespace in NAMESPACES:
            client = socketio.test_client(
                app,
                namespace=namespace,
                auth=self.auth,
                flask_test_client=self.http if self.auth is None else None,
            )
            if client.is_connected(namespace):
                self.sockets[namespace] = client

    def read(self, ticket_ids: list[int], numbers: list[str]) -> None:
        """Every state this credential may read now (403/401 answers carry nothing)."""
        paths = [
            "/api/v1/state",
            "/api/v1/counters",
            "/api/v1/counters/2/waiting",
            "/api/v1/counters/2/rating",
            "/api/v1/session",
            "/officer/summary",
            *(f"/api/v1/tickets/{ticket_id}" for ticket_id in ticket_ids),
            *(f"/api/v1/tickets/by-number/{number}" for number in numbers),
        ]
        for path in paths:
            response = self.http.get(path, headers=self.headers)
            if response.status_code == 200 and response.is_json:
                self.payloads.append((f"GET {path}", response.get_json()))

    def received(self) -> list[tuple[str, Any]]:
        """Every frame of every namespace (snapshots, events, batches) plus HTTP reads."""
        frames = list(self.payloads)
        for namespace, client in self.sockets.items():
            for packet in client.get_received(namespace):
                frames.append((f"{namespace} {packet['name']}", packet["args"]))
        return frames


@pytest.fixture
def viewers(app: Flask, token: TokenMaker) -> list[Viewer]:
    socketio: SocketIO = app.extensions["socketio"]
    found = []
    for role, counter in TOKEN_ROLES.items():
        headers = token(role, counter)
        secret = headers["Authorization"].split()[1]
        found.append(Viewer(f"{role} token", app.test_client(), headers, {"token": secret}))
    for role, counter in USER_ROLES.items():
        client, csrf = sign_in(app, role, counter=counter)
        found.append(Viewer(f"{role} user", client, csrf, None))
    for viewer in found:
        viewer.join(app, socketio)
    return found


def test_no_role_receives_a_tracking_code_or_a_phone_number(
    app: Flask, queue: Queue, bus: Relay, token: TokenMaker, viewers: list[Viewer]
) -> None:
    joined = {(v.label, ns) for v in viewers for ns in v.sockets}
    # The check is worth something only if every namespace had listeners.
    assert {
        ("display token", "/display"),
        ("kiosk token", "/display"),
        ("display token", "/devices"),
        ("admin token", "/devices"),
        ("device token", "/devices"),
        ("rating token", "/rate"),
        ("officer user", "/officer"),
        ("helpdesk user", "/officer"),
        ("manager user", "/display"),
        ("admin user", "/officer"),
    } <= joined
    citizen = app.test_client()
    kiosk = token("kiosk")
    # Counter 2's console is open (a viewer above): this officer takes it over.
    officer, officer_csrf = sign_in(app, "officer", counter=2, take_over=True)
    helpdesk, helpdesk_csrf = sign_in(app, "helpdesk")
    tickets: dict[int, dict[str, Any]] = {}
    answers: list[tuple[str, Any]] = []  # what the staff's own writes answered

    def read_all() -> None:
        numbers = [ticket["number"] for ticket in tickets.values()]
        for viewer in viewers:
            viewer.read(list(tickets), numbers)

    def act(path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = officer.post(path, json=body or {}, headers=officer_csrf)
        assert response.status_code == 200, (path, response.get_json())
        answers.append((f"POST {path}", response.get_json()))
        read_all()
        return response.get_json()

    # Issue: the answer to the issuing request is the citizen's ticket, with its code.
    for client, headers, body in (
        (citizen, kiosk, {"service": "HT"}),
        (helpdesk, helpdesk_csrf, {"service": "HT", "contact": {"phone": PHONE, "consent": True}}),
    ):
        issued = client.post("/api/v1/tickets", json=body, headers=headers)
        assert issued.status_code == 201, issued.get_json()
        ticket = issued.get_json()
        assert len(ticket["track_code"]) >= 12
        tickets[ticket["id"]] = ticket
    codes = [ticket["track_code"] for ticket in tickets.values()]
    # Appointments: booked by the help desk and on the public page, checked in at the
    # kiosk. Their codes are secrets like tracking codes: only the booking's answer has one.
    for client, headers in ((helpdesk, helpdesk_csrf), (citizen, {})):
        booked = client.post(
            "/api/v1/appointments",
            json={"service": "HT", "start": "2026-11-23T10:00:00+07:00"},
            headers=headers,
        )
        assert booked.status_code == 201, booked.get_json()
        codes.append(booked.get_json()["code"])
    arrived = citizen.post(f"/api/v1/appointments/{codes[-1]}/check-in", headers=kiosk)
    assert arrived.status_code == 200, arrived.get_json()
    ticket_codes = [ticket["track_code"] for ticket in tickets.values()]
    ticket_codes.append(queue.ticket(arrived.get_json()["ticket"]["id"]).track_code)
    codes.append(ticket_codes[-1])
    read_all()

    first = act("/api/v1/counters/2/next")["ticket"]
    act("/api/v1/counters/2/recall")
    act("/api/v1/counters/2/transfer", {"service": "CTR"})
    for _turn in tickets:
        act("/api/v1/counters/2/next")
        act("/api/v1/counters/2/finish")

    # Ratings: the tablet rates the last ticket; the citizen rates the first from the phone.
    tablet = token("rating", 2)
    pending = citizen.get("/api/v1/counters/2/rating", headers=tablet).get_json()["pending"]
    rated = citizen.post(
        "/api/v1/counters/2/rating",
        json={"ticket_id": pending["ticket_id"], "score": 3},
        headers=tablet,
    )
    assert rated.status_code == 201, rated.get_json()
    answers.append(("POST /api/v1/counters/2/rating", rated.get_json()))
    other = next(t for t in tickets.values() if t["id"] != pending["ticket_id"])
    by_phone = citizen.post(f"/api/v1/track/{other['track_code']}/rating", json={"score": 2})
    assert by_phone.status_code == 201, by_phone.get_json()

    # A settings change, and a reprint of the first ticket on the kiosk's printer.
    notice = citizen.put(
        "/api/v1/admin/settings/center.notice", json={"value": "Xin chào"}, headers=token("admin")
    )
    assert notice.status_code == 200, notice.get_json()
    answers.append(("PUT /api/v1/admin/settings/center.notice", notice.get_json()))
    bus.publish(queue.reprint(first["id"], "kiosk-1").envelopes)
    read_all()

    secrets = [*codes, PHONE_DIGITS]
    received = {viewer.label: viewer.received() for viewer in viewers}
    received["staff writes"] = answers
    checked: dict[str, set[str]] = {}
    for label, frames in received.items():
        for where, payload in frames:
            if label == "device token" and where.startswith("/devices"):
                continue  # the printer's worker: checked below
            name = where.split()[-1]
            checked.setdefault(label, set()).add(where.split()[0] + " " + name)
            found = leaks(payload, secrets)
            assert not found, f"{label} got a secret in {where}: {found}"
            text = json.dumps(payload, ensure_ascii=False)
            assert not any(secret in text for secret in secrets), (label, where)

    # Every role saw the live events, not only a first snapshot.
    for label in ("display token", "kiosk token", "manager user"):
        assert {"/display snapshot", "/display batch"} <= checked[label], checked[label]
    for label in ("officer user", "helpdesk user", "admin user"):
        assert {"/officer batch", "/officer print_requested"} <= checked[label], checked[label]
    for label in ("display token", "admin token"):
        assert {"/devices ticket_issued", "/devices print_requested"} <= checked[label]
    assert "/rate ask" in checked["rating token"] and "/rate rated" in checked["rating token"]
    assert "GET /api/v1/state" in checked["device token"]
    assert "GET /api/v1/counters/2/waiting" in checked["officer token"]

    # The device worker alone gets the codes, to print them as QR codes.
    printed = {
        args[0]["ticket"]["track_code"]
        for where, args in received["device token"]
        if where in ("/devices ticket_issued", "/devices print_requested")
    }
    assert printed == set(ticket_codes)
