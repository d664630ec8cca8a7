"""Every route refuses the roles it should refuse (table-driven), and only those."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from .conftest import World

ANY = {
    "kiosk",
    "officer",
    "officer_at_3",
    "officer_user",
    "display",
    "helpdesk",
    "admin",
    "admin_user",
}
ADMINS = {"admin", "admin_user"}
DESK = {"helpdesk", *ADMINS}
OFFICERS = {"officer", "officer_at_3", "officer_user"}
COUNTER_2 = {"officer", "officer_user", *ADMINS}
TABLET_2 = {"rating", *ADMINS}  # the satisfaction tablet of counter 2

# (method, path, JSON body, principals allowed)
TABLE: list[tuple[str, str, dict[str, Any] | None, set[str]]] = [
    ("GET", "/api/v1/services", None, ANY),
    ("GET", "/api/v1/priorities", None, ANY),
    ("GET", "/api/v1/counters", None, ANY),
    ("GET", "/api/v1/state", None, ANY),
    ("GET", "/api/v1/session", None, {*ANY, "rating", "manager_user"}),
    ("POST", "/api/v1/tickets", {"service": "CT"}, {"kiosk", *DESK}),
    ("GET", "/api/v1/tickets/1", None, {*OFFICERS, *DESK}),
    ("GET", "/api/v1/tickets/by-number/B001", None, {*OFFICERS, *DESK}),
    ("POST", "/api/v1/tickets/999/cancel", None, DESK),
    ("POST", "/api/v1/tickets/999/reprint", None, DESK),
    ("GET", "/api/v1/tickets/999/print-jobs", None, DESK),
    ("GET", "/api/v1/counters/2/waiting", None, {*COUNTER_2, "helpdesk"}),
    ("POST", "/api/v1/counters/2/next", None, COUNTER_2),
    ("POST", "/api/v1/counters/2/call", {"ticket_id": 999}, COUNTER_2),
    ("POST", "/api/v1/counters/2/recall", None, COUNTER_2),
    ("POST", "/api/v1/counters/2/serve", None, COUNTER_2),
    ("POST", "/api/v1/counters/2/finish", None, COUNTER_2),
    ("POST", "/api/v1/counters/2/no-show", None, COUNTER_2),
    ("POST", "/api/v1/counters/2/transfer", {"service": "CT"}, COUNTER_2),
    ("POST", "/api/v1/counters/2/pause", None, COUNTER_2),
    ("POST", "/api/v1/counters/2/resume", None, COUNTER_2),
    ("POST", "/api/v1/session/counter", {"counter": 2}, {"officer_user", "admin_user"}),
    ("GET", "/api/v1/counters/2/rating", None, TABLET_2),
    ("POST", "/api/v1/counters/2/rating", {"ticket_id": 999, "score": 3}, TABLET_2),
    ("GET", "/api/v1/contacts", None, DESK),
    ("DELETE", "/api/v1/contacts/999", None, DESK),
]
# The manager (read-only, reports page only) is refused by every API route but /session.
PRINCIPALS = sorted({*ANY, "rating", "manager_user"})
PUBLIC = ["/api/v1/healthz", "/api/v1/readyz", "/api/v1/metrics", "/api/v1/openapi.json"]


def _send(client: FlaskClient, method: str, path: str, body: Any, headers: dict[str, str]) -> Any:
    return client.open(path, method=method, json=body, headers=headers)


@pytest.mark.parametrize(
    ("method", "path", "body", "allowed"), TABLE, ids=[f"{m} {p}" for m, p, _b, _a in TABLE]
)
def test_refused_roles_get_403_and_allowed_ones_pass(
    world: World, method: str, path: str, body: Any, allowed: set[str]
) -> None:
    for name in PRINCIPALS:
        client, headers = world.clients[name]
        response = _send(client, method, path, body, headers)
        refused = response.status_code in (401, 403)
        should_refuse = name not in allowed
        assert refused == should_refuse, (name, response.status_code, response.get_json())
        if refused:
            assert response.status_code == 403, (name, response.get_json())
            assert set(response.get_json()) == {"error"}


@pytest.mark.parametrize(
    ("method", "path", "body", "allowed"), TABLE, ids=[f"{m} {p}" for m, p, _b, _a in TABLE]
)
def test_no_credentials_get_401(
    world: World, method: str, path: str, body: Any, allowed: set[str]
) -> None:
    response = _send(world.app.test_client(), method, path, body, {})
    assert response.status_code == 401
    assert response.get_json()["error"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_bad_tokens_get_401(world: World) -> None:
    client = world.app.test_client()
    for header in ("Bearer nope", "Basic abc", "Bearer", "xp_token-without-scheme"):
        response = client.get("/api/v1/state", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert "error" in response.get_json()


@pytest.mark.parametrize(
    ("method", "path", "body", "allowed"), TABLE, ids=[f"{m} {p}" for m, p, _b, _a in TABLE]
)
def test_cookie_writes_need_the_csrf_header(
    world: World, method: str, path: str, body: Any, allowed: set[str]
) -> None:
    if method != "POST":
        return
    client, _headers = world.clients["admin_user"]
    response = _send(client, method, path, body, {})
    assert response.status_code == 403
    assert "CSRF" in response.get_json()["error"]
    wrong = _send(client, method, path, body, {"X-CSRF-Token": "forged"})
    assert wrong.status_code == 403


def test_officer_token_only_at_its_counter(world: World) -> None:
    client, headers = world.clients["officer_at_3"]
    assert client.post("/api/v1/counters/3/pause", headers=headers).status_code == 200
    assert client.post("/api/v1/counters/3/resume", headers=headers).status_code == 200
    refused = client.post("/api/v1/counters/2/pause", headers=headers)
    assert refused.status_code == 403


def test_rating_token_only_at_its_counter(world: World) -> None:
    client, headers = world.clients["rating"]
    assert client.get("/api/v1/counters/2/rating", headers=headers).status_code == 200
    refused = client.get("/api/v1/counters/3/rating", headers=headers)
    assert refused.status_code == 403
    assert refused.get_json() == {"error": "Máy đánh giá này thuộc quầy 2."}
    body = {"ticket_id": 1, "score": 3}
    assert client.post("/api/v1/counters/3/rating", json=body, headers=headers).status_code == 403


def test_officer_user_must_choose_a_counter_first(world: World) -> None:
    client, csrf = world.sign_in(world.app, "officer")
    response = client.post("/api/v1/counters/2/next", headers=csrf)
    assert response.status_code == 403
    assert (
        client.post("/api/v1/session/counter", json={"counter": 77}, headers=csrf).status_code
        == 404
    )
    assert (
        client.post("/api/v1/session/counter", json={"counter": 5}, headers=csrf).status_code == 200
    )
    assert client.post("/api/v1/counters/5/pause", headers=csrf).status_code == 200
    assert client.post("/api/v1/counters/2/pause", headers=csrf).status_code == 403


def test_kiosk_never_gives_emergency(world: World) -> None:
    client, headers = world.clients["kiosk"]
    response = client.post(
        "/api/v1/tickets", json={"service": "HT", "priority": "emergency"}, headers=headers
    )
    assert response.status_code == 403
    codes = [
        p["code"]
        for p in client.get("/api/v1/priorities", headers=headers).get_json()["priorities"]
    ]
    assert "emergency" not in codes and "elderly" in codes
    desk, csrf = world.clients["helpdesk"]
    given = desk.post(
        "/api/v1/tickets", json={"service": "HT", "priority": "emergency"}, headers=csrf
    )
    assert given.status_code == 201 and given.get_json()["emergency"] is True


@pytest.mark.parametrize("path", PUBLIC)
def test_public_routes_need_no_credentials(world: World, path: str) -> None:
    assert world.app.test_client().get(path).status_code == 200
