"""The kiosk knows its printer: printed, failed during the job, or out of paper before it.
The fault shows on the device pages, the admin's kiosks page and the device status."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from queue_server.auth.tokens import create_token
from queue_server.settings import Settings

from .conftest import (
    LiveServer,
    assert_accessible,
    screenshot,
    sign_in,
    start_server,
)

FAILED = (
    "Máy in đang gặp sự cố. Quý vị vui lòng ghi nhớ số thứ tự của mình"
    " hoặc hỏi quầy Hướng dẫn – Hỗ trợ."
)


@pytest.fixture(scope="module")
def printing(
    demo_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    live = start_server(demo_settings, tmp_path_factory.mktemp("printing") / "data")
    yield live
    live.close()


def kiosk_token(server: LiveServer) -> str:
    """A token of the kiosk that has the (virtual) printer, ``kiosk-1``."""
    secret, _info = create_token(server.queue.db, "kiosk", name="kiosk-1")
    return secret


def take_number(page: Page, service: str) -> dict[str, Any]:
    page.click(f'[data-service="{service}"]')
    with page.expect_response("**/api/v1/tickets") as answer:
        page.click('#step-priority [data-priority=""]')
    body: dict[str, Any] = answer.value.json()
    expect(page.locator("#ticket-number")).to_have_text(body["number"])
    return body


def device_check(server: LiveServer) -> dict[str, Any]:
    """The printer's entry in the readiness answer's device part."""
    answer = requests.get(f"{server.url}/api/v1/readyz", timeout=5).json()

    def find(node: Any) -> dict[str, Any] | None:
        if isinstance(node, dict):
            for key, value in node.items():
                if str(key).endswith("printer:kiosk-1") and isinstance(value, dict):
                    return value
                found = find(value)
                if found is not None:
                    return found
        return None

    found = find(answer)
    assert found is not None, answer
    return found


def test_the_kiosk_says_what_became_of_the_paper(
    page: Page, browser: Browser, printing: LiveServer
) -> None:
    server = printing
    printer_page = browser.new_page(locale="vi-VN")  # the administrator's: tickets' QR codes
    sign_in(printer_page, server, server.user("quantri-mayin", "admin"), "/devices/printer")
    figures = printer_page.locator('[data-kiosk="kiosk-1"] figure')
    expect(figures).to_have_count(0)

    page.goto(f"{server.url}/kiosk?token={kiosk_token(server)}")
    ticket = take_number(page, "HT")
    assert ticket["print"]["kiosk"] == "kiosk-1" and ticket["print"]["ok"] is True
    step = page.locator("#step-ticket")
    expect(step).to_have_attribute("data-print", "printed")
    expect(page.locator("#ticket-take")).to_have_text("Quý vị vui lòng nhận phiếu và chờ gọi số.")
    expect(page.locator("#ticket-print-failed")).to_be_hidden()
    # The virtual printer's page shows the new ticket without a reload.
    expect(figures).to_have_count(1)
    expect(figures.first).to_contain_text(ticket["number"])
    assert_accessible(printer_page)

    # The paper runs out: the spooler learns it only when the next job fails.
    admin = server.token("admin")
    changed = server.api("POST", "/devices/printer/kiosk-1/state", admin, {"state": "paper_out"})
    assert changed.status_code == 200, changed.text
    page.click("#done")
    during = take_number(page, "CT")
    assert during["print"]["ok"] is True  # as far as anyone knew before the job
    expect(page.locator("#ticket-print-failed")).to_have_text(FAILED)
    expect(page.locator("#ticket-take")).to_be_hidden()
    expect(step).to_have_attribute("data-print", "failed")
    big = page.evaluate(
        "parseFloat(getComputedStyle(document.getElementById('ticket-number')).fontSize)"
    )
    assert big >= 240
    assert_accessible(page)
    screenshot(page, "kiosk-print-failed")

    # Now the fault is known before the job: the answer says so, the kiosk at once.
    page.click("#done")
    before = take_number(page, "DD")
    assert before["print"]["ok"] is False and before["print"]["state"] == "paper_out"
    expect(step).to_have_attribute("data-print", "failed")

    # Device status, the virtual printer's page and the admin's kiosks page show the fault.
    check = device_check(server)
    assert check["state"] == "paper_out" and check["ok"] is False
    assert check["message"] == "Máy in hết giấy"
    status = printer_page.locator('[data-kiosk="kiosk-1"] .status')
    expect(status).to_contain_text("Máy in hết giấy")
    expect(status).to_have_class("status fault")
    admin_page = browser.new_page(locale="vi-VN")
    sign_in(admin_page, server, server.user("quantri-printer", "admin"), "/admin/kiosks")
    note = admin_page.locator('[data-note="kiosk-1"]')
    expect(note).to_have_text("Máy in hiện tại: Máy in hết giấy")
    expect(note).to_have_class("note fault")
    admin_page.close()
    printer_page.close()


def test_only_an_admin_fakes_a_virtual_printer(printing: LiveServer) -> None:
    server = printing
    path = "/devices/printer/kiosk-1/state"
    assert server.api("POST", path, kiosk_token(server), {"state": "offline"}).status_code == 403
    admin = server.token("admin")
    assert server.api("POST", path, admin, {"state": "burning"}).status_code == 400
    assert (
        server.api(
            "POST", "/devices/printer/nowhere/state", admin, {"state": "offline"}
        ).status_code
        == 404
    )
    # A kiosk follows only its own print jobs.
    mine = kiosk_token(server)
    job = server.api("POST", "/api/v1/tickets", mine, {"service": "HD"}).json()["print"]["job"]
    deadline = time.monotonic() + 10
    while server.api("GET", f"/api/v1/print-jobs/{job}", mine).status_code != 200:
        assert time.monotonic() < deadline, "the job was never recorded"
    other, _info = create_token(server.queue.db, "kiosk", name="kiosk-2")
    assert server.api("GET", f"/api/v1/print-jobs/{job}", other).status_code == 404
