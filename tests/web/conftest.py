"""Fixtures for the web layer: the real Flask app on a real database, and tokens."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from queue_server.auth.tokens import create_token
from queue_server.auth.users import add_user
from queue_server.core.bootstrap import open_queue
from queue_server.core.clock import FrozenClock
from queue_server.core.db import Database
from queue_server.core.envelope import Envelope
from queue_server.core.operations import Queue
from queue_server.relay import Relay
from queue_server.runtime import start_app
from queue_server.settings import Settings

Headers = dict[str, str]
TokenMaker = Callable[..., Headers]


def make_token_maker(queue: Queue) -> TokenMaker:
    def make(
        role: str, counter: int | None = None, lifetime: timedelta | None = None, **extra: str
    ) -> Headers:
        secret, _info = create_token(
            queue.db, role, counter=counter, lifetime=lifetime, clock=queue.clock
        )
        return {"Authorization": f"Bearer {secret}", **extra}

    return make


@pytest.fixture
def bus() -> Relay:
    return Relay()


@pytest.fixture
def events(bus: Relay) -> list[Envelope]:
    """Every envelope published on the app's bus."""
    seen: list[Envelope] = []
    bus.subscribe(seen.append)
    return seen


@pytest.fixture
def app(settings: Settings, queue: Queue, bus: Relay) -> Flask:
    """The app on the parametrised database (SQLite and PostgreSQL)."""
    return start_app(settings, queue=queue, relay=bus, testing=True)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def token(queue: Queue) -> TokenMaker:
    """``token("officer", counter=2)`` → Authorization headers of a fresh token."""
    return make_token_maker(queue)


@pytest.fixture
def sqlite_queue(settings: Settings, clock: FrozenClock, tmp_path: Path) -> Iterator[Queue]:
    """A queue on SQLite only, for tests where the database does not matter."""
    database = Database(f"sqlite:///{tmp_path / 'web.db'}")
    queue = open_queue(settings, clock=clock, db=database)
    yield queue
    database.dispose()


@pytest.fixture
def sqlite_app(settings: Settings, sqlite_queue: Queue) -> Flask:
    return start_app(settings, queue=sqlite_queue, testing=True)


PASSWORD = "correct horse battery"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def sign_in(
    app: Flask, role: str, counter: int | None = None, *, take_over: bool = False
) -> tuple[FlaskClient, Headers]:
    """A new client signed in as a new user of ``role``; returns it and the CSRF header.

    ``take_over``: choose ``counter`` even while another officer's console holds it."""
    queue: Queue = app.extensions["xephang"].queue
    username = f"{role}-{secrets.token_hex(3)}"
    add_user(queue.db, username, role, PASSWORD)
    client = app.test_client()
    form = client.get("/login").get_data(as_text=True)
    match = CSRF_FIELD.search(form)
    assert match is not None
    response = client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf_token": match.group(1)}
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    csrf = client.get("/api/v1/session").get_json()["csrf_token"]
    headers = {"X-CSRF-Token": csrf}
    if counter is not None:
        choice = {"counter": counter, "take_over": take_over}
        chosen = client.post("/api/v1/session/counter", json=choice, headers=headers)
        assert chosen.status_code == 200, chosen.get_json()
    return client, headers


@pytest.fixture
def helpdesk(app: Flask) -> tuple[FlaskClient, Headers]:
    """A signed-in help-desk user (client with cookies, CSRF header)."""
    return sign_in(app, "helpdesk")


@pytest.fixture(scope="session")
def signer() -> Callable[..., tuple[FlaskClient, Headers]]:
    """``signer(app, role, counter=None)`` signs a new user in (see :func:`sign_in`)."""
    return sign_in


def deactivate_counter(client: FlaskClient, admin: Headers, number: int) -> None:
    """Untick counter ``number``'s "active" through the admin API, as on the page."""
    found = client.get("/api/v1/admin/settings", headers=admin).get_json()
    counters = found["sections"]["counters"]
    for counter in counters:
        if counter["number"] == number:
            counter["active"] = False
    changed = client.put("/api/v1/admin/settings/counters", json={"value": counters}, headers=admin)
    assert changed.status_code == 200, changed.get_json()


# ------------------------------------------------------------ one principal per role
Signer = Callable[..., tuple[FlaskClient, dict[str, str]]]


@dataclass
class World:
    """A module's app with a client (and its headers) for every kind of caller."""

    app: Flask
    clients: dict[str, tuple[FlaskClient, dict[str, str]]]
    sign_in: Signer


@pytest.fixture(scope="module")
def world(
    demo_settings: Settings, tmp_path_factory: pytest.TempPathFactory, signer: Signer
) -> Iterator[World]:
    folder: Path = tmp_path_factory.mktemp("roles")
    settings = demo_settings.model_copy(update={"data_dir": str(folder)})
    database = Database(f"sqlite:///{folder / 'roles.db'}")
    queue = open_queue(settings, db=database)
    app = start_app(settings, queue=queue, testing=True)
    clients: dict[str, tuple[FlaskClient, dict[str, str]]] = {}
    for name, role, counter in [
        ("kiosk", "kiosk", None),
        ("officer", "officer", 2),
        ("officer_at_3", "officer", 3),
        ("display", "display", None),
        ("rating", "rating", 2),
        ("device", "device", None),
        ("admin", "admin", None),
    ]:
        secret, _info = create_token(database, role, counter=counter)
        clients[name] = (app.test_client(), {"Authorization": f"Bearer {secret}"})
    clients["helpdesk"] = signer(app, "helpdesk")
    clients["officer_user"] = signer(app, "officer", counter=2)
    clients["admin_user"] = signer(app, "admin")
    clients["manager_user"] = clients["manager"] = signer(app, "manager")
    clients["volunteer"] = signer(app, "volunteer")  # also for test_roles_documented.py
    yield World(app, clients, signer)
    database.dispose()
