"""``/devices/scan`` in Chromium: the administrator scans, then proves a board and a
printer with the page's buttons (through the server's device worker)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from queue_server.settings import Settings
from xephang.devices.printer.fake_network import FakeNetworkPrinter

from .conftest import LiveServer, assert_accessible, sign_in, start_server


@pytest.fixture(scope="module")
def server(
    demo_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    live = start_server(demo_settings, tmp_path_factory.mktemp("scan") / "data")
    yield live
    live.close()


@pytest.fixture
def admin_page(browser: Browser, server: LiveServer) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    sign_in(page, server, server.user("quantri-scan", "admin"), "/devices/scan")
    yield page
    context.close()


def test_scan_then_show_888_and_print_a_test_ticket(server: LiveServer, admin_page: Page) -> None:
    page = admin_page
    expect(page.get_by_role("heading", name="Tìm và kiểm tra thiết bị")).to_be_visible()
    with FakeNetworkPrinter(width=576) as fake:
        page.get_by_label("Mạng cần dò tìm máy in").fill("127.0.0.1/32")
        page.get_by_label("Cổng", exact=True).fill(str(fake.port))
        page.get_by_role("button", name="Dò tìm").click()
        expect(page.locator("#scan-result")).to_contain_text(
            f"127.0.0.1:{fake.port} — Máy in ESC/POS"
        )
    expect(page.locator("#scan-result")).to_contain_text("printer: kiosk-1")
    expect(page.locator("#scan-snippet")).to_contain_text('kind = "network"')
    assert_accessible(page)

    page.get_by_role("button", name="Hiện 888").first.click()
    expect(page.locator("#check-status")).to_contain_text("hiện 888 cho đến lần gọi số tiếp theo")
    page.get_by_role("button", name="In phiếu thử: kiosk-1").click()
    expect(page.locator("#check-status")).to_contain_text("Đã gửi phiếu in thử tới kiosk-1")

    page.get_by_label("Mạng cần dò tìm máy in").fill("10.0.0.0/8")
    page.get_by_role("button", name="Dò tìm").click()
    expect(page.locator("#scan-status")).to_contain_text("quá lớn")
