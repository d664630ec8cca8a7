"""Home visits in Chromium: the help desk's panel at 1366×768 (register with consent,
schedule), the printable A4 list, and the officer console's visits today, with axe."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import LiveServer, assert_accessible, screenshot, sign_in


@pytest.fixture
def officer_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    yield context.new_page()
    context.close()


def test_a_visit_from_the_phone_call_to_the_officer(
    laptop: Page, officer_page: Page, server: LiveServer
) -> None:
    officer = server.user("lan-visits", "officer")
    page = laptop
    sign_in(page, server, server.user("thu-visits", "helpdesk"), "/helpdesk")
    panel = page.locator("#visits-panel")
    expect(panel.get_by_role("heading", level=2)).to_have_text(
        "Hỗ trợ tại nhà (đăng ký qua điện thoại)"
    )
    page.fill("#visit-phone", "0912 345 678")
    page.fill("#visit-hamlet", "Tổ 3")
    page.fill("#visit-address", "Số 12 ngõ 5 Lê Lợi")
    page.select_option("#visit-category", "elderly")
    page.check('input[name="visit-day"][value="2"]')
    register = panel.get_by_role("button", name="Đăng ký yêu cầu")
    register.click()  # no consent: nothing is sent
    message = page.locator("#visit-message")
    expect(message).to_have_text("Hãy đánh dấu ô đồng ý: nếu không, không lưu gì cả.")
    expect(page.locator("#visit-list li.h-empty")).to_have_count(1)
    page.check("#visit-consent")
    register.click()
    expect(message).to_contain_text("đã được đăng ký")
    item = page.locator("#visit-list li[data-visit]")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("0912345678")
    expect(item).to_contain_text("Số 12 ngõ 5 Lê Lợi, Tổ 3")
    expect(item).to_contain_text("Thứ 3")
    today = server.queue.today().isoformat()
    item.get_by_label("Ngày thăm").fill(today)
    item.get_by_label("Cán bộ").select_option(label=officer)
    item.get_by_role("button", name="Xếp lịch").click()
    expect(message).to_contain_text("đã được xếp lịch")
    expect(item).to_contain_text(officer)
    expect(page.locator("#visit-phone")).to_have_value("")
    assert_accessible(page)
    panel.evaluate("node => node.scrollIntoView()")
    screenshot(page, "helpdesk-visits")

    # The printable list: the day's visit with phone and address, A4 print CSS.
    page.goto(f"{server.url}/visits/print?day={today}")
    row = page.locator("#vp-list tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("0912345678")
    expect(row).to_contain_text("08:00–10:00")
    assert_accessible(page)
    page_rule = "[...document.styleSheets].flatMap(s => [...s.cssRules]).map(r => r.cssText)"
    assert any("@page" in rule and "a4" in rule.lower() for rule in page.evaluate(page_rule))
    page.emulate_media(media="print")
    expect(page.locator(".vp-tools")).to_be_hidden()
    expect(row).to_be_visible()

    # The officer console: today's visits of the signed-in officer, without the phone.
    console = officer_page
    sign_in(console, server, officer, "/officer")
    mine = console.locator("#visits-today li[data-visit]")
    expect(mine).to_have_count(1)
    expect(mine).not_to_contain_text("0912345678")
    mine.get_by_label("Kết quả").select_option("done_advice")
    assert_accessible(console)
    mine.get_by_role("button", name="Ghi kết quả").click()
    expect(console.locator("#visits-today #visit-message")).to_contain_text("Đã ghi kết quả")
    expect(console.locator("#visits-today li.h-empty")).to_have_text(
        "Hôm nay anh/chị không có lượt thăm tại nhà nào."
    )
    closed = server.api("GET", "/api/v1/visits?status=done_advice", server.token("admin"))
    assert [v["officers"][0]["name"] for v in closed.json()["visits"]] == [officer]

    # A visit scheduled for this officer today elsewhere appears live, without a reload.
    desk = server.token("admin")
    staff = server.api("GET", "/api/v1/visits/staff", desk).json()["staff"]
    officer_id = next(person["id"] for person in staff if person["name"] == officer)
    body = {"phone": "0987 654 321", "consent": True, "service": "HT", "hamlet": "Tổ 7"}
    visit = server.api("POST", "/api/v1/visits", desk, body).json()
    window = {"day": today, "window_start": "14:00", "window_end": "15:00"}
    scheduled = server.api(
        "POST", f"/api/v1/visits/{visit['id']}/schedule", desk, {**window, "officers": [officer_id]}
    )
    assert scheduled.ok, scheduled.text
    expect(console.locator("#visits-today li[data-visit]")).to_have_count(1)
    expect(console.locator("#visits-today li[data-visit]")).to_contain_text("14:00")
