"""The screens' watchdog (display/static/js/watchdog.js) in Chromium: a hall display that
lost its server for longer than its limit (a minute; 1.5 s here) is loaded again once the
server answers, and not while it is away. A shorter outage resumes without a reload
(test_display.py::test_the_display_survives_a_server_restart, with the real limit)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from .conftest import start_server
from .test_display import open_display

LIMIT_MS = 1500


def test_a_screen_away_too_long_reloads_when_its_server_is_back(
    page: Page, demo_settings, tmp_path: Path
) -> None:
    server = start_server(demo_settings, tmp_path / "data")
    try:
        page.add_init_script(f"window.XP_WATCHDOG_MS = {LIMIT_MS}")
        open_display(page, server, server.token("display"))
        page.evaluate("window.loadedOnce = true")  # gone when the page is loaded again

        server.stop()
        expect(page.locator("#offline")).to_be_visible(timeout=10_000)
        # Past the limit with the server still away: the page stays, banner shown.
        page.wait_for_function(
            f"Date.now() - Number(document.body.dataset.offlineSince) > {LIMIT_MS + 1000}",
            timeout=15_000,
        )
        assert page.evaluate("window.loadedOnce") is True
        expect(page.locator("#offline")).to_be_visible()

        server.start()  # same port, same database
        page.wait_for_function("window.loadedOnce === undefined", timeout=20_000)
        expect(page.locator("#board li")).to_have_count(6)  # the new page's snapshot
        expect(page.locator("#offline")).to_be_hidden()
        assert "token" not in page.url  # it kept its token in its own storage

        # The kiosk, also unattended, has the same watchdog.
        page.goto(f"{server.url}/kiosk?token={server.token('kiosk')}")
        scripts = page.eval_on_selector_all("script[src]", "s => s.map(e => e.src)")
        assert any(src.endswith("/js/watchdog.js") for src in scripts)
    finally:
        server.close()
