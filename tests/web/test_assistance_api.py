"""Calls for assistance over HTTP and on /assistance: raise from a kiosk or a counter,
one person takes a call, the same person closes it (a help record), the raiser cancels;
roles enforced, bad input refused with a clear 4xx that changes nothing, and the live
events reach the helpers (managers: only upset citizens), never the hall display."""

from __future__ import annotations

import wave
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from flask_socketio import SocketIO
from sqlalchemy import func, select, update

from queue_server.auth.tokens import create_token
from queue_server.core.assistance_table import AssistanceCall
from queue_server.core.models import Assist, User
from queue_server.core.operations import Queue
from tests.web.conftest import Headers, make_token_maker, sign_in
from xephang.devices.audio.chime import synth_chime
from xephang.devices.audio.wavio import write_wav

PATH = "/api/v1/assistance-calls"
REPO = Path(__file__).resolve().parents[2]


def named(app: Flask, client: FlaskClient, full_name: str) -> None:
    """Give the signed-in user of ``client`` a full name."""
    queue: Queue = app.extensions["xephang"].queue
    username = client.get("/api/v1/session").get_json()["name"]
    with queue.db.write() as conn:
        conn.execute(update(User).where(User.username == username).values(display_name=full_name))


def rows(app: Flask) -> tuple[int, int, list[str]]:
    queue: Queue = app.extensions["xephang"].queue
    with queue.db.read() as conn:
        calls = int(conn.execute(select(func.count()).select_from(AssistanceCall)).scalar_one())
        assists = int(conn.execute(select(func.count()).select_from(Assist)).scalar_one())
        states = list(
            conn.execute(select(AssistanceCall.status).order_by(AssistanceCall.id)).scalars()
        )
    return calls, assists, states


def frames(client: Any, namespace: str) -> list[tuple[str, Any]]:
    found = []
    for packet in client.get_received(namespace):
        if packet["name"] == "batch":
            found += [(name, payload) for name, payload in packet["args"][0]]
        else:
            found.append((packet["name"], packet["args"][0]))
    return found


def test_a_kiosk_call_taken_once_closed_by_its_taker_seen_live(sqlite_app: Flask) -> None:
    app = sqlite_app
    queue: Queue = app.extensions["xephang"].queue
    socketio: SocketIO = app.extensions["socketio"]
    volunteer, v_csrf = sign_in(app, "volunteer")
    named(app, volunteer, "Nguyễn Thị Lan")
    desk, d_csrf = sign_in(app, "helpdesk")
    manager, _m_csrf = sign_in(app, "manager")
    live = socketio.test_client(app, namespace="/assistance", flask_test_client=desk)
    boss = socketio.test_client(app, namespace="/assistance", flask_test_client=manager)
    display = make_token_maker(queue)("display")
    hall = socketio.test_client(app, namespace="/display", auth={"token": token_secret(display)})
    assert live.is_connected("/assistance") and boss.is_connected("/assistance")
    assert [name for name, _ in frames(live, "/assistance")] == ["snapshot"]

    secret, _info = create_token(queue.db, "kiosk", name="kiosk-sanh", clock=queue.clock)
    kiosk = {"Authorization": f"Bearer {secret}"}
    client = app.test_client()
    raised = client.post(PATH, json={}, headers=kiosk)
    assert raised.status_code == 201, raised.get_json()
    call = raised.get_json()
    assert (call["origin"], call["kiosk"], call["reason"], call["status"]) == (
        "kiosk",
        "kiosk-sanh",
        "general",
        "open",
    )
    again = client.post(PATH, json={}, headers=kiosk)
    assert again.status_code == 200 and again.get_json()["id"] == call["id"]
    assert not again.get_json()["created"]
    listed = desk.get(PATH).get_json()["calls"]
    assert [c["id"] for c in listed] == [call["id"]]

    url = f"{PATH}/{call['id']}"
    taken = volunteer.post(f"{url}/accept", headers=v_csrf)
    assert taken.status_code == 200, taken.get_json()
    assert taken.get_json()["taken_by"] == {"role": "volunteer", "name": "Lan"}
    second = desk.post(f"{url}/accept", headers=d_csrf)
    assert second.status_code == 409 and "Lan" in second.get_json()["error"]
    assert desk.post(f"{url}/close", json={}, headers=d_csrf).status_code == 403
    closed = volunteer.post(f"{url}/close", json={"kind": "forms"}, headers=v_csrf)
    assert closed.status_code == 200, closed.get_json()
    assert closed.get_json()["help_kind"] == "forms" and closed.get_json()["assist_id"]
    assert rows(app) == (1, 1, ["closed"])
    assert desk.get(PATH).get_json()["calls"] == []
    assert [c["id"] for c in desk.get(f"{PATH}?status=closed").get_json()["calls"]] == [call["id"]]

    seen = frames(live, "/assistance")
    assert [name for name, _ in seen] == [
        "assistance_requested",
        "assistance_accepted",
        "assistance_closed",
    ]
    seqs = [payload["seq"] for _, payload in seen]
    assert [payload["prev"] for _, payload in seen][1:] == seqs[:-1]
    assert seen[1][1]["call"]["taken_by"]["name"] == "Lan"
    # Not an upset citizen: not the manager's.
    assert [name for name, _ in frames(boss, "/assistance")] == ["snapshot"]
    assert not any(name.startswith("assistance") for name, _ in frames(hall, "/display"))
    assert manager.get(PATH).get_json()["calls"] == []


def token_secret(headers: Headers) -> str:
    return headers["Authorization"].split()[1]


def test_an_officer_asks_for_a_reason_and_cancels_the_manager_sees_the_upset_citizen(
    sqlite_app: Flask,
) -> None:
    app = sqlite_app
    socketio: SocketIO = app.extensions["socketio"]
    officer, o_csrf = sign_in(app, "officer", counter=2)
    manager, _m_csrf = sign_in(app, "manager")
    boss = socketio.test_client(app, namespace="/assistance", flask_test_client=manager)
    boss.get_received("/assistance")
    upset = officer.post(PATH, json={"reason": "upset"}, headers=o_csrf)
    assert upset.status_code == 201, upset.get_json()
    assert (upset.get_json()["counter"], upset.get_json()["manager"]) == (2, True)
    forms = officer.post(PATH, json={"reason": "forms"}, headers=o_csrf).get_json()
    assert [c["reason"] for c in manager.get(PATH).get_json()["calls"]] == ["upset"]
    seen = frames(boss, "/assistance")
    assert [(n, p["call"]["reason"]) for n, p in seen] == [("assistance_requested", "upset")]
    # Only the raiser cancels; the call is then over for everyone.
    other, other_csrf = sign_in(app, "officer", counter=3)
    assert other.post(f"{PATH}/{forms['id']}/cancel", headers=other_csrf).status_code == 403
    cancelled = officer.post(f"{PATH}/{forms['id']}/cancel", headers=o_csrf)
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    assert officer.post(f"{PATH}/{forms['id']}/cancel", headers=o_csrf).status_code == 409
    assert rows(app)[2] == ["open", "cancelled"]


def test_roles_and_bad_input_change_nothing(sqlite_app: Flask) -> None:
    app = sqlite_app
    token = make_token_maker(app.extensions["xephang"].queue)
    client = app.test_client()
    kiosk = token("kiosk")
    officer, o_csrf = sign_in(app, "officer", counter=1)
    volunteer, v_csrf = sign_in(app, "volunteer")
    call = client.post(PATH, json={}, headers=kiosk).get_json()
    url = f"{PATH}/{call['id']}"
    before = rows(app)

    for role in ("display", "rating", "device"):
        headers = token(role, counter=1 if role == "rating" else None)
        assert client.post(PATH, json={}, headers=headers).status_code == 403
        assert client.get(PATH, headers=headers).status_code == 403
    assert client.post(PATH, json={}).status_code == 401
    assert client.get(PATH, headers=kiosk).status_code == 403
    assert volunteer.post(PATH, json={"reason": "forms"}, headers=v_csrf).status_code == 403
    assert client.post(f"{url}/accept", headers=kiosk).status_code == 403
    assert client.post(f"{url}/close", headers=kiosk).status_code == 403
    assert volunteer.post(f"{url}/cancel", headers=v_csrf).status_code == 403

    bad: list[tuple[FlaskClient, str, dict[str, Any], Headers, int]] = [
        (officer, PATH, {"reason": "nap"}, o_csrf, 404),
        (officer, PATH, {}, o_csrf, 422),
        (officer, PATH, {"reason": "forms", "counter": 3}, o_csrf, 403),
        (officer, PATH, {"reason": "forms", "name": "Nguyễn Văn A"}, o_csrf, 400),
        (client, PATH, {"reason": 5}, kiosk, 400),
        (volunteer, f"{url}/close", {}, v_csrf, 409),  # not taken yet
        (volunteer, f"{PATH}/999/accept", {}, v_csrf, 404),
        (volunteer, f"{url}/accept", {"x": 1}, v_csrf, 400),
    ]
    for who, path, body, headers, status in bad:
        answer = who.post(path, json=body, headers=headers)
        assert answer.status_code == status, (path, body, answer.get_json())
        assert answer.get_json()["error"], (path, body)
    assert volunteer.get(f"{PATH}?status=lost").status_code == 400
    assert rows(app) == before

    volunteer.post(f"{url}/accept", headers=v_csrf)
    taken = rows(app)
    refused = volunteer.post(f"{url}/close", json={"kind": "nap"}, headers=v_csrf)
    assert refused.status_code == 404 and rows(app) == taken


def test_the_sounds_are_vendored_and_served(sqlite_app: Flask, tmp_path: Path) -> None:
    """The alert chime is xephang's own synthesised chime (scripts/make_sounds.py), and the
    kiosk's spoken phrases are WAV files, all served from the package."""
    vendored = REPO / "display" / "static" / "sounds"
    with wave.open(str(vendored / "alert.wav")) as vendored_wav:
        rate = vendored_wav.getframerate()
    write_wav(tmp_path / "alert.wav", synth_chime(rate))
    assert (vendored / "alert.wav").read_bytes() == (tmp_path / "alert.wav").read_bytes()
    client = sqlite_app.test_client()
    for name in ("alert.wav", "help-coming-vi.wav", "help-coming-en.wav"):
        answer = client.get(f"/screens/static/sounds/{name}")
        assert answer.status_code == 200 and answer.data[:4] == b"RIFF", name
        answer.close()
