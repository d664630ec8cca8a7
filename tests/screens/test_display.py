"""The hall display in Chromium: live calls, accessibility, screenshots, restarts."""

from __future__ import annotations

import re
import time
from pathlib import Path

from playwright.sync_api import Browser, Page, WebSocketRoute, expect

from .conftest import SIZES, LiveServer, assert_accessible, screenshot, start_server


def open_display(page: Page, server: LiveServer, token: str) -> None:
    page.goto(f"{server.url}/display?token={token}")
    expect(page.locator("#board li")).to_have_count(6)  # the snapshot arrived


def test_a_call_reaches_the_display_within_a_second(page: Page, server: LiveServer) -> None:
    open_display(page, server, server.token("display"))
    assert "token" not in page.url  # the secret leaves the address bar
    kiosk, officer = server.token("kiosk"), server.token("officer", counter=2)
    issued = server.api("POST", "/api/v1/tickets", kiosk, {"service": "HT"}).json()
    waiting = page.locator('#waiting [data-service="HT"] .d-waiting-count')
    expect(waiting).to_have_text("1", timeout=1000)

    called = server.api("POST", "/api/v1/counters/2/next", officer, {})
    assert called.status_code == 200, called.text

    expect(page.locator("#latest-number")).to_have_text(issued["number"], timeout=1000)
    expect(page.locator("#latest-counter")).to_have_text("Quầy 2", timeout=1000)
    expect(page.locator("#latest")).to_have_class("d-latest fresh")
    board = page.locator('#board [data-counter="2"] .d-board-number')
    expect(board).to_have_text(issued["number"], timeout=1000)
    expect(waiting).to_have_text("0", timeout=1000)
    expect(page.locator("#offline")).to_be_hidden()

    # A recall shows the number again, marked, and does not list it twice.
    second = server.api("POST", "/api/v1/tickets", kiosk, {"service": "CTR"}).json()
    server.api("POST", "/api/v1/counters/2/next", officer, {})
    expect(page.locator("#latest-number")).to_have_text(second["number"], timeout=1000)
    expect(page.locator("#recent .d-recent-number")).to_have_text([issued["number"]])
    assert server.api("POST", "/api/v1/counters/2/recall", officer, {}).status_code == 200
    expect(page.locator("#latest-recall")).to_be_visible(timeout=1000)
    expect(page.locator("#latest-number")).to_have_text(second["number"])
    expect(page.locator("#recent .d-recent-number")).to_have_text([issued["number"]])


def test_the_display_is_accessible_and_drawn_at_every_size(
    browser: Browser, server: LiveServer
) -> None:
    token = server.token("display")
    kiosk = server.token("kiosk")
    for service, counter in (("CT", 3), ("CT", 4), ("HD", 1), ("BTXH", 6), ("HT", 2)):
        server.api("POST", "/api/v1/tickets", kiosk, {"service": service})
        server.api("POST", f"/api/v1/counters/{counter}/next", server.token("officer", counter), {})
    for service in ("HT", "HT", "CT", "DD", "NCC"):
        server.api("POST", "/api/v1/tickets", kiosk, {"service": service})
    for name, (width, height) in SIZES.items():
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.emulate_media(reduced_motion="reduce")  # the notice stands still for the picture
        open_display(page, server, token)
        expect(page.locator("#recent li").first).to_be_visible()
        expect(page.locator("#clock")).to_have_text(re.compile(r"^\d{2}:\d{2}$"))
        assert_accessible(page)
        path = screenshot(page, "display")
        assert path.name == f"display-{name}.png" and path.stat().st_size > 10_000
        context.close()


def test_the_display_survives_a_server_restart(page: Page, demo_settings, tmp_path: Path) -> None:
    server = start_server(demo_settings, tmp_path / "data")
    try:
        open_display(page, server, server.token("display"))
        expect(page.locator("#offline")).to_be_hidden()
        server.stop()
        expect(page.locator("#offline")).to_be_visible(timeout=10_000)
        expect(page.locator("#offline")).to_have_text(
            "Mất kết nối. Xin lấy phiếu giấy tại bàn hướng dẫn."
        )  # what citizens do (docs/outages.md)

        # While the server is down a ticket is issued and called from another process
        # (as the CLI would): its events wait in the outbox.
        queue = server.queue
        ticket = queue.issue("DD").value
        assert queue.call_next(5).value is not None
        server.start()  # same port, same database, a new process

        expect(page.locator("#offline")).to_be_hidden(timeout=10_000)
        expect(page.locator("#latest-number")).to_have_text(ticket.number)
        expect(page.locator('#board [data-counter="5"] .d-board-number')).to_have_text(
            ticket.number
        )
        # The page named its last seq and got the missed events, not a snapshot.
        expect(page.locator("body")).to_have_attribute("data-resumes", "1")
        # And live events flow again.
        issued = server.api("POST", "/api/v1/tickets", server.token("kiosk"), {"service": "DD"})
        next_call = server.api("POST", "/api/v1/counters/5/next", server.token("officer", 5), {})
        assert next_call.status_code == 200, next_call.text
        expect(page.locator("#latest-number")).to_have_text(issued.json()["number"], timeout=1000)
    finally:
        server.close()


def test_without_a_token_the_display_says_so(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.url}/display")
    expect(page.locator("#no-access")).to_be_visible()
    expect(page.locator("#board li")).to_have_count(0)


def lose_first_frame(page: Page, server: LiveServer, marker: str) -> list[str]:
    """Open the display through a route that drops the first frame containing ``marker``."""
    dropped: list[str] = []

    def route(ws: WebSocketRoute) -> None:
        upstream = ws.connect_to_server()
        ws.on_message(upstream.send)

        def from_server(message: str | bytes) -> None:
            if not dropped and isinstance(message, str) and marker in message:
                dropped.append(message)  # lost on the way, as on a flaky network
                return
            ws.send(message)

        upstream.on_message(from_server)

    open_display(page, server, server.token("display"))
    page.route_web_socket(re.compile(r"/socket\.io/"), route)
    page.reload()  # connect again, now through the lossy route
    expect(page.locator("#board li")).to_have_count(6)
    page.wait_for_function("XP.sockets[0].io.engine.transport.name === 'websocket'")
    return dropped


def until_dropped(page: Page, dropped: list[str], timeout_s: float = 5.0) -> None:
    """Until the route dropped its frame. The next operation must come after it: the
    relay's sender puts events published together into one frame, and a frame holding
    both operations would be lost whole, leaving no gap to see. (The route's handler
    runs only while Playwright waits, hence the page's short waits.)"""
    deadline = time.monotonic() + timeout_s
    while not dropped:
        assert time.monotonic() < deadline, "no frame was dropped"
        page.wait_for_timeout(20)


def test_a_lost_event_makes_the_display_ask_for_a_snapshot(page: Page, server: LiveServer) -> None:
    dropped = lose_first_frame(page, server, '["queue_changed"')
    kiosk = server.token("kiosk")
    before = page.locator('#waiting [data-service="CTR"] .d-waiting-count').inner_text()
    seq_before = server.queue.snapshot()["seq"]
    expect(page.locator("body")).to_have_attribute("data-seq", str(seq_before))

    server.api("POST", "/api/v1/tickets", kiosk, {"service": "CTR"})  # queue_changed lost
    until_dropped(page, dropped)
    server.api("POST", "/api/v1/tickets", kiosk, {"service": "DD"})  # the gap shows here
    expect(page.locator("body")).to_have_attribute("data-resyncs", "1")
    expect(page.locator('#waiting [data-service="CTR"] .d-waiting-count')).to_have_text(
        str(int(before) + 1)
    )
    assert len(dropped) == 1
    # The page is at the outbox's last event: two tickets, each with its queue change.
    assert server.queue.snapshot()["seq"] == seq_before + 4
    expect(page.locator("body")).to_have_attribute("data-seq", str(seq_before + 4))


def test_a_lost_call_frame_is_made_good_by_the_snapshot(page: Page, server: LiveServer) -> None:
    """A call-next's screen events travel in one ``batch`` frame; losing it is one gap."""
    kiosk, officer = server.token("kiosk"), server.token("officer", counter=3)
    server.api("POST", "/api/v1/tickets", kiosk, {"service": "CT"})
    dropped = lose_first_frame(page, server, '["batch"')
    seq_before = server.queue.snapshot()["seq"]  # the page has it all before the loss
    expect(page.locator("body")).to_have_attribute("data-seq", str(seq_before))

    called = server.api("POST", "/api/v1/counters/3/next", officer, {})
    assert called.status_code == 200, called.text
    until_dropped(page, dropped)
    server.api("POST", "/api/v1/tickets", kiosk, {"service": "DD"})  # the gap shows here
    expect(page.locator("body")).to_have_attribute("data-resyncs", "1")
    number = called.json()["ticket"]["number"]
    expect(page.locator('#board [data-counter="3"] .d-board-number')).to_have_text(number)
    assert len(dropped) == 1 and '["ticket_called"' in dropped[0]
    # After the resync the page is at the outbox's last event.
    last = server.queue.snapshot()["seq"]
    assert last > seq_before + 4  # the call's events, then a ticket and its queue change
    expect(page.locator("body")).to_have_attribute("data-seq", str(last))


def test_the_display_lists_the_six_calls_before_the_latest(page: Page, server: LiveServer) -> None:
    """``[screens] recent_calls`` (6): the latest call, then the six before it, newest
    first, whether they arrive live or in the snapshot of a page opened later."""
    open_display(page, server, server.token("display"))
    kiosk, officer = server.token("kiosk"), server.token("officer", counter=3)
    called = []
    for _ in range(8):
        server.api("POST", "/api/v1/tickets", kiosk, {"service": "CT"})
        answer = server.api("POST", "/api/v1/counters/3/next", officer, {})
        assert answer.status_code == 200, answer.text
        called.append(answer.json()["ticket"]["number"])
    before = list(reversed(called[1:-1]))  # the six calls before the latest, newest first
    expect(page.locator("#latest-number")).to_have_text(called[-1], timeout=1000)
    expect(page.locator("#recent .d-recent-number")).to_have_text(before)
    page.reload()
    expect(page.locator("#latest-number")).to_have_text(called[-1])
    expect(page.locator("#recent .d-recent-number")).to_have_text(before)
