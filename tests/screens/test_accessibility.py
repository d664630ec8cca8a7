"""Accessibility of every public screen (#18 item 5), in Chromium with axe-core.

Every screen a citizen sees passes axe (no serious or critical violation) and has no
live region inside another (a screen reader would read the inner one twice or not at
all). The kiosk's large-text, high-contrast toggle, and its USB keypad with spoken
prompts, are driven as a citizen would: clicks and key presses."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import LiveServer, screenshot, serious_violations, sign_in, start_server

LIVE = "[aria-live], [role=status], [role=alert], [role=log], [role=marquee], [role=timer]"
NESTED_LIVE_REGIONS = f"""() => Array.from(document.querySelectorAll("{LIVE}"))
  .filter((node) => node.parentElement && node.parentElement.closest("{LIVE}"))
  .map((node) => node.id || node.className)"""


@pytest.fixture(scope="module")
def server(demo_settings: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = start_server(demo_settings, tmp_path_factory.mktemp("a11y") / "data", kiosk_timeout_s=5)
    yield live
    live.close()


@pytest.fixture(scope="module")
def kiosk_page(browser: Browser, server: LiveServer) -> Iterator[Page]:
    """One kiosk, 1080×1920 (portrait, as on the stand), reused by the kiosk tests."""
    context = browser.new_context(viewport={"width": 1080, "height": 1920}, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{server.url}/kiosk?token={server.token('kiosk')}")
    expect(page.locator('[data-service="HT"]')).to_be_visible()
    yield page
    context.close()


def check(page: Page, name: str) -> dict[str, Any]:
    """The problems axe and the live-region check find on ``page`` as it is now."""
    problems: dict[str, Any] = {}
    nested = page.evaluate(NESTED_LIVE_REGIONS)
    if nested:
        problems["nested live regions"] = nested
    violations = serious_violations(page)
    if violations:
        problems["axe"] = violations
    return {name: problems} if problems else {}


def test_every_public_screen(page: Page, server: LiveServer) -> None:
    done = server.queue.issue("CT").value
    server.queue.call_ticket(3, done.id, actor="t")
    server.queue.finish(3, actor="t")
    admin = server.token("admin")
    slip = server.api("POST", f"/api/v1/tickets/{done.id}/result-slip", admin, {}).json()
    kiosk, officer = server.token("kiosk"), server.token("officer", counter=2)
    ticket = server.api("POST", "/api/v1/tickets", kiosk, {"service": "HT"}).json()
    assert server.api("POST", "/api/v1/counters/2/next", officer, {}).status_code == 200
    screens = {
        "display": (f"/display?token={server.token('display')}", "#latest-number"),
        "kiosk": (f"/kiosk?token={kiosk}", "[data-service]"),
        "rate": (f"/rate/2?token={server.token('rating', 2)}", "#step-rating, #step-idle"),
        "track": (f"/track/{ticket['track_code']}", "#track-state"),
        "book": ("/appointments/book", "h1"),
        "result slip": (f"/result-slip/{slip['result_code']}", "h1"),
        "start": ("/", "h1"),
        "sign in": ("/login", "input[name=username]"),
    }
    problems: dict[str, Any] = {}
    for name, (path, ready) in screens.items():
        page.goto(server.url + path)
        expect(page.locator(ready).first).to_be_visible()
        if name == "display":
            expect(page.locator("#latest-number")).to_have_text(ticket["number"])
            expect(page.locator("#announce-text")).to_contain_text(ticket["number"])
        problems |= check(page, name)
    assert problems == {}


def test_large_text_toggle_lasts_for_one_citizen(kiosk_page: Page, server: LiveServer) -> None:
    page = kiosk_page
    toggle = page.locator("#access-toggle")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_text("AaChữ to, rõ")
    before = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.k-title')).fontSize)"
    )
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(page.locator("body")).to_have_class("kiosk k-access")
    after = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.k-title')).fontSize)"
    )
    assert after >= before * 1.3
    assert check(page, "kiosk, large text") == {}
    screenshot(page, "kiosk-large-text")
    page.click('[data-service="HT"]')  # the citizen goes on: the look stays
    expect(page.locator("#step-priority")).to_be_visible()
    expect(page.locator("body")).to_have_class("kiosk k-access")
    assert check(page, "kiosk priority, large text") == {}
    page.click('#step-priority [data-priority=""]')
    expect(page.locator("#ticket-number")).not_to_be_empty()
    assert check(page, "kiosk ticket, large text") == {}
    page.click("#done")  # the next citizen finds the kiosk's usual look
    expect(page.locator("#step-service")).to_be_visible()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(page.locator("body")).to_have_class("kiosk")

    # A kiosk opened once with ?access=on keeps large text as its default (localStorage).
    page.goto(f"{server.url}/kiosk?token={server.token('kiosk')}&access=on")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    page.goto(f"{server.url}/kiosk?token={server.token('kiosk')}")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    page.goto(f"{server.url}/kiosk?token={server.token('kiosk')}&access=off")
    expect(toggle).to_have_attribute("aria-pressed", "false")


def prompts(page: Page, count: int) -> list[str]:
    """The first ``count`` prompts the kiosk played (waiting for them)."""
    page.wait_for_function(f"window.XP.keypadLog.length >= {count}", timeout=5000)
    log = page.evaluate("window.XP.keypadLog")
    assert not any(entry.get("failed") for entry in log), log
    return [entry["prompt"] for entry in log]


def test_a_blind_citizen_takes_a_number_with_the_keypad(
    kiosk_page: Page, server: LiveServer
) -> None:
    page = kiosk_page
    page.evaluate("window.XP.keypadLog.length = 0")
    page.keyboard.press("Numpad5")  # any first key: the menu is said, nothing chosen
    assert prompts(page, 1) == ["services"]
    expect(page.locator("#step-service")).to_be_visible()
    page.keyboard.press("Numpad2")  # the second service: said, marked, not taken yet
    assert prompts(page, 2)[1] == "service/HT"
    expect(page.locator('[data-service="HT"]')).to_have_class("k-btn k-service k-selected")
    page.keyboard.press("Numpad0")  # again, please
    assert prompts(page, 3)[2] == "services"
    page.keyboard.press("NumpadEnter")
    expect(page.locator("#step-priority")).to_be_visible()
    assert prompts(page, 4)[3] == "priorities"
    page.keyboard.press("Backspace")  # back to the services, and on again
    assert prompts(page, 5)[4] == "services"
    page.keyboard.press("Numpad2")
    page.keyboard.press("Enter")
    assert prompts(page, 7)[6] == "priorities"
    page.keyboard.press("Numpad2")  # the second priority: disabled
    assert prompts(page, 8)[7] == "priority/disabled"
    page.keyboard.press("NumpadEnter")
    expect(page.locator("#step-ticket")).to_be_visible()
    number = page.locator("#ticket-number").text_content()
    assert number and prompts(page, 9)[8] == f"ticket/{number}"
    waiting = server.api("GET", "/api/v1/counters/2/waiting", server.token("officer", 2)).json()
    ticket = next(t for t in waiting["tickets"] if t["number"] == number)
    assert ticket["priority"] == "disabled" and ticket["channel"] == "kiosk"
    page.keyboard.press("NumpadEnter")  # done: the next citizen hears nothing until a key
    expect(page.locator("#step-service")).to_be_visible()
    page.keyboard.press("Numpad1")
    assert prompts(page, 10)[9] == "services"
    page.keyboard.press("NumpadAdd")  # + asks for help; Enter closes the help screen
    expect(page.locator("#step-help")).to_be_visible()
    page.keyboard.press("NumpadEnter")
    expect(page.locator("#step-service")).to_be_visible()


def test_the_officer_hears_the_priority_category_of_the_ticket_called(
    laptop: Page, server: LiveServer
) -> None:
    page = laptop
    sign_in(page, server, server.user("a11y-officer", "officer"), "/officer")
    page.click('[data-counter="3"]')
    expect(page.locator("#console")).to_be_visible()
    kiosk = server.token("kiosk")
    body = {"service": "CT", "priority": "disabled"}
    chair = server.api("POST", "/api/v1/tickets", kiosk, body).json()
    page.click("#btn-next")
    expect(page.locator("#current-number")).to_have_text(chair["number"])
    line = page.locator("#current-category")
    expect(line).to_have_text(f"Số {chair['number']} thuộc đối tượng ưu tiên: Người khuyết tật.")
    expect(line).to_have_attribute("role", "status")
    page.wait_for_function("window.XP.categoryLog.length === 1")
    assert check(page, "officer") == {}
    plain = server.api("POST", "/api/v1/tickets", kiosk, {"service": "CT"}).json()
    page.click("#btn-finish")
    page.click("#btn-next")  # no category: nothing said, the line is empty
    expect(page.locator("#current-number")).to_have_text(plain["number"])
    expect(line).to_be_empty()
    assert page.evaluate("window.XP.categoryLog") == ["disabled"]
