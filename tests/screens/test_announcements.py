"""The hall display speaks each call: one at a time, in order, recalls again, no repeats."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from .conftest import LiveServer
from .test_display import open_display


def played(page: Page) -> list[dict[str, Any]]:
    return page.evaluate("window.XP.audioLog")


def test_calls_play_in_order_one_at_a_time(page: Page, server: LiveServer) -> None:
    open_display(page, server, server.token("display"))
    page.evaluate("window.XP.audioRate = 8")  # keep the test short; same code path
    kiosk = server.token("kiosk")
    officers = {n: server.token("officer", counter=n) for n in (2, 3, 5)}
    for service in ("HT", "CT", "DD"):
        server.api("POST", "/api/v1/tickets", kiosk, {"service": service})
    for counter, token in officers.items():
        assert server.api("POST", f"/api/v1/counters/{counter}/next", token).status_code == 200
    page.wait_for_function("window.XP.audioLog.length >= 6", timeout=30_000)
    log = played(page)
    assert [(e["number"], e["event"]) for e in log] == [
        ("B001", "start"), ("B001", "end"),
        ("C001", "start"), ("C001", "end"),
        ("E001", "start"), ("E001", "end"),
    ]  # fmt: skip
    starts_after_previous_end = all(log[i]["at"] >= log[i - 1]["at"] for i in range(1, len(log)))
    assert starts_after_previous_end
    expect(page.locator("#announce-text")).to_contain_text("E001")
    expect(page.locator("#announce-text")).to_contain_text("quầy số 5")

    # A recall is spoken again.
    assert server.api("POST", "/api/v1/counters/2/recall", officers[2]).status_code == 200
    page.wait_for_function("window.XP.audioLog.length >= 8", timeout=30_000)
    assert played(page)[-1]["number"] == "B001"

    # The same event delivered twice is spoken once (a later call marks the end).
    page.evaluate(
        """() => {
            const call = {ticket_id: 999, number: "K042", counter: 6, at: "2026-11-23T02:00:00Z"};
            window.XP.announce(call);
            window.XP.announce({...call});
            window.XP.announce({...call, ticket_id: 1000, number: "K043"});
        }"""
    )
    page.wait_for_function(
        "window.XP.audioLog.some((e) => e.number === 'K043' && e.event === 'end')",
        timeout=30_000,
    )
    numbers = [e["number"] for e in played(page) if e["event"] == "start"]
    assert numbers[-3:] == ["B001", "K042", "K043"]
