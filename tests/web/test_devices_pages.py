"""The embedded device worker: kiosk tickets print, calls reach the LED boards."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from queue_server import create_app
from queue_server.auth.tokens import create_token
from queue_server.core.operations import Queue
from queue_server.core.printjobs import jobs_for_ticket, record_job
from queue_server.settings import Settings
from queue_server.workers.devices import DeviceWorker

from .conftest import sign_in


def bearer(queue: Queue, role: str, **options: object) -> dict[str, str]:
    secret, _info = create_token(queue.db, role, clock=queue.clock, **options)  # type: ignore[arg-type]
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def device_app(settings: Settings, sqlite_queue: Queue) -> Iterator[Flask]:
    app = create_app(settings, queue=sqlite_queue, testing=True, devices=True)
    yield app
    app.extensions["xephang_devices"].stop()


def test_kiosk_ticket_prints_and_call_lights_the_board(
    device_app: Flask, sqlite_queue: Queue
) -> None:
    client = device_app.test_client()
    issued = client.post(
        "/api/v1/tickets",
        json={"service": "CT"},
        headers=bearer(sqlite_queue, "kiosk", name="kiosk-1"),
    )
    assert issued.status_code == 201, issued.get_json()
    worker: DeviceWorker = device_app.extensions["xephang_devices"]
    printer = worker.devices.spoolers["kiosk-1"].printer
    assert printer.wait_for_prints(1, timeout=10)  # type: ignore[attr-defined]

    called = client.post(
        "/api/v1/counters/3/next", headers=bearer(sqlite_queue, "officer", counter=3)
    )
    assert called.status_code == 200
    virtual = worker.devices.boards.virtual["rs485"]  # type: ignore[union-attr]
    assert virtual.wait_until(lambda boards: boards[3].text == "1", timeout=5)

    officer, _csrf = sign_in(device_app, "officer")
    boards = officer.get("/devices/leds.json").get_json()
    assert {"counter": 3, "text": "1", "online": True} in boards
    admin, _csrf = sign_in(device_app, "admin")
    page = admin.get("/devices/printer").get_data(as_text=True)
    assert "C001" in page
    assert "Máy in sẵn sàng" in page or "Printer is ready" in page
    png_path = page.split('src="')[1].split('"')[0]
    png = admin.get(png_path)
    assert png.status_code == 200 and png.data.startswith(b"\x89PNG")

    # Staff only: a printed ticket's QR code is its tracking code.
    for path in ("/devices/printer", png_path, "/devices/leds", "/devices/leds.json"):
        stranger = client.get(path)
        assert stranger.status_code == 303 and "/login" in stranger.headers["Location"], path
    for path in ("/devices/printer", png_path):
        assert officer.get(path).status_code == 403, path
    for role in ("helpdesk", "manager"):
        reader, _csrf = sign_in(device_app, role)
        assert reader.get("/devices/leds").status_code == 200
        assert reader.get("/devices/printer").status_code == 403
    ready = client.get("/api/v1/readyz").get_json()
    assert ready["devices"]["printer:kiosk-1"]["ok"] is True
    assert ready["devices"]["led_boards"]["ok"] is True


def test_jobs_a_stopped_server_left_queued_are_abandoned_at_start(
    settings: Settings, sqlite_queue: Queue
) -> None:
    issued = sqlite_queue.issue("HT", channel="kiosk", kiosk="kiosk-1").value
    record_job(
        sqlite_queue.db,
        job_id=str(issued.id),
        kiosk="kiosk-1",
        state="queued",
        reason=None,
        detail="",
        attempts=0,
        awaiting_recovery=False,
        at=sqlite_queue.clock.now(),
    )
    app = create_app(settings, queue=sqlite_queue, testing=True, devices=True)
    try:
        [job] = jobs_for_ticket(sqlite_queue.db, issued.id)
        assert (job.state, job.reason) == ("failed", "abandoned")
        printer = app.extensions["xephang_devices"].devices.spoolers["kiosk-1"].printer
        assert printer.printed == []
    finally:
        app.extensions["xephang_devices"].stop()
