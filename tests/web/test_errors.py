"""Bad input gives JSON {"error": …} with the right status, in Vietnamese or English."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from queue_server.core.clock import FrozenClock
from queue_server.runtime import start_app
from queue_server.settings import Settings

TokenMaker = Callable[..., dict[str, str]]


@pytest.fixture
def admin(sqlite_app: Flask) -> tuple[FlaskClient, dict[str, str]]:
    from queue_server.auth.tokens import create_token

    secret, _info = create_token(sqlite_app.extensions["xephang"].queue.db, "admin")
    return sqlite_app.test_client(), {"Authorization": f"Bearer {secret}"}


def _error(response: object, status: int) -> dict[str, str]:
    assert response.status_code == status, response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert response.content_type == "application/json"  # type: ignore[attr-defined]
    body = response.get_json()  # type: ignore[attr-defined]
    assert isinstance(body["error"], str) and body["error"]
    return body


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ('{"service": 5}', "service"),
        ('{"service": "HT", "priority": 3}', "priority"),
        ("{}", "service"),
        ('{"service": "HT", "colour": "red"}', "colour"),
        ('{"service": ""}', "service"),
    ],
)
def test_wrong_type_names_the_field(
    admin: tuple[FlaskClient, dict[str, str]], data: str, field: str
) -> None:
    client, headers = admin
    response = client.post(
        "/api/v1/tickets", data=data, headers={**headers, "Content-Type": "application/json"}
    )
    body = _error(response, 400)
    assert body["field"] == field
    assert field in body["error"]


@pytest.mark.parametrize("data", ["{not json", "[1, 2]", '"text"', "\xff\xfe", "null"])
def test_malformed_json_is_400(admin: tuple[FlaskClient, dict[str, str]], data: str) -> None:
    client, headers = admin
    _error(client.post("/api/v1/tickets", data=data, headers=headers), 400)
    _error(client.post("/api/v1/counters/2/call", data=data, headers=headers), 400)


def test_bool_is_not_an_id(admin: tuple[FlaskClient, dict[str, str]]) -> None:
    client, headers = admin
    body = _error(
        client.post("/api/v1/counters/2/call", json={"ticket_id": True}, headers=headers), 400
    )
    assert body["field"] == "ticket_id"


def test_body_over_64_kb_is_413(admin: tuple[FlaskClient, dict[str, str]]) -> None:
    client, headers = admin
    big = '{"service": "' + "x" * (65 * 1024) + '"}'
    _error(client.post("/api/v1/tickets", data=big, headers=headers), 413)
    _error(client.post("/api/v1/counters/2/next", data=big, headers=headers), 413)


def test_unknown_things_are_404(admin: tuple[FlaskClient, dict[str, str]]) -> None:
    client, headers = admin
    _error(client.post("/api/v1/tickets", json={"service": "NOPE"}, headers=headers), 404)
    _error(
        client.post("/api/v1/tickets", json={"service": "HT", "priority": "vip"}, headers=headers),
        404,
    )
    _error(client.post("/api/v1/counters/99/next", headers=headers), 404)
    _error(client.get("/api/v1/counters/99/waiting", headers=headers), 404)
    _error(client.get("/api/v1/tickets/12345", headers=headers), 404)
    _error(client.get(f"/api/v1/tickets/{2**40}", headers=headers), 404)
    _error(client.post("/api/v1/tickets/99/cancel", headers=headers), 404)
    _error(client.get("/api/v1/no-such-route", headers=headers), 404)


def test_wrong_method_is_405_json(admin: tuple[FlaskClient, dict[str, str]]) -> None:
    client, headers = admin
    response = client.delete("/api/v1/tickets", headers=headers)
    _error(response, 405)
    assert "POST" in response.headers["Allow"]


def test_invalid_state_is_409(admin: tuple[FlaskClient, dict[str, str]]) -> None:
    client, headers = admin
    _error(client.post("/api/v1/counters/2/recall", headers=headers), 409)


def test_401_and_403_bodies(sqlite_app: Flask) -> None:
    from queue_server.auth.tokens import create_token

    client = sqlite_app.test_client()
    _error(client.get("/api/v1/state"), 401)
    secret, _info = create_token(sqlite_app.extensions["xephang"].queue.db, "display")
    _error(
        client.post(
            "/api/v1/tickets", json={"service": "HT"}, headers={"Authorization": f"Bearer {secret}"}
        ),
        403,
    )


def test_language_vietnamese_by_default_english_on_request(sqlite_app: Flask) -> None:
    client = sqlite_app.test_client()
    vi = client.get("/api/v1/state").get_json()["error"]
    en = client.get("/api/v1/state", headers={"Accept-Language": "en-US,en;q=0.9"}).get_json()
    assert en["error"] == "Sign in or send an API token."
    assert vi != en["error"] and "đăng nhập" in vi.lower()
    fr = client.get("/api/v1/state", headers={"Accept-Language": "fr"}).get_json()["error"]
    assert fr == vi


def test_domain_errors_are_translated(admin: tuple[FlaskClient, dict[str, str]]) -> None:
    client, headers = admin
    en = client.post(
        "/api/v1/tickets", json={"service": "NOPE"}, headers={**headers, "Accept-Language": "en"}
    ).get_json()["error"]
    vi = client.post("/api/v1/tickets", json={"service": "NOPE"}, headers=headers).get_json()[
        "error"
    ]
    assert en == "Unknown service: NOPE"
    assert vi != en and "NOPE" in vi


def test_rate_limit_per_kiosk(
    settings: Settings, sqlite_queue: object, clock: FrozenClock, tmp_path: Path
) -> None:
    from queue_server.auth.tokens import create_token

    limited = settings.model_copy(
        update={"api": settings.api.model_copy(update={"issue_rate_per_minute": 5})}
    )
    app = start_app(limited, queue=sqlite_queue, testing=True)  # type: ignore[arg-type]
    db = app.extensions["xephang"].queue.db
    one = {"Authorization": f"Bearer {create_token(db, 'kiosk')[0]}"}
    two = {"Authorization": f"Bearer {create_token(db, 'kiosk')[0]}"}
    client = app.test_client()
    statuses = [
        client.post("/api/v1/tickets", json={"service": "HT"}, headers=one).status_code
        for _ in range(7)
    ]
    assert statuses == [201] * 5 + [429] * 2
    refused = client.post("/api/v1/tickets", json={"service": "HT"}, headers=one)
    body = _error(refused, 429)
    assert int(refused.headers["Retry-After"]) == 12  # one ticket per 12 s refills
    assert body["error"]
    # Another kiosk is not affected; time refills the bucket.
    assert client.post("/api/v1/tickets", json={"service": "HT"}, headers=two).status_code == 201
    clock.advance(seconds=12)
    assert client.post("/api/v1/tickets", json={"service": "HT"}, headers=one).status_code == 201
    assert client.post("/api/v1/tickets", json={"service": "HT"}, headers=one).status_code == 429


def test_default_rate_limit_is_30_a_minute(settings: Settings) -> None:
    assert settings.api.issue_rate_per_minute == 30


def test_pages_refuse_in_the_readers_language(sqlite_app: Flask) -> None:
    """A manager who opens the officer console, an officer who opens the admin pages,
    a wrong address: a short page in Vietnamese (English on request), never Werkzeug's."""
    from .conftest import sign_in

    manager, _csrf = sign_in(sqlite_app, "manager")
    officer, _csrf = sign_in(sqlite_app, "officer")
    for client, path, status, text in [
        (manager, "/officer", 403, "Bạn không có quyền thực hiện thao tác này."),
        (manager, "/helpdesk", 403, "Bạn không có quyền thực hiện thao tác này."),
        (officer, "/admin/services", 403, "Bạn không có quyền thực hiện thao tác này."),
        (officer, "/admin/reports", 403, "Bạn không có quyền thực hiện thao tác này."),
        (officer, "/screens/fonts/nothing.ttf", 404, "Không tìm thấy."),
    ]:
        response = client.get(path, headers={"Accept-Language": "vi"})
        assert response.status_code == status, path
        html = response.get_data(as_text=True)
        assert '<html lang="vi">' in html and f"<h1>{text}</h1>" in html, html
        assert "Forbidden" not in html and "Not Found" not in html
    english = manager.get("/officer?lang=en").get_data(as_text=True)
    assert "<h1>You are not allowed to do this.</h1>" in english
    assert 'href="/login"' in english  # sign in with another account


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/assistance-calls/28438513524588363776/close",
        "/api/v1/tickets/2147483648/cancel",
        "/api/v1/tickets/99999999999999999999999/cancel",
    ],
)
def test_an_id_beyond_the_database_is_not_found(
    admin: tuple[FlaskClient, dict[str, str]], path: str
) -> None:
    """Ids past 32 bits match no route: 404, never an overflow in the driver."""
    client, headers = admin
    _error(client.post(path, json={}, headers=headers), 404)
