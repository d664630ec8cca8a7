"""Help records in Chromium: the help desk's panel at 1366×768 and the volunteers' page
on a phone, both readable by axe, one tap per record."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .conftest import LiveServer, assert_accessible, screenshot, sign_in


def counts(server: LiveServer) -> dict[str, int]:
    answer = server.api("GET", "/api/v1/assists", server.token("admin")).json()
    return {cell["kind"] + "/" + str(cell["category"]): cell["count"] for cell in answer["cells"]}


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] if page.viewport_size else False


def test_the_help_desk_records_help_in_one_tap(laptop: Page, server: LiveServer) -> None:
    page = laptop
    sign_in(page, server, server.user("thu", "helpdesk"), "/helpdesk")
    panel = page.locator(".a-panel")
    expect(panel.get_by_role("heading")).to_have_text("Ghi nhận lượt hỗ trợ")
    guidance = panel.get_by_role("button", name="Hướng dẫn thủ tục")
    # Every kind of help fits beside the ticket form, without scrolling.
    expect(panel.locator(".a-kind")).to_have_count(9)
    for button in panel.locator(".a-kind").all():
        box = button.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 1366
        assert box["y"] + box["height"] <= 768
    no_sideways_scroll(page)
    # The desk's own category buttons give the category: one tap records it.
    page.check('input[name="priority"][value="elderly"]')
    guidance.click()
    message = page.locator("#assist-message")
    expect(message).to_have_text("Đã ghi nhận: Hướng dẫn thủ tục. Cảm ơn!")
    expect(page.locator('input[name="priority"][value=""]')).to_be_checked()
    assert_accessible(page)
    screenshot(page, "helpdesk-assist")

    # For the ticket just issued: once per kind of help.
    page.check('input[name="priority"][value="disabled"]')
    page.click('button[name="service"][value="HT"]')
    ticket_box = page.locator("#assist-ticket-box")
    expect(ticket_box).to_be_visible()
    number = page.locator("#issued li .w-number").first.inner_text()
    expect(ticket_box).to_contain_text(number)
    page.check("#assist-ticket")
    read_write = panel.get_by_role("button", name="Đọc, viết hộ")
    read_write.click()
    expect(message).to_have_text("Đã ghi nhận: Đọc, viết hộ. Cảm ơn!")
    page.check("#assist-ticket")
    read_write.click()
    expect(message).to_have_text("Số này đã được ghi nhận: Đọc, viết hộ.")
    assert counts(server) == {"guidance/elderly": 1, "read_write/disabled": 1}


def test_a_volunteer_records_help_on_a_phone(phone: Page, server: LiveServer) -> None:
    page = phone
    sign_in(page, server, server.user("hoa-tnv", "volunteer"), "/assist")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ghi nhận hỗ trợ")
    no_sideways_scroll(page)
    page.check('input[name="priority"][value="ethnic_minority"]')
    page.select_option("#assist-service", "HT")
    page.get_by_role("button", name="Phiên dịch tiếng dân tộc").click()
    expect(page.locator("#assist-message")).to_have_text(
        "Đã ghi nhận: Phiên dịch tiếng dân tộc. Cảm ơn!"
    )
    expect(page.locator("#assist-service")).to_have_value("")
    assert_accessible(page)
    screenshot(page, "assist-phone")
    assert counts(server)["interpreting/ethnic_minority"] == 1
    # A volunteer has no other screen.
    answer = page.goto(f"{server.url}/helpdesk")
    assert answer is not None and answer.status == 403
