"""Feedback in Chromium: the help desk records it (1366×768), the citizen sends it from the
tracking page on a phone, the manager answers it on the staff page; axe on each page."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .conftest import LiveServer, assert_accessible, screenshot, sign_in


def test_desk_records_citizen_sends_manager_answers(
    laptop: Page, phone: Page, server: LiveServer
) -> None:
    sign_in(laptop, server, server.user("fb-thu", "helpdesk"), "/helpdesk")
    panel = laptop.locator(".f-panel")
    expect(panel.get_by_role("heading")).to_have_text("Ghi nhận phản ánh, kiến nghị")
    panel.get_by_role("button", name="Ghi nhận").click()
    message = laptop.locator("#fb-message")
    expect(message).to_have_text("Hãy ghi nội dung người dân phản ánh.")
    laptop.select_option("#fb-kind", "complaint")
    laptop.fill("#fb-text", "Chờ quá lâu ở quầy Hộ tịch, đề nghị bố trí thêm người.")
    laptop.select_option("#fb-service", "HT")
    laptop.fill("#fb-phone", "0912 345 678")  # without the consent box: refused
    panel.get_by_role("button", name="Ghi nhận").click()
    expect(message).to_contain_text("đồng ý")
    laptop.check("#fb-consent")
    panel.get_by_role("button", name="Ghi nhận").click()
    expect(message).to_contain_text("Đã ghi nhận (số ")
    expect(laptop.locator("#fb-text")).to_have_value("")
    assert_accessible(laptop)

    ticket = server.api("POST", "/api/v1/tickets", server.token("kiosk"), {"service": "HT"})
    phone.goto(f"{server.url}/track/{ticket.json()['track_code']}")
    phone.fill("#tf-text", "Nên có thêm ghế ngồi cho người cao tuổi.")
    phone.select_option("#tf-kind", "suggestion")
    phone.get_by_role("button", name="Gửi phản ánh").click()
    expect(phone.locator("#tf-message")).to_contain_text("Phản ánh đã được tiếp nhận")
    assert_accessible(phone)
    screenshot(phone, "track-feedback")

    laptop.context.clear_cookies()
    sign_in(laptop, server, server.user("fb-lan", "manager"), "/feedback")
    items = laptop.locator(".f-item")
    expect(items).to_have_count(2)
    desk = items.filter(has_text="Chờ quá lâu")
    expect(desk).to_contain_text("0912345678")
    desk.get_by_label("Nội dung trả lời người dân").fill("Đã bố trí thêm một công chức.")
    desk.get_by_role("button", name="Ghi nhận trả lời").click()
    expect(desk.locator(".f-answer")).to_contain_text("Đã bố trí thêm một công chức.")
    expect(desk.locator(".f-reply")).to_be_hidden()
    laptop.select_option("#f-status", "received")
    laptop.get_by_role("button", name="Xem").click()
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("Nên có thêm ghế")
    assert_accessible(laptop)
    screenshot(laptop, "feedback-page")
