"""A tracking code is a bearer secret and a phone number is personal data (issue 12).

Every role (API tokens and signed-in users) joins every Socket.IO namespace it may and
reads every state it may over HTTP while a realistic day goes by: issue (a kiosk, and
the help desk with a callback number), appointments booked and checked in, call, recall,
transfer, finish, a home visit booked by phone (registered, scheduled, done), feedback,
ratings, a result slip given, postponed and collected, calls for assistance, a settings
change and a reprint. No payload of any of them may carry a tracking code, a result
slip's or appointment's code, a phone number or a visit's address, by key or by value
(the visits are read without ``contacts=1``). The tracking code reaches only the answer
to the issuing request and the device worker that prints it as a QR code; an
appointment code only the answer to the booking, and the device worker that prints the
slip of one booked at a kiosk.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_socketio import SocketIO
from flask_socketio.test_client import SocketIOTestClient

from queue_server.auth.tokens import create_token
from queue_server.core.operations import Queue
from queue_server.relay import Relay

from .conftest import Headers, TokenMaker, sign_in

PHONE = "0912 345 678"
PHONE_DIGITS = "912345678"  # in any form it may be stored or shown (+84…, 0…)
VISIT_PHONE = "0987 654 321"  # a home visit's phone number and address (issue 16)
VISIT_PHONE_DIGITS = "987654321"
ADDRESS = "Số 7 ngõ Hòe Nhai"
FEEDBACK = "Cán bộ quầy 2 hướng dẫn chưa rõ"  # a citizen's words: never broadcast
SECRET_KEYS = frozenset(
    {
        "track_code",
        "tracking_code",
        "track_url",
        "phone",
        "contact",
        "address",
        "hamlet",
        "result_code",
        "print_url",
        "appointment_code",
    }
)
NAMESPACES = ("/display", "/officer", "/devices", "/rate", "/assistance")
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
    visit_ids: list[int] = field(default_factory=list)

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
            "/api/v1/visits",
            "/api/v1/visits?day=today&mine=1",
            *(f"/api/v1/visits/{visit_id}" for visit_id in self.visit_ids),
            "/api/v1/assistance-calls",
            "/api/v1/assistance-calls?status=closed",
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
    # Booked at the kiosk for another day: its printer prints the slip (issue 16), so
    # the device worker alone gets that code too.
    secret, _info = create_token(queue.db, "kiosk", name="kiosk-1", clock=queue.clock)
    kiosk_1 = {"Authorization": f"Bearer {secret}"}
    at_kiosk = citizen.post(
        "/api/v1/appointments",
        json={"service": "HT", "start": "2026-11-24T08:00:00+07:00"},
        headers=kiosk_1,
    )
    assert at_kiosk.status_code == 201, at_kiosk.get_json()
    kiosk_code = at_kiosk.get_json()["code"]
    assert at_kiosk.get_json()["print"]["job"] == f"slip-{at_kiosk.get_json()['id']}"
    codes.append(kiosk_code)
    arrived = citizen.post(f"/api/v1/appointments/{codes[-2]}/check-in", headers=kiosk)
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

    # A home visit booked by phone: registered, scheduled, done (help desk and officer).
    visit = helpdesk.post(
        "/api/v1/visits",
        json={"phone": VISIT_PHONE, "consent": True, "service": "HT", "address": ADDRESS,
              "hamlet": "Tổ 9"},
        headers=helpdesk_csrf,
    )  # fmt: skip
    assert visit.status_code == 201, visit.get_json()
    visit_id = visit.get_json()["id"]
    staff = helpdesk.get("/api/v1/visits/staff").get_json()["staff"]
    me = officer.get("/api/v1/session").get_json()["name"]
    plan = {"day": "2026-11-23", "window_start": "14:00", "window_end": "15:00",
            "officers": [next(s["id"] for s in staff if s["name"] == me)]}  # fmt: skip
    path = f"/api/v1/visits/{visit_id}"
    scheduled = helpdesk.post(f"{path}/schedule", json=plan, headers=helpdesk_csrf)
    assert scheduled.status_code == 200, scheduled.get_json()
    answers.append(("POST schedule", scheduled.get_json()))
    for viewer in viewers:
        viewer.visit_ids.append(visit_id)
    act(f"{path}/outcome", {"outcome": "done_advice"})

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

    # Feedback with a phone number: at the help desk and from the tracking page; answered.
    said = {"kind": "complaint", "text": FEEDBACK, "phone": PHONE, "consent": True}
    recorded = helpdesk.post("/api/v1/feedback", json=said, headers=helpdesk_csrf)
    assert recorded.status_code == 201 and "phone" not in recorded.get_json()
    sent = citizen.post(f"/api/v1/track/{other['track_code']}/feedback", json=said)
    assert sent.status_code == 201, sent.get_json()
    assert "phone" not in sent.get_json() and "text" not in sent.get_json()
    done = citizen.post(
        f"/api/v1/feedback/{sent.get_json()['id']}/answer",
        json={"text": "Đã trả lời"},
        headers=token("admin"),
    )
    assert done.status_code == 200, done.get_json()
    # A result slip for the last ticket finished (ready today), postponed by the help desk
    # and collected at the kiosk: its code is a secret like a tracking code. The answers
    # to these requests are for the code's holder, so they are not checked.
    slip = officer.post(
        f"/api/v1/tickets/{pending['ticket_id']}/result-slip",
        json={"ready_on": "2026-11-23"},
        headers=officer_csrf,
    )
    assert slip.status_code == 201, slip.get_json()
    slip_code = slip.get_json()["result_code"]
    moved = helpdesk.post(
        f"/api/v1/result-slips/{slip_code}/postpone",
        json={"ready_on": "2026-11-24", "reason": "overload"},
        headers=helpdesk_csrf,
    )
    assert moved.status_code == 200, moved.get_json()
    queue.clock.set(queue.clock.now() + timedelta(days=1))  # type: ignore[attr-defined]
    collected = citizen.post(f"/api/v1/result-slips/{slip_code}/ticket", headers=kiosk)
    assert collected.status_code == 201, collected.get_json()
    tickets[collected.get_json()["id"]] = collected.get_json()
    codes.append(collected.get_json()["track_code"])
    ticket_codes.append(codes[-1])
    # Calls for assistance: the kiosk's button, an officer's upset citizen (the manager's),
    # a volunteer takes the first and closes it with the help given.
    volunteer, volunteer_csrf = sign_in(app, "volunteer")
    kiosk_call = citizen.post("/api/v1/assistance-calls", json={}, headers=kiosk)
    assert kiosk_call.status_code == 201, kiosk_call.get_json()
    upset = officer.post("/api/v1/assistance-calls", json={"reason": "upset"}, headers=officer_csrf)
    assert upset.status_code == 201, upset.get_json()
    call_url = f"/api/v1/assistance-calls/{kiosk_call.get_json()['id']}"
    for step in ("accept", "close"):
        done = volunteer.post(f"{call_url}/{step}", json={}, headers=volunteer_csrf)
        assert done.status_code == 200, done.get_json()
        answers.append((f"POST {call_url}/{step}", done.get_json()))
    answers += [("POST raise", kiosk_call.get_json()), ("POST raise", upset.get_json())]
    read_all()

    # A settings change, and a reprint of the first ticket on the kiosk's printer.
    notice = citizen.put(
        "/api/v1/admin/settings/center.notice", json={"value": "Xin chào"}, headers=token("admin")
    )
    assert notice.status_code == 200, notice.get_json()
    answers.append(("PUT /api/v1/admin/settings/center.notice", notice.get_json()))
    bus.publish(queue.reprint(first["id"], "kiosk-1").envelopes)
    read_all()

    secrets = [*codes, PHONE_DIGITS, VISIT_PHONE_DIGITS, ADDRESS, "Tổ 9", FEEDBACK]
    secrets += [slip_code, slip_code.replace("-", "")]
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

    # The feedback events were broadcast (so the check above covered them).
    assert "feedback_changed" in json.dumps(received["helpdesk user"], ensure_ascii=False)
    # Every role saw the live events, not only a first snapshot.
    for label in ("display token", "kiosk token", "manager user"):
        assert {"/display snapshot", "/display batch"} <= checked[label], checked[label]
    for label in ("officer user", "helpdesk user", "admin user"):
        assert {"/officer batch", "/officer print_requested"} <= checked[label], checked[label]
        assert {"/officer visit_requested", "/officer visit_closed"} <= checked[label]
    for label in ("helpdesk user", "manager user", "officer user"):
        assert "GET /api/v1/visits" in checked[label], checked[label]
    for label in ("display token", "admin token"):
        assert {"/devices ticket_issued", "/devices print_requested"} <= checked[label]
        assert "/devices slip_print_requested" in checked[label]
    for label in ("helpdesk user", "volunteer user", "officer user", "admin user"):
        assert {
            "/assistance snapshot",
            "/assistance assistance_requested",
            "/assistance assistance_accepted",
            "/assistance assistance_closed",
        } <= checked[label], checked[label]
    assert "/assistance assistance_requested" in checked["manager user"]  # the upset citizen
    assert "/assistance assistance_closed" not in checked["manager user"]  # not the kiosk's
    # Calls for assistance are for staff: never on the hall display or the kiosks.
    for label, frames in received.items():
        for where, payload in frames:
            if where.startswith("/display"):
                assert "assistance" not in json.dumps(payload), (label, where)
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
    slips = [
        args[0]
        for where, args in received["device token"]
        if where == "/devices slip_print_requested"
    ]
    assert [slip["appointment_code"] for slip in slips] == [kiosk_code]
    assert all(kiosk_code not in json.dumps(slip) for _w, slip in received["display token"])
    # Nobody, the device worker included, gets a slip's code; staff saw the slip events.
    everything = json.dumps(received, ensure_ascii=False, default=str)
    assert slip_code not in everything and slip_code.replace("-", "") not in everything
    officer_frames = json.dumps(received["officer user"], ensure_ascii=False, default=str)
    for name in ("result_slip_issued", "result_slip_postponed", "result_slip_collected"):
        assert name in officer_frames, name
