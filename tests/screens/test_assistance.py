"""Calls for assistance in Chromium: a citizen presses "Tôi cần hỗ trợ" on the kiosk,
the help desk sees the call live with its timer and a chime, a volunteer takes it on a
phone, the help desk sees who took it, and closing it records the help; then an officer
asks for help at the counter, sees who comes, and cancels. axe on every page."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import update

from queue_server.auth.tokens import create_token
from queue_server.core.models import User

from .conftest import LiveServer, assert_accessible, page_of, screenshot, sign_in


@pytest.fixture
def kiosk(browser: Browser) -> Iterator[Page]:
    yield from page_of(browser, 1080, 1920)


@pytest.fixture
def desk(browser: Browser) -> Iterator[Page]:
    yield from page_of(browser, 1366, 768)


def seconds(text: str) -> int:
    minutes, secs = text.rsplit(" ", 1)[1].split(":")
    return int(minutes) * 60 + int(secs)


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
    expect(timer).to_have_text(re.compile(r"^Đã chờ 0:[0-5]\d$"))
    first = timer.inner_text()
    expect(timer).not_to_have_text(first, timeout=3000)  # it counts up by itself
    assert seconds(timer.inner_text()) > seconds(first)
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

    # The kiosk's screen is now an officer's console (a session of its own).
    officer = kiosk
    sign_in(officer, server, server.user("lan-qh", "officer"), "/officer")
    officer.click('[data-counter="5"]')
    officer.get_by_role("button", name="Cần hỗ trợ tại quầy").click()
    dialog = officer.locator("#help-dialog")
    expect(dialog).to_be_visible()
    assert_accessible(officer)
    dialog.get_by_role("button", name=re.compile("^Công dân bức xúc")).click()
    mine = officer.locator("#help-calls li")
    expect(mine).to_contain_text("Đã gọi hỗ trợ: Công dân bức xúc")
    expect(call).to_contain_text("Quầy 5")
    expect(call).to_contain_text("Báo lãnh đạo")
    call.get_by_role("button", name="Tôi đi hỗ trợ").click()
    expect(mine).to_contain_text("đang đến hỗ trợ: Công dân bức xúc")
    mine.get_by_role("button", name="Hủy yêu cầu").click()
    expect(mine).to_have_count(0)
    expect(alerts.locator(".al-call")).to_have_count(0)
