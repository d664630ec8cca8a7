"""Health, readiness (with device checks), Prometheus metrics, and a real HTTP server."""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from alembic import command
from flask import Flask
from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families
from werkzeug.serving import BaseWSGIServer, make_server

from queue_server.core.bootstrap import open_queue
from queue_server.core.db import Database
from queue_server.core.operations import Queue
from queue_server.core.schema import alembic_config
from queue_server.runtime import start_app
from queue_server.settings import Settings

TokenMaker = Callable[..., dict[str, str]]


def test_healthz_and_readyz(client: FlaskClient, app: Flask) -> None:
    assert client.get("/api/v1/healthz").get_json() == {"status": "ok"}
    ready = client.get("/api/v1/readyz")
    assert ready.status_code == 200
    assert ready.get_json()["checks"]["schema"] == {"ok": True}

    devices = app.extensions["xephang"].device_status
    devices["printer-1"] = lambda: {"ok": False, "detail": "paper out"}
    unplugged = client.get("/api/v1/readyz")
    assert unplugged.status_code == 200  # a device does not take the node out of service
    body = unplugged.get_json()
    assert body["status"] == "ready"
    assert body["devices"]["printer-1"] == {"ok": False, "detail": "paper out"}
    assert all(check["ok"] for check in body["checks"].values())

    def broken() -> bool:
        raise OSError("no such device")

    devices["printer-1"] = lambda: True
    devices["led"] = broken
    found = client.get("/api/v1/readyz")
    assert found.status_code == 200
    assert found.get_json()["devices"]["printer-1"] == {"ok": True}
    assert found.get_json()["devices"]["led"]["ok"] is False


def test_readyz_fails_when_schema_is_behind(settings: Settings, tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path}/old.db")
    queue = open_queue(settings, db=database)
    app = start_app(settings, queue=queue, testing=True)
    config = alembic_config()
    with database.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0001")
    response = app.test_client().get("/api/v1/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["schema"] == {"ok": False}
    database.dispose()


def _samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """The exposition read by prometheus_client's own parser: value by name and labels."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_metrics_exposition(client: FlaskClient, token: TokenMaker) -> None:
    kiosk = token("kiosk")
    officer = token("officer", counter=2)
    for _ in range(3):
        client.post("/api/v1/tickets", json={"service": "HT"}, headers=kiosk)
    client.post("/api/v1/counters/2/next", headers=officer)
    client.post("/api/v1/counters/2/recall", headers=officer)
    response = client.get("/api/v1/metrics")
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain; version=0.0.4")
    text = response.get_data(as_text=True)
    samples = _samples(text)
    assert samples[("xephang_tickets_issued_total", frozenset({("service", "HT")}))] == 3
    assert samples[("xephang_tickets_waiting", frozenset({("service", "HT")}))] == 2
    assert samples[("xephang_tickets_waiting", frozenset({("service", "CT")}))] == 0
    assert samples[("xephang_tickets_issued_total", frozenset({("service", "CT")}))] == 0
    calls = "xephang_calls_total"
    assert samples[(calls, frozenset({("counter", "2"), ("recall", "false")}))] == 1
    assert samples[(calls, frozenset({("counter", "2"), ("recall", "true")}))] == 1
    assert "# TYPE xephang_http_request_duration_seconds histogram" in text.splitlines()
    route = {("method", "POST"), ("route", "/api/v1/tickets")}
    assert samples[("xephang_http_request_duration_seconds_count", frozenset(route))] == 3
    buckets = sorted(
        (float(dict(labels)["le"]), value)
        for (name, labels), value in samples.items()
        if name == "xephang_http_request_duration_seconds_bucket" and route < labels
    )
    counts = [value for _le, value in buckets]
    assert len(buckets) == 13 and counts == sorted(counts)
    assert buckets[-1] == (float("inf"), 3)
    assert not any(name.endswith("_created") for name, _labels in samples)


def test_each_app_counts_into_its_own_registry(
    app: Flask, client: FlaskClient, settings: Settings, queue: Queue, token: TokenMaker
) -> None:
    """Two apps in one process (as in the tests) do not share metrics."""
    other = start_app(settings, queue=queue, testing=True)
    client.post("/api/v1/tickets", json={"service": "HT"}, headers=token("kiosk"))
    mine = _samples(client.get("/api/v1/metrics").get_data(as_text=True))
    theirs = _samples(other.test_client().get("/api/v1/metrics").get_data(as_text=True))
    issued = ("xephang_tickets_issued_total", frozenset({("service", "HT")}))
    assert (mine[issued], theirs[issued]) == (1, 0)
    assert app.extensions["xephang"].metrics.registry is not (
        other.extensions["xephang"].metrics.registry
    )


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The app on a real TCP port of 127.0.0.1 (threaded Werkzeug server)."""
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


def _request(
    address: str, method: str, path: str, body: object = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    host, port = address.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    payload = json.dumps(body).encode() if body is not None else None
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    connection.request(method, path, body=payload, headers=all_headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), data


def test_real_server_round_trip(live_server: str, token: TokenMaker) -> None:
    kiosk = token("kiosk")
    officer = token("officer", counter=3)
    status, _headers, data = _request(
        live_server, "POST", "/api/v1/tickets", {"service": "CT"}, kiosk
    )
    assert status == 201
    number = json.loads(data)["number"]
    status, _headers, data = _request(live_server, "POST", "/api/v1/counters/3/next", None, officer)
    assert status == 200 and json.loads(data)["ticket"]["number"] == number
    status, headers, data = _request(live_server, "GET", "/api/v1/nothing-here")
    assert status == 404 and headers["Content-Type"] == "application/json"
    assert "error" in json.loads(data)
    big = {"service": "x" * 70_000}
    status, _headers, data = _request(live_server, "POST", "/api/v1/tickets", big, kiosk)
    assert status == 413 and "error" in json.loads(data)
