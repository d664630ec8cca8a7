"""The embedded device worker: kiosk tickets print, calls reach the LED boards."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace

import pytest
from flask import Flask

from queue_server.auth.tokens import create_token
from queue_server.core.operations import Queue
from queue_server.core.printjobs import jobs_for_ticket, record_job
from queue_server.runtime import start_app
from queue_server.settings import Settings
from queue_server.web.devices import PrintJobRecorder
from queue_server.web.screens import PACKAGE_DIR
from queue_server.web.state import runtime_of
from xephang.devices.printer import JobState, PrintJob, TicketPrintout, VirtualPrinter

from .conftest import sign_in


def bearer(queue: Queue, role: str, **options: object) -> dict[str, str]:
    secret, _info = create_token(queue.db, role, clock=queue.clock, **options)  # type: ignore[arg-type]
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def device_app(settings: Settings, sqlite_queue: Queue) -> Iterator[Flask]:
    app = start_app(settings, queue=sqlite_queue, testing=True, devices=True)
    yield app
    runtime_of(app).stop()


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
    worker = runtime_of(device_app).device_worker
    assert worker is not None
    spooler = worker.devices.spoolers["kiosk-1"]
    printer = spooler.printer
    assert printer.wait_for_prints(1, timeout=10)  # type: ignore[attr-defined]
    # The embedded worker prints the tracking QR code, though the bus payloads lack it.
    (job,) = spooler.jobs()
    assert isinstance(job.printout, TicketPrintout)
    assert job.printout.track_url is not None
    assert job.printout.track_url.endswith("/track/" + issued.get_json()["track_code"])

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
    assert ready["devices"]["led:rs485"]["ok"] is True


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
    app = start_app(settings, queue=sqlite_queue, testing=True, devices=True)
    try:
        [job] = jobs_for_ticket(sqlite_queue.db, issued.id)
        assert (job.state, job.reason) == ("failed", "abandoned")
        worker = runtime_of(app).device_worker
        assert worker is not None
        printer = worker.devices.spoolers["kiosk-1"].printer
        assert isinstance(printer, VirtualPrinter) and printer.count == 0
    finally:
        runtime_of(app).stop()


def test_device_pages_are_templates_with_their_own_script_and_style(device_app: Flask) -> None:
    """No inline HTML, CSS or JS in Python: the pages, their script and style are files."""
    admin, _csrf = sign_in(device_app, "admin")
    for path, script, json_url in (
        ("/devices/printer", "js/devices-printer.js", "/devices/printer.json"),
        ("/devices/leds", "js/devices-leds.js", "/devices/leds.json"),
    ):
        page = admin.get(path).get_data(as_text=True)
        assert "<style" not in page and "function " not in page, path
        data = json.loads(page.split('id="page-data">')[1].split("</script>")[0])
        assert data["json_url"] == json_url and all(data["texts"].values())
        for asset in (script, "css/devices.css"):
            assert f"/screens/static/{asset}" in page
            assert admin.get(f"/screens/static/{asset}").status_code == 200, asset


def test_axe_core_is_a_test_file_not_served(device_app: Flask) -> None:
    client = device_app.test_client()
    assert client.get("/screens/static/vendor/socket.io.min.js").status_code == 200
    assert client.get("/screens/static/vendor/axe.min.js").status_code == 404
    assert not list(PACKAGE_DIR.rglob("axe*"))


def test_the_print_job_recorder_keeps_only_recent_jobs(sqlite_queue: Queue) -> None:
    recorder = PrintJobRecorder(sqlite_queue.db, history=2)
    now = sqlite_queue.clock.now()
    printout = TicketPrintout("Trung tâm", "A001", "Hộ tịch", now, ahead=0)
    a, b, c = (str(sqlite_queue.issue("HT", kiosk="kiosk-1").value.id) for _ in range(3))
    for job_id in (a, b, c):
        job = PrintJob(job_id, printout, JobState.QUEUED, created_at=now, updated_at=now)
        recorder.record("kiosk-1", job)
    recorder.record("kiosk-1", replace(job, state=JobState.CONFIRMED))
    assert recorder.wait_for(c, "confirmed", timeout=0.01)
    assert recorder.wait_for(b, "queued", timeout=0.01)
    assert not recorder.wait_for(a, "queued", timeout=0.01)  # forgotten
    assert [job.state for job in jobs_for_ticket(sqlite_queue.db, int(a))] == ["queued"]
