"""A revocation made by another process (as the CLI does) closes the live sockets of the
running server within seconds: real server, real python-socketio clients over TCP."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
import requests
import socketio

from queue_server.auth.tokens import create_token, revoke_token
from queue_server.auth.users import set_active

from .conftest import PASSWORD, LiveServer

CHECK_S = 5.0  # api.socket_check_s of the demo settings
DEADLINE_S = CHECK_S + 10.0


class Watched:
    """A client of one namespace that notes when the server closes it."""

    def __init__(self, server: LiveServer, namespace: str, **kwargs: Any) -> None:
        self.client = socketio.Client(reconnection=False)
        self.closed = threading.Event()
        self.client.on("disconnect", lambda *_args: self.closed.set(), namespace=namespace)
        self.client.connect(
            server.url, namespaces=[namespace], transports=["polling"], wait_timeout=5, **kwargs
        )


def _cookie(server: LiveServer, username: str) -> str:
    server.user(username, "officer")
    http = requests.Session()
    form = http.get(server.url + "/login", timeout=5).text
    csrf = form.split('name="csrf_token" value="')[1].split('"')[0]
    signed = http.post(
        server.url + "/login",
        data={"username": username, "password": PASSWORD, "csrf_token": csrf},
        allow_redirects=False,
        timeout=5,
    )
    assert signed.status_code == 303
    return "; ".join(f"{c.name}={c.value}" for c in http.cookies)


def test_revoked_token_and_disabled_officer_lose_their_sockets_within_seconds(
    server: LiveServer,
) -> None:
    secret, info = create_token(server.queue.db, "display")
    kept_secret, _kept = create_token(server.queue.db, "display")
    cookie = _cookie(server, "socket-officer")
    display = Watched(server, "/display", auth={"token": secret})
    kept = Watched(server, "/display", auth={"token": kept_secret})
    officer = Watched(server, "/officer", headers={"Cookie": cookie})

    started = time.monotonic()
    revoke_token(server.queue.db, info.id)  # what `xephang token revoke` does
    set_active(server.queue.db, "socket-officer", False)  # `xephang user disable`
    assert display.closed.wait(DEADLINE_S), "the revoked display kept its socket"
    assert officer.closed.wait(DEADLINE_S), "the disabled officer kept their socket"
    elapsed = time.monotonic() - started
    assert elapsed < DEADLINE_S
    assert not kept.closed.is_set()  # another display's token still holds
    print(f"sockets closed {elapsed:.1f} s after the revocation")

    # Neither gets back in.
    for namespace, kwargs in (
        ("/display", {"auth": {"token": secret}}),
        ("/officer", {"headers": {"Cookie": cookie}}),
    ):
        with pytest.raises(socketio.exceptions.ConnectionError):
            Watched(server, namespace, **kwargs)
    kept.client.disconnect()
