"""``/devices/scan``: the administrator scans and proves devices through the worker."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import func, select

from queue_server.core.operations import Queue
from queue_server.core.printjobs import PrintJobRecord
from queue_server.runtime import start_app
from queue_server.settings import Settings
from queue_server.web.state import runtime_of
from xephang.devices.printer.fake_network import FakeNetworkPrinter

from .conftest import sign_in


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeNetworkPrinter]:
    with FakeNetworkPrinter(width=576) as printer:
        yield printer


@pytest.fixture
def device_app(settings: Settings, sqlite_queue: Queue) -> Iterator[Flask]:
    app = start_app(settings, queue=sqlite_queue, testing=True, devices=True)
    yield app
    runtime_of(app).stop()


def test_the_admin_scans_and_proves_the_devices(
    device_app: Flask, fake: FakeNetworkPrinter, sqlite_queue: Queue
) -> None:
    admin, csrf = sign_in(device_app, "admin")
    page = admin.get("/devices/scan")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-kiosk="kiosk-1"' in html and "Hiện 888" in html
    menu = admin.get("/admin/users").get_data(as_text=True)  # the admin menu leads there
    assert '<a href="/devices/scan">Tìm thiết bị</a>' in menu

    found = admin.post(
        "/devices/scan",
        json={"network": "127.0.0.1/32", "network_port": fake.port, "ports": []},
        headers=csrf,
    )
    assert found.status_code == 200, found.get_json()
    result = found.get_json()
    assert [(p["host"], p["port"], p["escpos"]) for p in result["network_printers"]] == [
        ("127.0.0.1", fake.port, True)
    ]
    assert {"kind": "printer", "name": "kiosk-1"} in result["twins"]
    assert {"kind": "led-bus", "name": "rs485"} in result["twins"]
    assert 'kind = "network"' in result["snippet"]

    worker = runtime_of(device_app).device_worker
    assert worker is not None
    printer = worker.devices.spoolers["kiosk-1"].printer
    printed = admin.post("/devices/scan/test-print", json={"kiosk": "kiosk-1"}, headers=csrf)
    assert printed.status_code == 200, printed.get_json()
    assert printed.get_json()["state"] == "confirmed"
    assert printer.wait_for_prints(1, timeout=10)  # type: ignore[attr-defined]
    with sqlite_queue.db.read() as conn:  # a test ticket is no queue ticket: not recorded
        assert conn.execute(select(func.count()).select_from(PrintJobRecord)).scalar() == 0

    board = device_app.extensions["xephang"].settings.led.boards[0]
    shown = admin.post(
        "/devices/scan/show-board", json={"bus": board.bus, "address": board.address},
        headers=csrf,
    )  # fmt: skip
    assert shown.status_code == 200, shown.get_json()
    twin = worker.devices.boards.virtual[board.bus]  # type: ignore[union-attr]
    assert twin.wait_until(lambda boards: boards[board.address].text == "888", timeout=5)


def test_bad_requests_and_strangers(device_app: Flask) -> None:
    admin, csrf = sign_in(device_app, "admin")
    for body, _field in [
        ({"network": "10.0.0.0/8"}, "network"),
        ({"network": "8.8.8.8/32"}, "network"),
        ({"network_port": 0}, "network_port"),
        ({"ports": "/dev/ttyUSB0"}, "ports"),
    ]:
        answer = admin.post("/devices/scan", json=body, headers=csrf)
        assert answer.status_code == 400 and answer.get_json()["error"], body
    unknown = admin.post("/devices/scan/test-print", json={"kiosk": "nowhere"}, headers=csrf)
    assert (
        unknown.status_code == 409 and "xephang devices test-print" in unknown.get_json()["error"]
    )
    bus = device_app.extensions["xephang"].settings.led.boards[0].bus
    absent = admin.post("/devices/scan/show-board", json={"bus": bus, "address": 200}, headers=csrf)
    assert absent.status_code == 404
    assert admin.post("/devices/scan", json={}).status_code == 403  # no CSRF header

    officer, officer_csrf = sign_in(device_app, "officer")
    assert officer.get("/devices/scan").status_code == 403
    assert officer.post("/devices/scan", json={}, headers=officer_csrf).status_code == 403
    stranger = device_app.test_client().get("/devices/scan")
    assert stranger.status_code == 303 and "/login" in stranger.headers["Location"]
