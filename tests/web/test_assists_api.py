"""Help records over HTTP: who may record and read them, once per ticket and kind, and
bad input refused with a clear 4xx that changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from queue_server.core.envelope import Envelope
from tests.web.conftest import TokenMaker, make_token_maker, sign_in

PATH = "/api/v1/assists"


def test_volunteers_and_officers_record_and_the_help_desk_reads_counts(
    app: Flask, events: list[Envelope], token: TokenMaker
) -> None:
    volunteer, csrf = sign_in(app, "volunteer")
    first = volunteer.post(PATH, json={"kind": "forms", "category": "elderly"}, headers=csrf)
    assert first.status_code == 201, first.get_json()
    body = first.get_json()
    assert (body["kind"], body["category"], body["service"], body["created"]) == (
        "forms",
        "elderly",
        None,
        True,
    )
    assert [e.name for e in events] == ["assist_recorded"]
    assert events[0].payload["kind"] == "forms" and "name" not in events[0].payload

    kiosk = token("kiosk", name="kiosk-1")
    ticket = app.test_client().post(
        "/api/v1/tickets", json={"service": "HT", "priority": "disabled"}, headers=kiosk
    )
    ticket_id = ticket.get_json()["id"]
    officer = token("officer", counter=2)
    client = app.test_client()
    helped = client.post(PATH, json={"kind": "read_write", "ticket_id": ticket_id}, headers=officer)
    assert helped.status_code == 201
    assert (helped.get_json()["category"], helped.get_json()["service"]) == ("disabled", "HT")
    again = client.post(PATH, json={"kind": "read_write", "ticket_id": ticket_id}, headers=officer)
    assert again.status_code == 200
    assert again.get_json() == {**helped.get_json(), "created": False}

    desk, _csrf = sign_in(app, "helpdesk")
    counts = desk.get(PATH).get_json()
    assert counts["total"] == 2 and counts["start"] == counts["end"] == "2026-11-23"
    kinds = {k["code"]: k["count"] for k in counts["kinds"]}
    assert kinds["forms"] == kinds["read_write"] == 1 and kinds["guidance"] == 0
    assert counts["kinds"][0] == {"code": "guidance", "name": "Hướng dẫn thủ tục", "count": 0}
    assert {c["code"]: c["count"] for c in counts["categories"]} == {"elderly": 1, "disabled": 1}
    assert desk.get(f"{PATH}?from=2026-11-24&to=2026-11-30").get_json()["total"] == 0


def test_roles(sqlite_app: Flask) -> None:
    queue = sqlite_app.extensions["xephang"].queue

    token = make_token_maker(queue)
    client = sqlite_app.test_client()
    body = {"kind": "guidance"}
    for role in ("kiosk", "display", "rating"):
        headers = token(role, counter=1 if role == "rating" else None)
        assert client.post(PATH, json=body, headers=headers).status_code == 403
    assert client.post(PATH, json=body).status_code == 401
    assert client.get(PATH).status_code == 401
    manager, csrf = sign_in(sqlite_app, "manager")
    assert manager.post(PATH, json=body, headers=csrf).status_code == 403
    assert manager.get(PATH).status_code == 200
    volunteer, csrf = sign_in(sqlite_app, "volunteer")
    assert volunteer.get(PATH).status_code == 403
    kinds = volunteer.get(f"{PATH}/kinds").get_json()["kinds"]
    assert [k["code"] for k in kinds][:2] == ["guidance", "forms"]
    assert kinds[0]["labels"] == {"en": "Guidance on a procedure"}
    # A volunteer records help and nothing else.
    ticket = volunteer.post("/api/v1/tickets", json={"service": "HT"}, headers=csrf)
    assert ticket.status_code == 403
    assert volunteer.post("/api/v1/counters/1/next", headers=csrf).status_code == 403
    assert volunteer.get("/api/v1/contacts").status_code == 403
    assert volunteer.post(PATH, json=body, headers=csrf).status_code == 201
    assert volunteer.post(PATH, json=body).status_code == 403  # no CSRF header
    admin = token("admin")
    assert client.get(PATH, headers=admin).get_json()["total"] == 1


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({}, 400, "kind"),
        ({"kind": 5}, 400, "kind"),
        ({"kind": "guidance", "name": "Nguyễn Văn A"}, 400, "name"),
        ({"kind": "guidance", "ticket_id": 0}, 400, "ticket_id"),
        ({"kind": "guidance", "ticket_id": "7"}, 400, "ticket_id"),
        ({"kind": "nothing"}, 404, None),
        ({"kind": "guidance", "category": "vip"}, 404, None),
        ({"kind": "guidance", "service": "XX"}, 404, None),
        ({"kind": "guidance", "ticket_id": 999}, 404, None),
        ([], 400, None),
        ("not json", 400, None),
    ],
)
def test_bad_input_gets_a_clear_4xx_and_changes_nothing(
    sqlite_app: Flask, body: Any, status: int, field: str | None
) -> None:
    queue = sqlite_app.extensions["xephang"].queue

    admin = make_token_maker(queue)("admin")
    client = sqlite_app.test_client()
    if isinstance(body, str):
        answer = client.post(PATH, data=body, headers={**admin, "Content-Type": "application/json"})
    else:
        answer = client.post(PATH, json=body, headers=admin)
    assert answer.status_code == status
    error = answer.get_json()
    assert isinstance(error["error"], str) and error["error"]
    if field:
        assert error.get("field") == field
    assert client.get(PATH, headers=admin).get_json()["total"] == 0


@pytest.mark.parametrize(
    "query",
    [
        "?from=23-11-2026",
        "?from=2026-02-30",
        "?from=20261123",
        "?from=2026-11-24&to=2026-11-23",
        "?from=2025-01-01&to=2026-11-23",
    ],
)
def test_bad_date_ranges_are_refused(sqlite_app: Flask, query: str) -> None:
    queue = sqlite_app.extensions["xephang"].queue

    admin = make_token_maker(queue)("admin")
    answer = sqlite_app.test_client().get(PATH + query, headers=admin)
    assert answer.status_code == 400
    assert answer.get_json()["error"]
