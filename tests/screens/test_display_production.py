"""The hall display in Chromium against the production server (gunicorn, gevent).

The other screen tests run the app under Werkzeug's threading server; here the page
talks to the server as a center runs it, where the screens' frames are written straight
to their WebSockets (web/direct_frames.py) once the page's Socket.IO client has moved
from long-polling to its WebSocket.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.web.test_availability import running_server
from tests.web.test_direct_frames_server import issue_and_call, packets

pytestmark = pytest.mark.slow

ROUNDS = 20
UPGRADE = "5"  # Engine.IO's upgrade packet: from now on the page is on its WebSocket


def test_the_display_follows_every_call_on_the_production_server(
    page: Page, tmp_path: Path
) -> None:
    sent: list[str | bytes] = []  # what the page sent over its WebSockets
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    with running_server(tmp_path, "socket_join_timeout_s = 30") as server:
        page.goto(f"{server.url}/display?token={server.display}")
        expect(page.locator("#board li")).to_have_count(6)  # the snapshot arrived
        deadline = time.monotonic() + 10
        while UPGRADE not in sent:  # the page's client leaves long-polling
            assert time.monotonic() < deadline, f"no upgrade: {sent}"
            page.evaluate("0")  # lets Playwright hand over the page's events
        direct = packets(server.url, "direct")
        called = issue_and_call(server, ROUNDS)

        expect(page.locator("#latest-number")).to_have_text(called[-1], timeout=5000)
        expect(page.locator("#recent .d-recent-number")).to_have_text(called[-7:-1][::-1])
        board = page.locator('#board [data-counter="2"] .d-board-number')
        expect(board).to_have_text(called[-1])
        waiting = page.locator('#waiting [data-service="HT"] .d-waiting-count')
        expect(waiting).to_have_text("0")
        expect(page.locator("#offline")).to_be_hidden()
        # An issue and a call a round, one frame each, to this page's WebSocket.
        assert packets(server.url, "direct") - direct >= 2 * ROUNDS
