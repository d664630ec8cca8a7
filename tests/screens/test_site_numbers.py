"""An outreach site's numbers (``L12-B001``, the longest site code) on the kiosk and the
hall display: shown whole, on one line, inside their boxes, landscape and portrait."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from queue_server.settings import Settings

from .conftest import SIZES, page_of, start_server
from .test_display import open_display

OVERFLOWING = """(selector) => [...document.querySelectorAll(selector)]
  .filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent)"""


def _inside(page: Page, box: str, parts: tuple[str, ...]) -> None:
    """Each of ``parts`` lies within ``box`` and is one line high (no wrapping)."""
    outer = page.locator(box).bounding_box()
    assert outer is not None
    for part in parts:
        inner = page.locator(part).bounding_box()
        assert inner is not None, part
        assert inner["x"] >= outer["x"] and inner["y"] >= outer["y"], part
        assert inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 1, part
        assert inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 1, part


def _take_a_number(page: Page, url: str) -> str:
    page.goto(url)
    page.click('[data-service="HT"]')
    page.click('#step-priority [data-priority=""]')
    number = page.locator("#ticket-number")
    expect(number).to_have_text(re.compile(r"^L12-B\d{3}$"))
    assert page.evaluate(OVERFLOWING, "#ticket-number") == []
    width = page.viewport_size["width"] if page.viewport_size else 0
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    _inside(page, "body", ("#ticket-number",))
    return number.inner_text()


def test_a_site_number_fits_the_kiosk_and_the_hall_display(
    browser: Browser, demo_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XEPHANG_TEST_SITE", "L12")
    server = start_server(demo_settings, tmp_path / "data")
    try:
        kiosk, officer = server.token("kiosk"), server.token("officer", counter=2)
        display = server.token("display")
        for size in ("1080x1920", "1366x768"):
            pages = page_of(browser, *SIZES[size])
            _take_a_number(next(pages), f"{server.url}/kiosk?token={kiosk}")
            next(pages, None)  # closes the context
        for _ in range(2):  # B001 then B002: B001 goes on to the recent calls
            assert server.api("POST", "/api/v1/counters/2/next", officer, {}).status_code == 200
        for size in ("1366x768", "1080x1920"):
            pages = page_of(browser, *SIZES[size])
            page = next(pages)
            open_display(page, server, display)
            expect(page.locator("#latest-number")).to_have_text("L12-B002")
            expect(page.locator('#board [data-counter="2"]')).to_contain_text("L12-B002")
            expect(page.locator(".d-recent-number").first).to_have_text("L12-B001")
            assert page.evaluate(OVERFLOWING, "#latest, #latest *, #board li *, .d-recent *") == []
            _inside(page, "#latest", ("#latest-number", "#latest-counter"))
            _inside(
                page, '#board [data-counter="2"]', ('#board [data-counter="2"] .d-board-number',)
            )
            assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size][0]
            page.screenshot(path=str(tmp_path / f"display-{size}.png"))
            next(pages, None)
    finally:
        server.close()
