"""An officer calls and transfers only within what counters serve; an admin may call
any ticket (issue 12). Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient

from queue_server.core.operations import Queue

TokenMaker = Callable[..., dict[str, str]]


def _issue(client: FlaskClient, admin: dict[str, str], service: str) -> dict[str, Any]:
    response = client.post("/api/v1/tickets", json={"service": service}, headers=admin)
    assert response.status_code == 201
    return response.get_json()


def test_an_officer_cannot_call_a_service_the_counter_does_not_serve(
    client: FlaskClient, token: TokenMaker, queue: Queue
) -> None:
    admin = token("admin")
    land = _issue(client, admin, "DD")  # counter 5 serves DD; counter 3 only CT
    officer = token("officer", counter=3)
    refused = client.post(
        "/api/v1/counters/3/call", json={"ticket_id": land["id"]}, headers=officer
    )
    assert refused.status_code == 403
    assert refused.get_json()["error"] == (
        f"Quầy 3 không phục vụ lĩnh vực Đất đai nên không gọi được số {land['number']}: "
        "hãy chuyển số này hoặc nhờ quản trị viên."
    )
    assert queue.ticket(int(land["id"])).status == "waiting"

    english = client.post(
        "/api/v1/counters/3/call",
        json={"ticket_id": land["id"]},
        headers={**officer, "Accept-Language": "en"},
    )
    assert "does not serve Đất đai" in english.get_json()["error"]

    served = _issue(client, admin, "CT")
    called = client.post(
        "/api/v1/counters/3/call", json={"ticket_id": served["id"]}, headers=officer
    )
    assert called.status_code == 200


def test_an_admin_may_call_any_ticket(client: FlaskClient, token: TokenMaker) -> None:
    admin = token("admin")
    land = _issue(client, admin, "DD")
    called = client.post("/api/v1/counters/3/call", json={"ticket_id": land["id"]}, headers=admin)
    assert called.status_code == 200
    assert called.get_json()["ticket"]["counter"] == 3


def test_a_transfer_to_a_counter_that_does_not_serve_the_service_is_refused(
    client: FlaskClient, token: TokenMaker, queue: Queue
) -> None:
    admin = token("admin")
    ticket = _issue(client, admin, "CT")
    officer = token("officer", counter=3)
    assert client.post("/api/v1/counters/3/next", headers=officer).status_code == 200
    refused = client.post(
        "/api/v1/counters/3/transfer", json={"service": "DD", "counter": 2}, headers=officer
    )
    assert refused.status_code == 403
    assert refused.get_json()["error"] == (
        "Quầy 2 không phục vụ lĩnh vực Đất đai: hãy chọn quầy khác."
    )
    assert queue.ticket(int(ticket["id"])).status == "called"  # still at counter 3
    sent = client.post(
        "/api/v1/counters/3/transfer", json={"service": "DD", "counter": 5}, headers=officer
    )
    assert sent.status_code == 200
    land_officer = token("officer", counter=5)
    again = client.post(
        "/api/v1/counters/5/call", json={"ticket_id": ticket["id"]}, headers=land_officer
    )
    assert again.status_code == 200
