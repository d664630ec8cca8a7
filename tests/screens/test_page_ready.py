"""No tap is lost while a page loads: a button that only a script serves (the kiosk's,
the tracking page's feedback form) takes no tap until every script of the page has run
(``<html data-ready>``); a tap meanwhile lands on the page behind it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import HeldScript, LiveServer

# Scrolled to and probed in one script task: the page may still move the button (the
# tracking page draws the ticket's status above its form when it arrives).
TAPPED = """(b) => {
    b.scrollIntoView({ block: "center" });
    const r = b.getBoundingClientRect();
    return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === b;
}"""


def page_url(server: LiveServer, page: str) -> str:
    if page == "kiosk":
        return f"{server.url}/kiosk?token={server.token('kiosk')}"
    ticket = server.api("POST", "/api/v1/tickets", server.token("kiosk"), {"service": "HT"})
    return f"{server.url}/track/{ticket.json()['track_code']}"


@pytest.mark.parametrize(
    ("screen", "script", "button"),
    [
        ("kiosk", "kiosk.js", "#appt-have"),  # a script-only button
        ("track", "track_feedback.js", "#tf-send"),  # a form only its script sends
    ],
)
def test_a_button_takes_no_tap_before_the_page_scripts_have_run(
    phone: Page, server: LiveServer, screen: str, script: str, button: str
) -> None:
    held = HeldScript(phone, script)
    phone.goto(page_url(server, screen), wait_until="commit")
    target = phone.locator(button)
    expect(target).to_be_attached()
    assert held.wait(), f"{script} is still on its way"
    target.scroll_into_view_if_needed()
    expect(target).to_be_visible()
    assert not target.evaluate(TAPPED), "a tap now lands behind the button"
    held.release()
    expect(phone.locator("html[data-ready]")).to_have_count(1)
    assert target.evaluate(TAPPED), "once ready, a tap reaches the button"
