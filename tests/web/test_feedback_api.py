"""Feedback over HTTP (SQLite): the help desk records, the citizen sends from the
tracking page and with a "not satisfied" rating, the manager forwards and answers;
roles, rate limits and bad input refused with a clear 4xx that changes nothing."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from queue_server.auth.users import add_user
from queue_server.core.envelope import Envelope
from queue_server.core.operations import Queue
from queue_server.relay import Relay
from queue_server.runtime import start_app
from queue_server.settings import Settings
from tests.web.conftest import make_token_maker, sign_in

PATH = "/api/v1/feedback"
TEXT = "Quầy Hộ tịch đông, chờ hơn một tiếng mới đến lượt."


def served(client: FlaskClient, token: Any) -> dict[str, Any]:
    """A ticket issued, called at counter 2 and finished."""
    officer = token("officer", counter=2)
    ticket = client.post("/api/v1/tickets", json={"service": "HT"}, headers=token("kiosk"))
    assert client.post("/api/v1/counters/2/next", headers=officer).status_code == 200
    assert client.post("/api/v1/counters/2/finish", headers=officer).status_code == 200
    return dict(ticket.get_json())


def records(client: FlaskClient, query: str = "") -> list[dict[str, Any]]:
    answer = client.get(f"{PATH}{query}")
    assert answer.status_code == 200, answer.get_json()
    return list(answer.get_json()["records"])


def app_with_bus(settings: Settings, queue: Queue) -> tuple[Flask, list[Envelope]]:
    bus = Relay()
    seen: list[Envelope] = []
    bus.subscribe(seen.append)
    return start_app(settings, queue=queue, relay=bus, testing=True), seen


def test_desk_records_manager_forwards_and_answers(settings: Settings, sqlite_queue: Queue) -> None:
    app, events = app_with_bus(settings, sqlite_queue)
    desk, desk_csrf = sign_in(app, "helpdesk")
    body = {"kind": "complaint", "text": TEXT, "service": "HT", "counter": 2}
    once = {**desk_csrf, "Idempotency-Key": "fb-1"}  # the answer is read in its transaction
    made = desk.post(PATH, json={**body, "phone": "0912 345 678", "consent": True}, headers=once)
    assert made.status_code == 201, made.get_json()
    record = made.get_json()
    assert (record["status"], record["channel"], record["counter"], record["has_phone"]) == (
        "received",
        "helpdesk",
        2,
        True,
    )
    assert "phone" not in record and "phone" not in records(desk)[0]
    assert [e.payload for e in events] == [
        {"feedback_id": record["id"], "kind": "complaint", "channel": "helpdesk",
         "status": "received", "at": record["at"]}
    ]  # fmt: skip

    manager, csrf = sign_in(app, "manager")
    assert records(manager)[0]["phone"] == "0912345678"
    officer_id = add_user(
        sqlite_queue.db, "ca-bo-a", "officer", "mật khẩu dài", display_name="Chị Lan"
    )
    forwarded = manager.post(
        f"{PATH}/{record['id']}/forward", json={"user_id": officer_id}, headers=csrf
    )
    assert forwarded.status_code == 200, forwarded.get_json()
    assert forwarded.get_json()["status"] == "forwarded"
    assert forwarded.get_json()["forwarded_to"] == "Chị Lan"
    answer = {"text": "Trung tâm đã bố trí thêm một công chức vào giờ cao điểm."}
    answered = manager.post(f"{PATH}/{record['id']}/answer", json=answer, headers=csrf)
    assert answered.get_json()["answer"] == answer["text"]
    assert answered.get_json()["answered_by"].startswith("user:manager-")
    again = manager.post(f"{PATH}/{record['id']}/answer", json={"text": "Lần hai"}, headers=csrf)
    assert again.status_code == 409 and "error" in again.get_json()
    assert records(manager, "?status=answered")[0]["answer"] == answer["text"]
    assert all(TEXT not in str(e.payload) and "0912" not in str(e.payload) for e in events)
    assert [e.payload["status"] for e in events] == ["received", "forwarded", "answered"]


def test_roles(settings: Settings, sqlite_app: Flask) -> None:
    queue = sqlite_app.extensions["xephang"].queue
    token = make_token_maker(queue)
    client = sqlite_app.test_client()
    body = {"kind": "feedback", "text": TEXT}
    assert client.post(PATH, json=body).status_code == 401
    assert client.get(PATH).status_code == 401
    for role in ("kiosk", "display", "rating", "officer"):
        headers = token(role, counter=1 if role in ("rating", "officer") else None)
        assert client.post(PATH, json=body, headers=headers).status_code == 403
    for role in ("volunteer", "manager"):
        other, csrf = sign_in(sqlite_app, role)
        assert other.post(PATH, json=body, headers=csrf).status_code == 403
    desk, csrf = sign_in(sqlite_app, "helpdesk")
    new_id = desk.post(PATH, json=body, headers=csrf).get_json()["id"]
    for action, payload in (("forward", {"unit": "UBND xã"}), ("answer", {"text": "Đã trả lời"})):
        assert desk.post(f"{PATH}/{new_id}/{action}", json=payload, headers=csrf).status_code == 403
    admin = token("admin")
    done = client.post(f"{PATH}/{new_id}/answer", json={"text": "Đã trả lời"}, headers=admin)
    assert done.status_code == 200
    kinds = desk.get(f"{PATH}/kinds").get_json()["kinds"]
    assert [k["code"] for k in kinds] == ["feedback", "complaint", "suggestion"]


def test_bad_input_changes_nothing(settings: Settings, sqlite_app: Flask) -> None:
    desk, csrf = sign_in(sqlite_app, "helpdesk")
    manager, manager_csrf = sign_in(sqlite_app, "manager")
    refused = [
        ({"kind": "feedback", "text": "   "}, 422, "trống"),
        ({"kind": "feedback", "text": "x" * 1001}, 422, "1000"),
        ({"kind": "feedback", "text": "a\u0000b"}, 400, "text"),
        ({"kind": "feedback", "text": TEXT, "phone": "0912345678"}, 422, "consent"),
        ({"kind": "praise", "text": TEXT}, 404, "praise"),
        ({"kind": "feedback", "text": TEXT, "service": "XX"}, 404, "XX"),
        ({"kind": "feedback"}, 400, "text"),
    ]
    for body, status, words in refused:
        answer = desk.post(PATH, json=body, headers=csrf)
        assert answer.status_code == status, (body, answer.get_json())
        assert words in answer.get_json()["error"], answer.get_json()
    assert records(manager) == []
    for path, body in (
        (f"{PATH}/77/answer", {"text": "Trả lời"}),
        (f"{PATH}/77/forward", {"unit": "UBND"}),
        (f"{PATH}/99999999999/answer", {"text": "Trả lời"}),
    ):
        assert manager.post(path, json=body, headers=manager_csrf).status_code == 404
    new_id = desk.post(PATH, json={"text": TEXT}, headers=csrf).get_json()["id"]
    forwards: list[dict[str, object]] = [{}, {"unit": "UBND", "user_id": 1}, {"user_id": 9999}]
    for target in forwards:
        answer = manager.post(f"{PATH}/{new_id}/forward", json=target, headers=manager_csrf)
        assert answer.status_code in (404, 422) and "error" in answer.get_json()
    empty = manager.post(f"{PATH}/{new_id}/answer", json={"text": ""}, headers=manager_csrf)
    assert empty.status_code == 422
    assert records(manager)[0]["status"] == "received"
    for query in ("?from=2026-13-01", "?overdue=maybe"):
        assert manager.get(PATH + query).status_code == 400
    for query in ("?status=lost", "?from=2026-11-24&to=2026-11-01"):
        assert manager.get(PATH + query).status_code == 422


def test_tracking_page_and_not_satisfied_rating(settings: Settings, sqlite_queue: Queue) -> None:
    limited = settings.model_copy(
        update={
            "feedback": settings.feedback.model_copy(update={"per_ticket": 2}),
            "ratings": settings.ratings.model_copy(update={"track_rate_per_minute": 5}),
        }
    )
    app, events = app_with_bus(limited, sqlite_queue)
    client = app.test_client()
    ticket = served(client, make_token_maker(sqlite_queue))
    path = f"/api/v1/track/{ticket['track_code']}/feedback"
    sent = client.post(path, json={"kind": "suggestion", "text": "Nên có thêm ghế chờ."})
    assert sent.status_code == 201, sent.get_json()
    assert set(sent.get_json()) == {"id", "status", "due_day"}
    assert client.post(path, json={"text": "Cảm ơn cán bộ."}).status_code == 201
    third = client.post(path, json={"text": "Lần ba"})
    assert third.status_code == 429 and "2" in third.get_json()["error"]
    desk, csrf = sign_in(app, "helpdesk")
    assert desk.post(path, json={"text": TEXT}, headers=csrf).status_code == 403
    assert client.post(path, data="text=x").status_code == 415
    rate = f"/api/v1/track/{ticket['track_code']}/rating"
    rated = client.post(rate, json={"score": 1, "comment": "Hướng dẫn chưa rõ ràng."})
    assert rated.status_code == 201, rated.get_json()
    manager, _csrf = sign_in(app, "manager")
    channels = {r["channel"]: r for r in records(manager)}
    assert channels["rating"]["text"] == "Hướng dẫn chưa rõ ràng."
    assert channels["rating"]["rating_id"] is not None and channels["track"]["counter"] == 2
    # Per address: 5 a minute, spent by 3 feedback posts and 2 more here.
    answers = [client.post("/api/v1/track/unknown/feedback", json={"text": "x"}) for _ in range(3)]
    assert [a.status_code for a in answers] == [404, 404, 429]
    assert int(answers[2].headers["Retry-After"]) >= 1
    assert all("Nên có" not in str(e.payload) for e in events)
