"""The kiosk in Chromium: a citizen takes a number with a priority, in two languages."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from queue_server.auth.tokens import create_token
from queue_server.settings import Settings

from .conftest import LiveServer, assert_accessible, screenshot, start_server


def test_a_citizen_takes_a_priority_number(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.url}/kiosk?token={server.token('kiosk')}")
    service = page.locator('[data-service="NCC"]')
    expect(service).to_contain_text("Người có công")
    expect(service).to_contain_text("People with meritorious services")
    box = service.bounding_box()
    assert box is not None and box["height"] >= 120
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 32
    help_box = page.get_by_role("button", name="Tôi cần hỗ trợ").bounding_box()
    assert help_box is not None and help_box["height"] >= 140  # docs/screens.md
    assert_accessible(page)

    service.click()
    expect(page.locator("#step-priority h2")).to_have_text(
        "Quý vị có thuộc đối tượng ưu tiên không?"
    )
    choices = page.locator("#step-priority [data-priority]")
    codes = [choices.nth(i).get_attribute("data-priority") for i in range(choices.count())]
    assert "emergency" not in codes and {"elderly", "disabled", "pregnant_child", "merit"} <= set(
        codes
    )
    assert_accessible(page)
    page.click('[data-priority="elderly"]')

    number = page.locator("#ticket-number")
    expect(number).to_have_text("G001")
    expect(page.locator("#ticket-ahead")).to_have_text("Số người chờ trước quý vị: 0")
    expect(page.locator("#ticket-take")).to_be_visible()
    expect(page.locator("#ticket-print-failed")).to_be_hidden()
    assert_accessible(page)
    waiting = server.api("GET", "/api/v1/counters/6/waiting", server.token("officer", 6))
    ticket = next(t for t in waiting.json()["tickets"] if t["number"] == "G001")
    assert ticket["priority"] == "elderly" and ticket["channel"] == "kiosk"

    # Nobody touches the screen: it goes back to the start by itself.
    expect(page.locator("#step-service")).to_be_visible(timeout=8000)
    expect(page.locator("#step-ticket")).to_be_hidden()


def test_language_toggle_and_screenshots(browser: Browser, server: LiveServer) -> None:
    token, _info = create_token(server.queue.db, "kiosk", name="kiosk-1")  # it has a printer
    for width, height in ((1920, 1080), (1366, 768), (1080, 1920)):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.goto(f"{server.url}/kiosk?token={token}")
        expect(page.locator('[data-service="HT"]')).to_be_visible()
        screenshot(page, "kiosk-services")
        page.click('[data-service="HT"]')
        expect(page.locator("#step-priority")).to_be_visible()
        screenshot(page, "kiosk-priority")
        page.click('#step-priority [data-priority=""]')
        expect(page.locator("#step-ticket")).to_have_attribute("data-print", "printed")
        screenshot(page, "kiosk-ticket")
        context.close()

    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{server.url}/kiosk?token={token}")
    page.click("#lang-toggle")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#step-service h2")).to_have_text("Please choose a service")
    expect(page.locator('[data-name="HT"]')).to_have_text("Civil status")
    expect(page.locator('[data-second="HT"]')).to_have_text("Hộ tịch")
    expect(page.locator("#lang-name")).to_have_text("Tiếng Việt")
    assert_accessible(page)
    screenshot(page, "kiosk-english")
    # Left alone, the kiosk returns to Vietnamese for the next citizen.
    expect(page.locator("html")).to_have_attribute("lang", "vi", timeout=8000)
    expect(page.locator('[data-name="HT"]')).to_have_text("Hộ tịch")
    page.close()


def test_the_kiosk_says_when_it_cannot_give_a_number(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.url}/kiosk?token=xp_revoked-or-wrong")
    page.click('[data-service="CT"]')
    page.click('#step-priority [data-priority=""]')
    expect(page.locator("#step-error")).to_be_visible()
    expect(page.locator("#error-text")).to_have_text(
        "Không lấy được số. Quý vị vui lòng đến quầy Hướng dẫn – Hỗ trợ."
    )
    expect(page.locator("#no-access")).to_be_visible()


def test_without_the_server_the_kiosk_sends_citizens_to_paper_tickets(
    page: Page, demo_settings: Settings, tmp_path: Path
) -> None:
    """docs/outages.md: while the server cannot be reached the kiosk says "Mất kết nối" at
    the bottom with the way to a paper ticket, a citizen who presses a service is told the
    same instead of a number, and the kiosk comes back by itself with the server."""
    server = start_server(demo_settings, tmp_path / "data")
    try:
        page.goto(f"{server.url}/kiosk?token={server.token('kiosk')}")
        banner = page.locator("#offline")
        expect(page.locator('[data-service="CT"]')).to_be_visible()
        expect(banner).to_be_hidden()
        server.stop()
        expect(banner).to_be_visible(timeout=10_000)
        expect(banner).to_have_text("Mất kết nối Xin lấy phiếu giấy tại bàn hướng dẫn.")
        box = banner.bounding_box()
        assert box is not None and box["y"] > 1080 / 2  # at the bottom of the screen
        page.click('[data-service="CT"]')
        page.click('#step-priority [data-priority=""]')
        expect(page.locator("#step-error")).to_be_visible()
        expect(page.locator("#error-text")).to_have_text("Xin lấy phiếu giấy tại bàn hướng dẫn.")
        server.start()
        expect(banner).to_be_hidden(timeout=10_000)
    finally:
        server.close()
