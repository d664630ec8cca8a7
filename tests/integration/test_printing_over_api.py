"""Kiosk tickets print on a (fake) network printer; a dead printer never slows issuing."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from queue_server.auth.tokens import create_token
from queue_server.core.bootstrap import open_queue
from queue_server.core.operations import Queue
from queue_server.core.printjobs import jobs_for_ticket
from queue_server.runtime import start_app
from queue_server.settings import load_settings
from queue_server.web.state import runtime_of
from xephang.devices.printer.fake_network import FakeMode, FakeNetworkPrinter
from xephang.devices.printer.spooler import PrintSpooler

from .conftest import center_config


def printer_toml(port: int) -> str:
    return f"""
[[kiosks]]
name = "kiosk-1"

[kiosks.printer]
kind = "network"
host = "127.0.0.1"
port = {port}
timeout_s = 0.5
status_timeout_s = 0.3
confirm_timeout_s = 0.5

[kiosks.printer.retry]
attempts = 2
backoff_initial_s = 0.05
backoff_max_s = 0.1
reprint_on_recovery = true
recovery_poll_s = 0.05

[voice]
enabled = false
"""


@pytest.fixture
def fake() -> Iterator[FakeNetworkPrinter]:
    with FakeNetworkPrinter(576) as printer:
        yield printer


@pytest.fixture
def rig(tmp_path: Path, fake: FakeNetworkPrinter) -> Iterator[tuple[Flask, Queue, dict[str, str]]]:
    settings = load_settings(center_config(tmp_path, printer_toml(fake.port)))
    queue = open_queue(settings)
    app = start_app(settings, queue=queue, testing=True, devices=True)
    secret, _ = create_token(queue.db, "kiosk", name="kiosk-1", clock=queue.clock)
    yield app, queue, {"Authorization": f"Bearer {secret}"}
    runtime_of(app).stop()
    queue.db.dispose()


def recorded(app: Flask, job_id: str, state: str) -> bool:
    return runtime_of(app).print_jobs.wait_for(job_id, state)  # type: ignore[union-attr]


def spooler(app: Flask) -> PrintSpooler:
    return runtime_of(app).device_worker.devices.spoolers["kiosk-1"]  # type: ignore[union-attr]


def issue(app: Flask, headers: dict[str, str]) -> tuple[int, float]:
    started = time.perf_counter()
    response = app.test_client().post("/api/v1/tickets", json={"service": "CT"}, headers=headers)
    elapsed = time.perf_counter() - started
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"], elapsed


def test_ticket_prints_and_is_confirmed(
    rig: tuple[Flask, Queue, dict[str, str]], fake: FakeNetworkPrinter
) -> None:
    app, queue, headers = rig
    ticket_id, _ = issue(app, headers)
    job = spooler(app).wait_done(str(ticket_id), timeout=10)
    assert job.state.value == "confirmed"
    assert fake.wait_for_tickets(1)
    assert recorded(app, str(ticket_id), "confirmed")
    (record,) = jobs_for_ticket(queue.db, ticket_id)
    assert (record.state, record.kiosk) == ("confirmed", "kiosk-1")


@pytest.mark.parametrize(
    ("mode", "reason"), [(FakeMode.OFF, "offline"), (FakeMode.PAPER_OUT, "paper_out")]
)
def test_dead_printer_never_slows_issuing_and_prints_on_recovery(
    rig: tuple[Flask, Queue, dict[str, str]],
    fake: FakeNetworkPrinter,
    mode: FakeMode,
    reason: str,
) -> None:
    app, queue, headers = rig
    alive_id, alive_s = issue(app, headers)
    spooler(app).wait_done(str(alive_id), timeout=10)
    fake.set_mode(mode)
    dead_id, dead_s = issue(app, headers)
    # Issuing does not wait for the printer: same order of time as with it alive.
    assert dead_s < alive_s + 0.25
    failed = spooler(app).wait_for(
        str(dead_id), lambda job: job.state.value == "failed" and job.awaiting_recovery, 10
    )
    assert failed.reason is not None and failed.reason.value == reason
    assert recorded(app, str(dead_id), "failed")
    record = jobs_for_ticket(queue.db, dead_id)[0]
    assert (record.state, record.reason) == ("failed", reason)
    fake.set_mode(FakeMode.OK)
    done = spooler(app).wait_done(str(dead_id), timeout=10)
    assert done.state.value == "confirmed"
    assert fake.wait_for_tickets(2)
    assert recorded(app, str(dead_id), "confirmed")
    assert jobs_for_ticket(queue.db, dead_id)[0].state == "confirmed"


def test_help_desk_reprints_a_ticket(
    rig: tuple[Flask, Queue, dict[str, str]], fake: FakeNetworkPrinter
) -> None:
    app, queue, headers = rig
    ticket_id, _ = issue(app, headers)
    spooler(app).wait_done(str(ticket_id), timeout=10)
    secret, _ = create_token(queue.db, "admin", clock=queue.clock)
    admin = {"Authorization": f"Bearer {secret}"}
    client = app.test_client()
    response = client.post(f"/api/v1/tickets/{ticket_id}/reprint", json={}, headers=admin)
    assert response.status_code == 202
    job_id = response.get_json()["job_id"]
    assert job_id == f"{ticket_id}-r1"
    assert spooler(app).wait_done(job_id, timeout=10).state.value == "confirmed"
    assert fake.wait_for_tickets(2)
    assert recorded(app, job_id, "confirmed")
    jobs = client.get(f"/api/v1/tickets/{ticket_id}/print-jobs", headers=admin).get_json()["jobs"]
    assert [(j["id"], j["reprint"], j["state"]) for j in jobs] == [
        (str(ticket_id), False, "confirmed"),
        (job_id, True, "confirmed"),
    ]
    missing = client.post(
        f"/api/v1/tickets/{ticket_id}/reprint", json={"kiosk": "nowhere"}, headers=admin
    )
    assert missing.status_code == 404
    assert "error" in missing.get_json()
