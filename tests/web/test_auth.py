"""Tokens expire and can be revoked; sign-in with a password and CSRF-protected forms."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient

from queue_server.auth.durations import parse_duration
from queue_server.auth.passwords import hash_password, verify_password
from queue_server.auth.tokens import create_token, list_tokens, revoke_token
from queue_server.auth.users import add_user, set_active
from queue_server.core.clock import FrozenClock
from queue_server.core.models import ApiToken
from queue_server.core.operations import Queue

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "a long enough password"


def test_token_expires_on_the_clock(client: FlaskClient, queue: Queue, clock: FrozenClock) -> None:
    secret, info = create_token(queue.db, "display", lifetime=timedelta(days=30), clock=clock)
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/state", headers=headers).status_code == 200
    clock.advance(days=29, hours=23)
    assert client.get("/api/v1/state", headers=headers).status_code == 200
    clock.advance(hours=1)
    expired = client.get("/api/v1/state", headers=headers)
    assert expired.status_code == 401
    assert "error" in expired.get_json()
    assert info.expires_at is not None


def test_revoked_token_stops_at_once(client: FlaskClient, queue: Queue, clock: FrozenClock) -> None:
    secret, info = create_token(queue.db, "kiosk", clock=clock)
    headers = {"Authorization": f"Bearer {secret}"}
    assert (
        client.post("/api/v1/tickets", json={"service": "HT"}, headers=headers).status_code == 201
    )
    revoked = revoke_token(queue.db, info.id, clock=clock)
    assert revoked.revoked_at == clock.now()
    response = client.post("/api/v1/tickets", json={"service": "HT"}, headers=headers)
    assert response.status_code == 401
    assert [t.revoked_at is not None for t in list_tokens(queue.db)] == [True]


def test_only_the_hash_is_stored(queue: Queue) -> None:
    secret, _info = create_token(queue.db, "admin")
    with queue.db.read() as conn:
        stored = conn.execute(ApiToken.__table__.select()).one()
    assert secret not in str(tuple(stored))
    assert len(stored.token_hash) == 64


def test_login_sets_a_session_and_needs_csrf(app: Flask, queue: Queue) -> None:
    add_user(queue.db, "lan", "helpdesk", PASSWORD)
    client = app.test_client()
    form = client.get("/login")
    assert form.status_code == 200 and "text/html" in form.content_type
    token = CSRF.search(form.get_data(as_text=True)).group(1)  # type: ignore[union-attr]

    no_csrf = client.post("/login", data={"username": "lan", "password": PASSWORD})
    assert no_csrf.status_code == 400
    wrong = client.post("/login", data={"username": "lan", "password": "x", "csrf_token": token})
    assert wrong.status_code == 401
    assert client.get("/api/v1/session").status_code == 401

    ok = client.post("/login", data={"username": "lan", "password": PASSWORD, "csrf_token": token})
    assert ok.status_code == 303
    cookie = ok.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    me = client.get("/api/v1/session").get_json()
    assert me["role"] == "helpdesk" and me["kind"] == "user"
    assert me["csrf_token"] != token  # a fresh session after signing in

    issue = {"service": "HD"}
    assert client.post("/api/v1/tickets", json=issue).status_code == 403
    good = client.post("/api/v1/tickets", json=issue, headers={"X-CSRF-Token": me["csrf_token"]})
    assert good.status_code == 201

    out = client.post("/logout", data={"csrf_token": me["csrf_token"]})
    assert out.status_code == 303
    assert client.get("/api/v1/session").status_code == 401


def test_disabled_user_loses_the_session(app: Flask, queue: Queue) -> None:
    add_user(queue.db, "minh", "admin", PASSWORD)
    client = app.test_client()
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)  # type: ignore[union-attr]
    client.post("/login", data={"username": "minh", "password": PASSWORD, "csrf_token": token})
    assert client.get("/api/v1/state").status_code == 200
    set_active(queue.db, "minh", False)
    assert client.get("/api/v1/state").status_code == 401


def test_login_redirect_stays_on_this_site(app: Flask, queue: Queue) -> None:
    add_user(queue.db, "hoa", "officer", PASSWORD)
    client = app.test_client()
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)  # type: ignore[union-attr]
    response = client.post(
        "/login?next=//evil.example/",
        data={"username": "hoa", "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/officer"  # the officer's home, not elsewhere


def test_passwords_and_durations() -> None:
    stored = hash_password("mật khẩu dài")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "mật khẩu dài")
    assert not verify_password(stored, "mat khau dai")
    assert not verify_password("", "anything")
    assert parse_duration("30d") == timedelta(days=30)
    assert parse_duration("12h") == timedelta(hours=12)
    assert parse_duration("never") is None
    for bad in ("30", "d", "-1d", "1y"):
        try:
            parse_duration(bad)
        except ValueError:
            continue
        raise AssertionError(bad)
