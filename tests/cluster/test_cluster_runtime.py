"""Two server processes' runtimes in cluster mode: one PostgreSQL database, one Redis.

Each app is built as a separate server would build it (its own data directory, as on
another machine); what one knows through Redis or the shared secret the other sees.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask_socketio import SocketIOTestClient
from prometheus_client.parser import text_string_to_metric_families

from queue_server.cluster.state import ClusterState, process_name
from queue_server.runtime import start_app
from queue_server.settings import Settings
from queue_server.web.state import runtime_of
from tests.web.conftest import make_token_maker, sign_in

from .conftest import RedisServer, cluster_settings

pytestmark = pytest.mark.postgres


@pytest.fixture
def two_apps(
    settings: Settings, pg_url: str, redis_server: RedisServer, tmp_path: Path
) -> Iterator[tuple[Flask, Flask]]:
    apps = []
    for machine in ("a", "b"):
        center = cluster_settings(
            settings, pg_url, redis_server.url, tmp_path / machine, issue_rate_per_minute=3
        )
        apps.append(start_app(center, testing=True))
    yield apps[0], apps[1]
    for app in apps:
        runtime_of(app).stop()


def _officer_socket(app: Flask, counter: int) -> tuple[SocketIOTestClient, str]:
    """An officer signed in on ``app`` with ``counter``'s console open; their name."""
    officer, _headers = sign_in(app, "officer", counter=counter)
    socket_client = app.extensions["socketio"].test_client(
        app, namespace="/officer", flask_test_client=officer
    )
    assert socket_client.is_connected("/officer")
    return socket_client, officer.get("/api/v1/session").get_json()["name"]


def test_the_runtime_uses_the_shared_state(two_apps: tuple[Flask, Flask]) -> None:
    runtime = runtime_of(two_apps[0])
    assert isinstance(runtime.cluster, ClusterState)
    assert runtime.issue_limiter is runtime.cluster.issue_limiter
    assert runtime.ratings.track_limiter is runtime.cluster.track_limiter
    assert runtime.counter_holders is runtime.cluster.counter_holders
    assert "cluster state" in runtime.running


def test_a_console_open_on_one_server_is_asked_about_on_the_other(
    two_apps: tuple[Flask, Flask],
) -> None:
    first, second = two_apps
    console, name = _officer_socket(first, 2)
    other, headers = sign_in(second, "officer")
    asked = other.post("/api/v1/session/counter", json={"counter": 2}, headers=headers)
    assert asked.status_code == 409
    assert name in asked.get_json()["error"]
    console.disconnect(namespace="/officer")
    chosen = other.post("/api/v1/session/counter", json={"counter": 2}, headers=headers)
    assert chosen.status_code == 200


def test_a_sign_in_on_one_server_is_valid_on_the_other(two_apps: tuple[Flask, Flask]) -> None:
    first, second = two_apps
    client, _headers = sign_in(first, "helpdesk")
    name = client.get("/api/v1/session").get_json()["name"]
    cookie = client.get_cookie("session")
    assert cookie is not None
    elsewhere = second.test_client()
    elsewhere.set_cookie("session", cookie.value)
    assert elsewhere.get("/api/v1/session").get_json()["name"] == name


def test_the_issuing_limit_is_one_budget_for_both_servers(two_apps: tuple[Flask, Flask]) -> None:
    first, second = two_apps
    kiosk = make_token_maker(runtime_of(first).queue)("kiosk")
    body = {"service": "HT"}
    answers = [
        app.test_client().post("/api/v1/tickets", json=body, headers=kiosk)
        for app in (first, second, first, second)
    ]
    assert [answer.status_code for answer in answers] == [201, 201, 201, 429]
    assert 1 <= int(answers[-1].headers["Retry-After"]) <= 60


def _samples(app: Flask) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    text = app.test_client().get("/api/v1/metrics").get_data(as_text=True)
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_with_redis_stopped_tickets_are_still_issued(
    two_apps: tuple[Flask, Flask], redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    first, _second = two_apps
    kiosk = make_token_maker(runtime_of(first).queue)("kiosk")
    redis_server.stop()
    client = first.test_client()
    with caplog.at_level(logging.WARNING, logger="queue_server.cluster.redis_link"):
        answers = [client.post("/api/v1/tickets", json={"service": "HT"}, headers=kiosk)]
        answers += [client.post("/api/v1/tickets", json={"service": "HT"}, headers=kiosk)]
    # More than the limit of 3 a minute would allow: the limit fails open, never a 500.
    answers += [client.post("/api/v1/tickets", json={"service": "HT"}, headers=kiosk)]
    answers += [client.post("/api/v1/tickets", json={"service": "HT"}, headers=kiosk)]
    assert [answer.status_code for answer in answers] == [201] * 4
    assert any("does not answer" in r.getMessage() for r in caplog.records)
    process = {("process", process_name())}
    failures = _samples(first)
    key = ("xephang_redis_failures_total", frozenset({("part", "issue_limiter"), *process}))
    assert failures[key] == 4


def test_every_series_names_its_process(two_apps: tuple[Flask, Flask]) -> None:
    first, _second = two_apps
    samples = _samples(first)
    assert samples
    assert all(dict(labels).get("process") == process_name() for _name, labels in samples)
    assert process_name().startswith(socket.gethostname() + ":")
