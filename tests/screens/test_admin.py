"""Admin pages in Chromium: a change reaches open screens and devices without a reload."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import socketio
from playwright.sync_api import Browser, Page, expect

from queue_server.settings import Settings
from queue_server.workers.devices import DeviceWorker, build_devices
from queue_server.workers.remote import RemoteFeed

from .conftest import (
    PASSWORD,
    LiveServer,
    assert_accessible,
    screenshot,
    sign_in,
    start_server,
)

ADMIN_PAGES = ("services", "counters", "priorities", "kiosks", "notice", "users", "tokens", "audit")


@pytest.fixture(scope="module")
def server(
    demo_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    live = start_server(demo_settings, tmp_path_factory.mktemp("admin") / "data")
    live.user("quantri", "admin")
    yield live
    live.close()


@pytest.fixture
def admin_page(browser: Browser, server: LiveServer) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    sign_in(page, server, "quantri", "/admin/services")
    yield page
    context.close()


def open_item(page: Page, key: str) -> Any:
    item = page.locator(f"#item-{key}")
    item.locator("summary").click()
    return item


def save(item: Any) -> None:
    item.get_by_role("button", name="Lưu").click()


def open_display(browser: Browser, server: LiveServer) -> Page:
    """A hall display with its first snapshot drawn, marked to tell a reload apart."""
    display = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    display.goto(f"{server.url}/display?token={server.token('display')}")
    expect(display.locator("#board li")).not_to_have_count(0)
    display.evaluate("window.__sameDocument = true")  # a reload would lose this
    return display


_board_readers: dict[str, requests.Session] = {}


def board_reader(server: LiveServer) -> requests.Session:
    """A signed-in staff member's HTTP session: the virtual boards are for staff only."""
    if server.url not in _board_readers:
        session = requests.Session()
        username = server.user(f"boards-{server.port}", "officer")
        form = session.get(f"{server.url}/login", timeout=5).text
        csrf = form.split('name="csrf_token" value="')[1].split('"')[0]
        login = {"username": username, "password": PASSWORD, "csrf_token": csrf}
        assert session.post(f"{server.url}/login", data=login, timeout=5).ok
        _board_readers[server.url] = session
    return _board_readers[server.url]


def leds(server: LiveServer) -> dict[int, Any]:
    boards = board_reader(server).get(f"{server.url}/devices/leds.json", timeout=5).json()
    return {b["counter"]: b["text"] for b in boards}


def test_display_and_kiosk_show_a_renamed_service_and_a_new_counter_without_reload(
    browser: Browser, server: LiveServer, admin_page: Page
) -> None:
    display = open_display(browser, server)
    expect(display.locator("#board li")).to_have_count(6)
    kiosk = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    kiosk.goto(f"{server.url}/kiosk?token={server.token('kiosk')}")
    expect(kiosk.locator('[data-name="HT"]')).to_have_text("Hộ tịch")
    kiosk.evaluate("window.__sameDocument = true")
    officer_page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    sign_in(officer_page, server, server.user("canbo7", "officer"), "/officer")
    expect(officer_page.locator("#pick-counter")).to_be_visible()
    officer_page.evaluate("window.__sameDocument = true")

    # Rename a service on the admin page.
    item = open_item(admin_page, "HT")
    item.get_by_label("Tên", exact=True).fill("Hộ tịch – Khai sinh, kết hôn")
    save(item)
    expect(admin_page.get_by_role("status")).to_contain_text("Đã lưu")

    name = display.locator('#waiting [data-service="HT"] .d-waiting-name')
    expect(name).to_contain_text("Hộ tịch – Khai sinh, kết hôn", timeout=3000)
    expect(kiosk.locator('[data-name="HT"]')).to_have_text(
        "Hộ tịch – Khai sinh, kết hôn", timeout=3000
    )

    # Add a counter with its LED board.
    admin_page.goto(f"{server.url}/admin/counters")
    item = open_item(admin_page, "new")
    item.get_by_label("Số quầy").fill("7")
    item.get_by_label("Tên", exact=True).fill("Quầy 7 – Đất đai")
    item.get_by_label("Các dịch vụ, theo thứ tự ưu tiên").fill("DD, HKD")
    item.get_by_label("Đường truyền bảng LED").select_option("rs485")
    item.get_by_label("Địa chỉ bảng LED").fill("7")
    save(item)
    expect(admin_page.get_by_role("status")).to_contain_text("Đã lưu")
    expect(display.locator('#board [data-counter="7"]')).to_be_visible(timeout=3000)
    expect(display.locator("#board li")).to_have_count(7)
    pick = officer_page.locator('#counter-grid [data-counter="7"]')
    expect(pick).to_have_text("Quầy 7 – Đất đai", timeout=3000)  # the officer can pick it

    # The new counter works at once, and its board lights up.
    kiosk_token, officer = server.token("kiosk"), server.token("officer", counter=7)
    issued = server.api("POST", "/api/v1/tickets", kiosk_token, {"service": "DD"}).json()
    assert server.api("POST", "/api/v1/counters/7/next", officer, {}).status_code == 200
    number = display.locator('#board [data-counter="7"] .d-board-number')
    expect(number).to_have_text(issued["number"], timeout=3000)
    digits = str(int(issued["number"][1:]))
    assert _eventually(lambda: leds(server).get(7) == digits), leds(server)

    pick.click()  # the redrawn button works
    expect(officer_page.locator("#counter-name")).to_have_text("– Quầy 7 – Đất đai")
    for page in (display, kiosk, officer_page):
        assert page.evaluate("window.__sameDocument") is True
        page.context.close()


def test_the_notice_changes_on_an_open_display(
    browser: Browser, server: LiveServer, admin_page: Page
) -> None:
    display = open_display(browser, server)
    admin_page.goto(f"{server.url}/admin/notice")
    admin_page.get_by_role("textbox").fill("Chiều thứ Sáu Trung tâm nghỉ để tập huấn.")
    admin_page.get_by_role("button", name="Lưu").click()
    expect(admin_page.get_by_role("status")).to_contain_text("Đã lưu")
    expect(display.locator("#notice")).to_have_text(
        "Chiều thứ Sáu Trung tâm nghỉ để tập huấn.", timeout=3000
    )
    assert display.evaluate("window.__sameDocument") is True
    display.context.close()


def test_a_socketio_client_hears_the_change(server: LiveServer) -> None:
    client = socketio.Client(reconnection=False)
    heard: list[dict[str, Any]] = []
    snapshots: list[dict[str, Any]] = []
    client.on("settings_changed", heard.append, namespace="/display")
    client.on("snapshot", snapshots.append, namespace="/display")
    client.connect(
        server.url,
        namespaces=["/display"],
        auth={"token": server.token("display")},
        wait_timeout=10,
    )
    try:
        assert _eventually(lambda: len(snapshots) == 1)
        admin = server.token("admin")
        sections = server.api("GET", "/api/v1/admin/settings", admin).json()["sections"]
        priorities = sections["priorities"]
        priorities[1]["name"] = "Người cao tuổi (từ 60)"
        response = server.api(
            "PUT", "/api/v1/admin/settings/priorities", admin, {"value": priorities}
        )
        assert response.status_code == 200, response.text
        assert _eventually(lambda: len(heard) == 1)
        assert heard[0]["sections"] == ["priorities"]
        assert heard[0]["seq"] == snapshots[0]["seq"] + 1 or heard[0]["seq"] > snapshots[0]["seq"]
    finally:
        client.disconnect()


def test_the_embedded_worker_drives_a_board_at_its_new_address(server: LiveServer) -> None:
    officer = server.token("officer", counter=3)
    issued = server.api("POST", "/api/v1/tickets", server.token("kiosk"), {"service": "CT"}).json()
    assert server.api("POST", "/api/v1/counters/3/next", officer, {}).status_code == 200
    digits = str(int(issued["number"][1:]))
    assert _eventually(lambda: leds(server).get(3) == digits)
    admin = server.token("admin")
    boards = server.api("GET", "/api/v1/admin/settings", admin).json()["sections"]["led.boards"]
    next(b for b in boards if b["counter"] == 3)["address"] = 33
    response = server.api("PUT", "/api/v1/admin/settings/led.boards", admin, {"value": boards})
    assert response.status_code == 200, response.text
    # The rebuilt board at address 33 shows the counter's current number at once.
    assert _eventually(lambda: leds(server).get(3) == digits), leds(server)
    # The rebuilt boards report again once each has been written (one after another).
    assert _eventually(lambda: _led_bus_check(server)["ok"] is True), _led_bus_check(server)


def test_validation_errors_are_shown_next_to_the_field(
    server: LiveServer, admin_page: Page
) -> None:
    item = open_item(admin_page, "CT")
    item.get_by_label("Chữ đầu số thứ tự").fill("A")
    save(item)
    field = admin_page.locator("#CT-prefix")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(admin_page.locator("#CT-prefix-error")).to_contain_text("'A' bị dùng hai lần")
    expect(field).to_have_value("A")  # nothing typed is lost
    expect(admin_page.get_by_role("alert")).to_contain_text("Thay đổi chưa được lưu")
    assert_accessible(admin_page)
    screenshot(admin_page, "admin-services-error")


def test_tokens_created_on_the_page_work_until_revoked(
    server: LiveServer, admin_page: Page
) -> None:
    admin_page.goto(f"{server.url}/admin/tokens")
    admin_page.get_by_label("Tên (nơi sử dụng)").fill("Màn hình tầng 2")
    admin_page.get_by_label("Vai trò").select_option("display")
    admin_page.get_by_role("button", name="Tạo", exact=True).click()
    secret = admin_page.locator("#new-token").inner_text()
    assert server.api("GET", "/api/v1/state", secret).status_code == 200
    admin_page.goto(f"{server.url}/admin/tokens")
    assert secret not in admin_page.content()
    row = admin_page.locator("tr", has_text="Màn hình tầng 2")
    row.get_by_role("button", name="Thu hồi").click()
    expect(admin_page.locator("tr", has_text="Màn hình tầng 2")).to_contain_text("đã thu hồi")
    assert server.api("GET", "/api/v1/state", secret).status_code == 401


def test_admin_pages_are_accessible_and_drawn(server: LiveServer, admin_page: Page) -> None:
    for name in ADMIN_PAGES:
        admin_page.goto(f"{server.url}/admin/{name}")
        expect(admin_page.locator("h1")).to_be_visible()
        if name in ("services", "counters", "kiosks"):
            admin_page.locator("details.item summary").nth(1).click()
        assert_accessible(admin_page)
        screenshot(admin_page, f"admin-{name}")


def _led_bus_check(server: LiveServer) -> dict[str, Any]:
    devices = requests.get(f"{server.url}/api/v1/readyz", timeout=5).json()["devices"]
    return dict(devices["led:rs485"])


def _eventually(check: Any, timeout: float = 5.0) -> bool:
    """Poll ``check`` until it holds or ``timeout`` passes (a condition, not a sleep)."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not check():
        if time.monotonic() > deadline:
            return False
        pause.wait(0.05)
    return True


def test_a_separate_device_process_rebuilds_its_board_too(server: LiveServer) -> None:
    """``xephang devices`` hears settings_changed on /devices and fetches the settings."""
    settings = server.settings.model_copy(update={"data_dir": str(server.data_dir / "remote")})
    worker = DeviceWorker(settings, build_devices(settings)).start()
    feed = RemoteFeed(worker, server.url, server.token("display")).start()
    try:
        assert feed.connected.wait(10)
        officer = server.token("officer", counter=5)
        issued = server.api("POST", "/api/v1/tickets", server.token("kiosk"), {"service": "HKD"})
        assert server.api("POST", "/api/v1/counters/5/next", officer, {}).status_code == 200
        digits = str(int(issued.json()["number"][1:]))
        admin = server.token("admin")
        boards = server.api("GET", "/api/v1/admin/settings", admin).json()["sections"]["led.boards"]
        next(b for b in boards if b["counter"] == 5)["address"] = 55
        response = server.api("PUT", "/api/v1/admin/settings/led.boards", admin, {"value": boards})
        assert response.status_code == 200, response.text

        def shows_at_55() -> bool:
            board_set = worker.devices.boards
            bus = board_set.virtual["rs485"] if board_set is not None else None
            board = bus.boards.get(55) if bus is not None else None
            return board is not None and board.text == digits

        assert _eventually(shows_at_55), worker.settings.led.boards
        assert feed.settings_reloads == 2  # on connect, and after the change
    finally:
        feed.stop()
        worker.stop()
