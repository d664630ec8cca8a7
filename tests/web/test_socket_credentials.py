"""Sockets close when their credential ends: at once for changes made on this server's
pages, on the next sweep for changes made elsewhere (the CLI), in two queries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_socketio import SocketIOTestClient
from sqlalchemy import event

from queue_server.auth.tokens import create_token, list_tokens, revoke_token
from queue_server.auth.users import list_users, set_active
from queue_server.core.clock import FrozenClock
from queue_server.core.operations import Queue
from queue_server.web.sockets import SocketGuard
from queue_server.web.state import runtime_of

from .conftest import CSRF_FIELD, sign_in


def _socket(app: Flask, namespace: str, **kwargs: Any) -> SocketIOTestClient:
    client = app.extensions["socketio"].test_client(app, namespace=namespace, **kwargs)
    assert client.is_connected(namespace)
    return client


def _token_socket(
    app: Flask, queue: Queue, role: str, namespace: str, **extra: Any
) -> tuple[SocketIOTestClient, int, str]:
    """A socket let in by a new token: the socket, the token's id and its secret."""
    secret, info = create_token(queue.db, role, clock=queue.clock, **extra)
    return _socket(app, namespace, auth={"token": secret}), info.id, secret


def _guard(app: Flask) -> SocketGuard:
    return runtime_of(app).socket_guard


def _form_csrf(client: FlaskClient, path: str) -> str:
    match = CSRF_FIELD.search(client.get(path).get_data(as_text=True))
    assert match is not None
    return match.group(1)


def test_revoking_on_the_tokens_page_closes_the_display_at_once(app: Flask, queue: Queue) -> None:
    display, token_id, secret = _token_socket(app, queue, "display", "/display")
    other, _other_id, _other = _token_socket(app, queue, "display", "/display")
    devices = _socket(app, "/devices", auth={"token": secret})
    admin, _headers = sign_in(app, "admin")
    csrf = _form_csrf(admin, "/admin/tokens")
    response = admin.post(f"/admin/tokens/{token_id}/revoke", data={"csrf_token": csrf})
    assert response.status_code == 303
    assert not display.is_connected("/display")
    assert not devices.is_connected("/devices")
    assert other.is_connected("/display")  # another token's screen stays


def test_disabling_an_officer_on_the_users_page_closes_their_socket(
    app: Flask, queue: Queue
) -> None:
    officer, _headers = sign_in(app, "officer", counter=1)
    socket = _socket(app, "/officer", flask_test_client=officer)
    helpdesk, _headers = sign_in(app, "helpdesk")
    staying = _socket(app, "/officer", flask_test_client=helpdesk)
    name = officer.get("/api/v1/session").get_json()["name"]
    user_id = next(u["id"] for u in list_users(queue.db) if u["username"] == name)
    admin, _headers = sign_in(app, "admin")
    csrf = _form_csrf(admin, "/admin/users")
    response = admin.post(f"/admin/users/{user_id}", data={"csrf_token": csrf, "role": "officer"})
    assert response.status_code == 303  # "active" unticked
    assert not socket.is_connected("/officer")
    assert staying.is_connected("/officer")


def test_signing_out_closes_the_users_sockets(app: Flask) -> None:
    helpdesk, headers = sign_in(app, "helpdesk")
    officer_socket = _socket(app, "/officer", flask_test_client=helpdesk)
    display_socket = _socket(app, "/display", flask_test_client=helpdesk)
    helpdesk.post("/logout", headers=headers)
    assert not officer_socket.is_connected("/officer")
    assert not display_socket.is_connected("/display")
    # The old cookie no longer opens a socket.
    refused = app.extensions["socketio"].test_client(
        app, namespace="/officer", flask_test_client=helpdesk
    )
    assert not refused.is_connected("/officer")


def test_the_sweep_sees_changes_made_by_another_process(
    app: Flask, queue: Queue, clock: FrozenClock
) -> None:
    """The CLI writes to the database only: the periodic sweep notices."""
    rating, rating_id, _secret = _token_socket(app, queue, "rating", "/rate", counter=1)
    kiosk, _id, _secret = _token_socket(app, queue, "kiosk", "/display")
    expiring, _id, _secret = _token_socket(
        app, queue, "display", "/display", lifetime=timedelta(hours=1)
    )
    officer, _headers = sign_in(app, "officer", counter=2)
    officer_socket = _socket(app, "/officer", flask_test_client=officer)
    name = officer.get("/api/v1/session").get_json()["name"]

    revoke_token(queue.db, rating_id)  # as `xephang token revoke` does
    set_active(queue.db, name, False)  # as `xephang user disable` does
    assert rating.is_connected("/rate") and officer_socket.is_connected("/officer")
    assert _guard(app).sweep() == 2
    assert not rating.is_connected("/rate")
    assert not officer_socket.is_connected("/officer")
    assert kiosk.is_connected("/display") and expiring.is_connected("/display")

    clock.advance(hours=1)
    assert _guard(app).sweep() == 1
    assert not expiring.is_connected("/display")
    assert kiosk.is_connected("/display")
    assert len(list_tokens(queue.db)) == 3


def test_a_sweep_reads_all_credentials_in_two_queries(app: Flask, queue: Queue) -> None:
    sockets = [_token_socket(app, queue, "display", "/display")[0] for _ in range(10)]
    for _ in range(3):
        client, _headers = sign_in(app, "helpdesk")
        sockets.append(_socket(app, "/officer", flask_test_client=client))
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    engine = queue.db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert _guard(app).sweep() == 0
    finally:
        event.remove(engine, "before_cursor_execute", count)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 2, statements
    assert _guard(app).watched() == 13


def test_sockets_that_left_are_forgotten(
    app: Flask, queue: Queue, monkeypatch: pytest.MonkeyPatch
) -> None:
    leaving, _id, _secret = _token_socket(app, queue, "display", "/display")
    staying, _id, _secret = _token_socket(app, queue, "display", "/display")
    leaving.disconnect("/display")
    assert _guard(app).sweep() == 0 and _guard(app).watched() == 2  # may still be connecting
    monkeypatch.setattr("queue_server.web.sockets.GONE_AFTER_S", 0.0)
    assert _guard(app).sweep() == 0
    assert _guard(app).watched() == 1 and staying.is_connected("/display")
