"""The officer console and the help desk in Chromium, on a laptop-sized window."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .conftest import LiveServer, assert_accessible, screenshot, sign_in


def test_officer_calls_recalls_transfers_and_uses_the_keypad(
    laptop: Page, server: LiveServer
) -> None:
    page = laptop
    sign_in(page, server, server.user("lan", "officer"), "/officer")
    expect(page.locator("#pick-counter")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "officer-pick-counter")
    page.click('[data-counter="4"]')
    expect(page.locator("#console")).to_be_visible()
    expect(page.locator("#waiting-list li")).to_have_text(["Không có ai đang chờ."])

    kiosk = server.token("kiosk")
    numbers = [
        server.api("POST", "/api/v1/tickets", kiosk, {"service": code}).json()["number"]
        for code in ("CT", "CT", "HT")
    ]
    # The waiting list follows the socket news, without reload.
    expect(page.locator("#waiting-list li .w-number")).to_have_text(numbers, timeout=2000)

    page.click("#btn-next")
    current = page.locator("#current-number")
    expect(current).to_have_text(numbers[0])
    expect(page.locator("#message")).to_have_text(f"Đã gọi số {numbers[0]}")
    expect(page.locator("#current-elapsed")).to_have_text(re.compile(r"^\d\d:\d\d$"))
    expect(page.locator("#waiting-list li .w-number")).to_have_text(numbers[1:])
    assert_accessible(page)
    screenshot(page, "officer-serving")

    officer = server.token("officer", 4)
    state_before = server.api("GET", "/api/v1/state", officer).json()
    page.click("#btn-recall")
    expect(page.locator("#message")).to_have_text(f"Đã gọi lại số {numbers[0]}")
    calls = server.api("GET", "/api/v1/state", officer).json()["recent_calls"]
    assert calls[0]["number"] == numbers[0] and calls[0]["recall"] is True
    assert len(calls) == len(state_before["recent_calls"]) + 1

    # Keypad: 0 opens the transfer picker, 2 picks the second service (Hộ tịch).
    page.keyboard.press("0")
    expect(page.locator("#transfer-dialog")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "officer-transfer")
    page.keyboard.press("Enter")  # the "call next" key does not pick a service here
    expect(page.locator("#transfer-dialog")).to_be_visible()
    expect(current).to_have_text(numbers[0])
    page.keyboard.press("2")
    expect(page.locator("#transfer-dialog")).to_be_hidden()
    expect(current).to_have_text("–")
    transferred = page.locator(f'#waiting-list li[data-ticket="{numbers[0]}"]')
    expect(transferred).to_contain_text("Hộ tịch")

    # + calls the first of the waiting list (policy order), - marks a no-show.
    first_waiting = page.locator("#waiting-list li .w-number").first.inner_text()
    page.keyboard.press("+")
    expect(current).to_have_text(first_waiting)
    page.keyboard.press("-")
    expect(current).to_have_text("–")
    expect(page.locator("#waiting-list li .w-number")).to_have_count(2)
    page.keyboard.press(".")
    expect(page.locator("#paused-note")).to_be_visible()
    expect(page.locator("#message")).to_have_text("Đã tạm dừng quầy.")
    page.keyboard.press(".")
    expect(page.locator("#paused-note")).to_be_hidden()
    expect(page.locator("#message")).to_have_text("Quầy đã mở lại.")

    # . pauses and resumes; then call a specific number and finish it with /.
    chosen = page.locator("#waiting-list li .w-number").last.inner_text()
    page.fill("#call-number", chosen.lower())
    page.press("#call-number", "Enter")
    expect(current).to_have_text(chosen)
    page.locator("body").click(position={"x": 5, "y": 700})
    page.keyboard.press("/")
    expect(current).to_have_text("–")
    expect(page.locator("#served-today")).to_have_text("Đã phục vụ hôm nay: 1")

    # The citizen marked no-show comes back: call the number again by typing it.
    page.fill("#call-number", first_waiting)
    page.press("#call-number", "Enter")
    expect(current).to_have_text(first_waiting)


def test_helpdesk_issues_an_emergency_ticket(laptop: Page, server: LiveServer) -> None:
    page = laptop
    sign_in(page, server, server.user("mai", "helpdesk"), "/helpdesk")
    waiting = page.locator('[data-waiting="BTXH"]')
    expect(waiting).to_have_text(re.compile(r"^\d+ người chờ$"))
    before = int(waiting.inner_text().split()[0])
    page.check('input[name="priority"][value="emergency"]')
    page.click('button[name="service"][value="BTXH"]')
    issued = page.locator("#issued li").first
    expect(issued).to_contain_text("Khẩn cấp")
    number = issued.locator(".w-number").inner_text()
    expect(page.locator("#message")).to_have_text(f"Đã cấp số {number}")
    expect(waiting).to_have_text(f"{before + 1} người chờ")
    expect(page.locator('input[name="priority"][value=""]')).to_be_checked()
    assert_accessible(page)
    screenshot(page, "helpdesk")

    # Reprint: on the thermal printer when there is one …
    page.evaluate("window.print = () => { document.body.dataset.printed = 'yes'; }")
    issued.get_by_role("button", name=f"In lại {number}").click()
    expect(page.locator("#message")).to_have_text(f"Đã gửi in lại phiếu {number}.")
    # … else a slip for the desk's own printer, drawn for print media only.
    page.route(
        "**/reprint",
        lambda route: route.fulfill(
            status=404, content_type="application/json", body='{"error": "no printer"}'
        ),
    )
    issued.get_by_role("button", name=f"In lại {number}").click()
    expect(page.locator("body")).to_have_attribute("data-printed", "yes")
    expect(page.locator("#slip .slip-number")).to_have_text(number)
    expect(page.locator("#slip")).to_be_hidden()
    page.emulate_media(media="print")
    expect(page.locator("#slip")).to_be_visible()
    expect(page.locator("#issue-form")).to_be_hidden()
    page.emulate_media(media="screen")

    waiting_list = server.api("GET", "/api/v1/counters/1/waiting", server.token("officer", 1))
    first = waiting_list.json()["tickets"][0]
    assert (first["number"], first["priority"], first["emergency"]) == (number, "emergency", True)
    assert first["channel"] == "helpdesk"


def test_signing_in_leaves_no_error_in_the_console(laptop: Page, server: LiveServer) -> None:
    """Every console error is worth a look on a counter PC: the sign-in page and the
    device pages have none (they used to ask for a /favicon.ico the server lacks). The
    virtual printer is the administrator's; the boards page is every staff member's."""
    errors: list[str] = []
    laptop.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(laptop, server, server.user("canbo-console", "officer"), "/officer")
    expect(laptop.locator("#pick-counter")).to_be_visible()
    for path in ("/login", "/devices/leds"):
        laptop.goto(f"{server.url}{path}")
        laptop.wait_for_load_state("networkidle")
    # The boards page's own script draws every board, labelled by its counter.
    expect(laptop.locator("#boards .board")).not_to_have_count(0)
    expect(laptop.locator("#boards .label").first).to_contain_text("1")
    assert errors == []
