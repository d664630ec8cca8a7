"""Result slips over HTTP (SQLite): the officer who served a ticket gives a slip, staff
look it up and postpone it, the kiosk takes a "receive results" ticket with the code;
roles enforced; bad input gets a clear 4xx and changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from queue_server.core.clock import FrozenClock
from queue_server.core.operations import Queue
from tests.web.conftest import Headers, make_token_maker, sign_in


def served(queue: Queue, counter: int = 2, service: str = "HT") -> int:
    ticket = queue.issue(service).value
    queue.call_ticket(counter, ticket.id, actor="t")
    queue.finish(counter, actor="t")
    return ticket.id


def slip_count(client: FlaskClient, headers: Headers, code: str) -> dict[str, Any]:
    return client.get(f"/api/v1/result-slips/{code}", headers=headers).get_json()


def test_issue_print_postpone_and_collect(sqlite_app: Flask, clock: FrozenClock) -> None:
    queue: Queue = sqlite_app.extensions["xephang"].queue
    token = make_token_maker(queue)
    ticket_id = served(queue)
    officer, csrf = sign_in(sqlite_app, "officer", counter=2)
    given = officer.post(f"/api/v1/tickets/{ticket_id}/result-slip", json={}, headers=csrf)
    assert given.status_code == 201, given.get_json()
    slip = given.get_json()
    code = slip["result_code"]
    assert len(code) == 11 and code[5] == "-"
    assert (slip["ready_on"], slip["service"], slip["counter"]) == ("2026-11-26", "HT", 2)
    assert slip["print_url"] == f"/result-slip/{code.replace('-', '')}"

    # The printable page: the center, the date, the code as text and QR, what to bring.
    page = sqlite_app.test_client().get(slip["print_url"])
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert page.headers["X-Robots-Tag"] == "noindex"  # the code is the key: never indexed
    assert page.headers["Referrer-Policy"] == "no-referrer"  # nor sent on to another site
    html = page.get_data(as_text=True)
    for text in ("Giấy hẹn trả kết quả", "26/11/2026", code, "<svg", "căn cước", "Nhận kết quả"):
        assert text in html, text
    assert sqlite_app.test_client().get("/result-slip/ACD34EFH79").status_code == 404

    # The citizen's tracking page shows it too.
    with queue.db.read() as conn:
        track = conn.exec_driver_sql(
            "SELECT track_code FROM tickets WHERE id = ?", (ticket_id,)
        ).scalar()
    tracking = sqlite_app.test_client().get(f"/track/{track}").get_data(as_text=True)
    assert "26/11/2026" in tracking and slip["print_url"] in tracking

    # The help desk finds and postpones it (late), in any case and without the dash.
    desk, desk_csrf = sign_in(sqlite_app, "helpdesk")
    assert slip_count(desk, desk_csrf, code.lower().replace("-", ""))["id"] == slip["id"]
    moved = desk.post(
        f"/api/v1/result-slips/{code}/postpone",
        json={"ready_on": "2026-11-27", "reason": "verification"},
        headers=desk_csrf,
    )
    assert moved.status_code == 200, moved.get_json()
    assert moved.get_json()["postponed"] and moved.get_json()["promised_on"] == "2026-11-26"

    # Too early at the kiosk: refused with the date; on the day, a ticket for the results.
    kiosk = token("kiosk", name="kiosk-1")
    early = sqlite_app.test_client().post(f"/api/v1/result-slips/{code}/ticket", headers=kiosk)
    assert early.status_code == 409 and "27/11/2026" in early.get_json()["error"]
    clock.set(datetime(2026, 11, 27, 2, 0, tzinfo=UTC))
    issued = sqlite_app.test_client().post(
        f"/api/v1/result-slips/{code}/ticket", json={"priority": "elderly"}, headers=kiosk
    )
    assert issued.status_code == 201, issued.get_json()
    answer = issued.get_json()
    assert answer["service"] == "NKQ" and answer["number"].startswith("N") and answer["track_code"]
    assert answer["slip"] == {
        "service": "HT",
        "service_name": "Hộ tịch",
        "ready_on": "2026-11-27",
    }
    again = sqlite_app.test_client().post(f"/api/v1/result-slips/{code}/ticket", headers=kiosk)
    assert again.status_code == 409
    assert slip_count(desk, desk_csrf, code)["collect_ticket_id"] == answer["id"]


def test_roles(sqlite_app: Flask) -> None:
    queue: Queue = sqlite_app.extensions["xephang"].queue
    token = make_token_maker(queue)
    client = sqlite_app.test_client()
    ticket_id = served(queue)
    path = f"/api/v1/tickets/{ticket_id}/result-slip"
    for role in ("kiosk", "display", "rating", "device"):
        headers = token(role, counter=2 if role == "rating" else None)
        assert client.post(path, json={}, headers=headers).status_code == 403
    for role in ("helpdesk", "manager", "volunteer"):
        user, csrf = sign_in(sqlite_app, role)
        assert user.post(path, json={}, headers=csrf).status_code == 403
    assert client.post(path, json={}).status_code == 401
    elsewhere = token("officer", counter=3)
    assert client.post(path, json={}, headers=elsewhere).status_code == 403  # not yours
    slip = client.post(path, json={}, headers=token("admin")).get_json()
    code = slip["result_code"]
    find = f"/api/v1/result-slips/{code}"
    assert client.get(find).status_code == 401
    for role in ("kiosk", "display"):
        assert client.get(find, headers=token(role)).status_code == 403
    manager, _csrf = sign_in(sqlite_app, "manager")
    assert manager.get(find).status_code == 403
    assert client.get(find, headers=token("officer", counter=3)).status_code == 200
    postpone = {"ready_on": "2026-11-30", "reason": "other"}
    assert client.post(f"{find}/postpone", json=postpone, headers=token("kiosk")).status_code == 403
    officer = token("officer", counter=4)
    assert client.post(f"{find}/ticket", headers=officer).status_code == 403  # not a kiosk
    emergency = client.post(
        f"{find}/ticket", json={"priority": "emergency"}, headers=token("kiosk")
    )
    assert emergency.status_code == 403
    assert client.get(find, headers=token("admin")).get_json()["collected"] is False


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"ready_on": "2026-11-20"}, 422, None),  # in the past
        ({"ready_on": "2026-11-28"}, 422, None),  # a Saturday
        ({"ready_on": "26/11/2026"}, 400, "ready_on"),
        ({"ready_on": "2026-02-30"}, 400, "ready_on"),
        ({"ready_on": 20261126}, 400, "ready_on"),
        ({"code": "ACD34EFH79"}, 400, "code"),
        ([], 400, None),
    ],
)
def test_bad_slips_get_a_clear_4xx_and_change_nothing(
    sqlite_app: Flask, body: Any, status: int, field: str | None
) -> None:
    queue: Queue = sqlite_app.extensions["xephang"].queue
    officer = make_token_maker(queue)("officer", counter=2)
    ticket_id = served(queue)
    client = sqlite_app.test_client()
    answer = client.post(f"/api/v1/tickets/{ticket_id}/result-slip", json=body, headers=officer)
    assert answer.status_code == status, answer.get_json()
    assert answer.get_json()["error"]
    if field:
        assert answer.get_json()["field"] == field
    good = client.post(f"/api/v1/tickets/{ticket_id}/result-slip", json={}, headers=officer)
    assert good.status_code == 201  # nothing was stored by the refused request


def test_bad_codes_and_states(sqlite_app: Flask) -> None:
    queue: Queue = sqlite_app.extensions["xephang"].queue
    token = make_token_maker(queue)
    officer = token("officer", counter=2)
    client = sqlite_app.test_client()
    waiting = queue.issue("HT").value.id
    unfinished = client.post(f"/api/v1/tickets/{waiting}/result-slip", json={}, headers=officer)
    assert unfinished.status_code == 409
    assert client.post("/api/v1/tickets/999/result-slip", headers=officer).status_code == 404
    assert client.post(f"/api/v1/tickets/{2**40}/result-slip", headers=officer).status_code == 404
    ticket_id = served(queue)
    code = client.post(f"/api/v1/tickets/{ticket_id}/result-slip", headers=officer).get_json()[
        "result_code"
    ]
    twice = client.post(f"/api/v1/tickets/{ticket_id}/result-slip", headers=officer)
    assert twice.status_code == 409
    kiosk = token("kiosk")
    for bad in ("ACD34EFH79", "ACD34", "%20", "x" * 60):
        assert client.get(f"/api/v1/result-slips/{bad}", headers=officer).status_code == 404
        assert client.post(f"/api/v1/result-slips/{bad}/ticket", headers=kiosk).status_code == 404
    for body, status in (
        ({"ready_on": "2026-11-26", "reason": "verification"}, 422),  # not later
        ({"ready_on": "2026-11-30", "reason": "why"}, 404),
        ({"ready_on": "2026-11-30"}, 400),
    ):
        answer = client.post(f"/api/v1/result-slips/{code}/postpone", json=body, headers=officer)
        assert answer.status_code == status, answer.get_json()
    after = client.get(f"/api/v1/result-slips/{code}", headers=officer).get_json()
    assert (after["ready_on"], after["postponements"]) == ("2026-11-26", 0)
    assert queue.waiting_for_counter(1) == []  # no "receive results" ticket was issued


def test_the_help_desk_takes_a_results_ticket_for_a_citizen(sqlite_app: Flask) -> None:
    queue: Queue = sqlite_app.extensions["xephang"].queue
    officer = make_token_maker(queue)("officer", counter=2)
    client = sqlite_app.test_client()
    path = f"/api/v1/tickets/{served(queue)}/result-slip"
    code = client.post(path, json={"ready_on": "2026-11-23"}, headers=officer).get_json()
    desk, csrf = sign_in(sqlite_app, "helpdesk")
    url = f"/api/v1/result-slips/{code['result_code']}/ticket"
    issued = desk.post(url, json={"priority": "emergency"}, headers=csrf)
    assert issued.status_code == 201, issued.get_json()
    ticket = issued.get_json()
    assert (ticket["channel"], ticket["priority"], ticket["emergency"]) == (
        "helpdesk",
        "emergency",
        True,
    )
    assert desk.post(url, json={}, headers=csrf).status_code == 409
