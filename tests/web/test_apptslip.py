"""An appointment booked at a kiosk prints its slip on the kiosk's printer: the booking
made over the API with a kiosk token, its event, the device worker, the virtual twin
keeping the PNG, the print job the kiosk follows, and a printer out of paper."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from PIL import Image

from queue_server.auth.tokens import create_token
from queue_server.core.operations import Queue
from queue_server.runtime import start_app
from queue_server.settings import Settings
from queue_server.web.state import runtime_of
from xephang.devices.printer import RetryPolicy, SlipPrintout
from xephang.devices.printer.status import PrinterState

PATH = "/api/v1/appointments"
TUESDAY_0800 = "2026-11-24T08:00:00+07:00"
KIOSK_URL = "http://10.20.30.40:5000"


@pytest.fixture
def kiosk_app(settings: Settings, sqlite_queue: Queue) -> Iterator[Flask]:
    """The demo center with its embedded device worker; the kiosk's virtual printer
    tries once (a fault fails the job at once)."""
    kiosks = [
        kiosk.model_copy(
            update={"printer": kiosk.printer.model_copy(update={"retry": RetryPolicy(attempts=1)})}
        )
        if kiosk.printer is not None
        else kiosk
        for kiosk in settings.kiosks
    ]
    app = start_app(
        settings.model_copy(update={"kiosks": kiosks}),
        queue=sqlite_queue,
        testing=True,
        devices=True,
    )
    yield app
    runtime_of(app).stop()


def kiosk_headers(queue: Queue) -> dict[str, str]:
    secret, _info = create_token(queue.db, "kiosk", name="kiosk-1", clock=queue.clock)
    return {"Authorization": f"Bearer {secret}"}


def book(app: Flask, headers: dict[str, str]) -> dict[str, Any]:
    answer = app.test_client().post(
        PATH, json={"service": "HT", "start": TUESDAY_0800}, headers=headers, base_url=KIOSK_URL
    )
    assert answer.status_code == 201, answer.get_json()
    return dict(answer.get_json())


def virtual_printer(app: Flask) -> Any:
    return runtime_of(app).device_worker.devices.spoolers["kiosk-1"].printer  # type: ignore[union-attr]


def test_a_slip_booked_at_the_kiosk_is_printed_and_followed(
    kiosk_app: Flask, sqlite_queue: Queue
) -> None:
    headers = kiosk_headers(sqlite_queue)
    booked = book(kiosk_app, headers)
    job_id = f"slip-{booked['id']}"
    assert booked["print"]["kiosk"] == "kiosk-1" and booked["print"]["job"] == job_id
    printer = virtual_printer(kiosk_app)
    assert printer.wait_for_prints(1, timeout=10)
    printed = printer.printed[-1]
    slip = printed.printout
    assert isinstance(slip, SlipPrintout)
    assert slip.code_shown == booked["code_shown"]
    assert slip.service_name == booked["service_name"]
    assert slip.slip_url == f"{KIOSK_URL}/appointments/slip/{booked['code']}"
    assert (slip.slot_start.isoformat(), slip.slot_end.hour) == (TUESDAY_0800, 8)
    # The twin keeps the PNG: the slip as the printer would print it.
    assert printed.path is not None and printed.path.name.endswith(".png")
    with Image.open(printed.path) as png:
        assert png.width == 576 and png.height > 600
        assert png.convert("1").tobytes() == printer.render(slip).preview().tobytes()
    assert runtime_of(kiosk_app).print_jobs.wait_for(job_id, "confirmed")  # type: ignore[union-attr]
    followed = kiosk_app.test_client().get(f"/api/v1/print-jobs/{job_id}", headers=headers)
    assert followed.status_code == 200, followed.get_json()
    job = followed.get_json()["job"]
    assert (job["state"], job["ticket_id"], job["appointment_id"]) == (
        "confirmed",
        None,
        booked["id"],
    )
    # Another kiosk may not follow it; the help desk's booking prints nothing.
    secret, _info = create_token(sqlite_queue.db, "kiosk", name="kiosk-2", clock=sqlite_queue.clock)
    other = {"Authorization": f"Bearer {secret}"}
    refused = kiosk_app.test_client().get(f"/api/v1/print-jobs/{job_id}", headers=other)
    assert refused.status_code == 404
    admin, _info = create_token(sqlite_queue.db, "admin", clock=sqlite_queue.clock)
    by_desk = book(kiosk_app, {"Authorization": f"Bearer {admin}"})
    assert "print" not in by_desk
    assert runtime_of(kiosk_app).device_worker.drain()  # type: ignore[union-attr]
    assert printer.count == 1


def test_a_printer_out_of_paper_fails_the_slip_like_a_ticket(
    kiosk_app: Flask, sqlite_queue: Queue
) -> None:
    headers = kiosk_headers(sqlite_queue)
    virtual_printer(kiosk_app).set_state(PrinterState.PAPER_OUT)
    booked = book(kiosk_app, headers)
    job_id = booked["print"]["job"]
    assert runtime_of(kiosk_app).print_jobs.wait_for(job_id, "failed")  # type: ignore[union-attr]
    answer = kiosk_app.test_client().get(f"/api/v1/print-jobs/{job_id}", headers=headers)
    assert answer.status_code == 200
    assert answer.get_json()["job"]["reason"] == "paper_out"
    assert answer.get_json()["printer"]["state"] == "paper_out"
    assert answer.get_json()["printer"]["ok"] is False
    # The booking stands: the slip is on screen, the code can be looked up.
    found = kiosk_app.test_client().get(f"/appointments/slip/{booked['code']}")
    assert found.status_code == 200 and booked["code_shown"] in found.get_data(as_text=True)
