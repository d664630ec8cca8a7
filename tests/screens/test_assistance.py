"""Calls for assistance in Chromium: a citizen presses "Tôi cần hỗ trợ" on the kiosk,
the help desk sees the call live with its timer and a chime, a volunteer takes it on a
phone, the help desk sees who took it, and closing it records the help; axe on all three."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import update

from queue_server.auth.tokens import create_token
from queue_server.core.models import User

from .conftest import LiveServer, assert_accessible, screenshot, sign_in


def _page(browser: Browser, width: int, height: int) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
    yield context.new_page()
    context.close()


@pytest.fixture
def kiosk(browser: Browser) -> Iterator[Page]:
    yield from _page(browser, 1080, 1920)


@pytest.fixture
def desk(browser: Browser) -> Iterator[Page]:
    yield from _page(browser, 1366, 768)


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    yield from _page(browser, 390, 844)


def test_a_kiosk_call_is_seen_live_taken_on_a_phone_and_closed_with_a_help_record(
    kiosk: Page, desk: Page, phone: Page, server: LiveServer
) -> None:
    volunteer = server.user("hoa-tnv", "volunteer")
    with server.queue.db.write() as conn:
        conn.execute(
            update(User).where(User.username == volunteer).values(display_name="Trần Thị Hoa")
        )
    sign_in(desk, server, server.user("thu-hd", "helpdesk"), "/helpdesk")
    sign_in(phone, server, volunteer, "/assist")
    alerts = desk.locator("#alerts")
    empty = desk.locator("#alerts-empty")
    expect(empty).to_have_text("Hiện không có yêu cầu hỗ trợ.")

    token, _info = create_token(server.queue.db, "kiosk", name="kiosk-1")
    kiosk.goto(f"{server.url}/kiosk?token={token}")
    kiosk.get_by_role("button", name="Tôi cần hỗ trợ").click()
    expect(kiosk.locator("#step-help")).to_contain_text("Cán bộ đang đến hỗ trợ")
    kiosk.wait_for_function("window.XP.helpLog.length === 1")  # said aloud (voice is on)
    assert_accessible(kiosk)

    call = alerts.locator(".al-call")
    expect(call).to_have_count(1)
    expect(empty).to_be_hidden()
    expect(call).to_contain_text("Ki-ốt Kiosk sảnh chờ")
    expect(call).to_contain_text("Cần hỗ trợ chung")
    timer = call.locator("[role=timer]")
    expect(timer).to_have_text("Đã chờ 0:00")
    expect(timer).to_have_text("Đã chờ 0:01", timeout=3000)  # it counts up by itself
    desk.wait_for_function("window.XP.alertLog.length === 1")  # the chime played
    assert_accessible(desk)
    screenshot(desk, "helpdesk-alerts")

    phone_call = phone.locator("#alerts .al-call")
    expect(phone_call).to_contain_text("Ki-ốt Kiosk sảnh chờ")
    phone_call.get_by_role("button", name="Tôi đi hỗ trợ").click()
    expect(phone_call).to_contain_text("Bạn đã nhận yêu cầu này.")
    expect(call).to_contain_text("Đã nhận: Tình nguyện viên Hoa")
    expect(call.get_by_role("button", name="Tôi đi hỗ trợ")).to_have_count(0)
    assert_accessible(phone)
    screenshot(phone, "assist-alerts-phone")

    expect(phone_call.get_by_role("combobox", name="Hỗ trợ đã thực hiện")).to_have_value("guidance")
    phone_call.get_by_role("button", name="Xong: ghi nhận hỗ trợ").click()
    expect(phone.locator("#alerts-message")).to_have_text("Đã đóng; đã ghi nhận hỗ trợ.")
    expect(alerts.locator(".al-call")).to_have_count(0)
    expect(empty).to_be_visible()
    counts = server.api("GET", "/api/v1/assists", server.token("admin")).json()
    assert [(c["kind"], c["count"]) for c in counts["cells"]] == [("guidance", 1)]
    closed = server.api("GET", "/api/v1/assistance-calls?status=closed", server.token("admin"))
    assert [c["taken_by"] for c in closed.json()["calls"]] == [{"role": "volunteer", "name": "Hoa"}]
