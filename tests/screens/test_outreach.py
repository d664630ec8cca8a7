"""The outreach schedule in Chromium: the admin plans a recurring pattern on the admin
page; the hall display and the kiosk, already open, show the next session live, and the
one after when the first is cancelled; the poster prints on one A4 page; axe."""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from .conftest import LiveServer, assert_accessible, page_of, screenshot, sign_in

PLACE = "Nhà văn hóa tổ dân phố Ngọc Lặc"


def test_a_pattern_reaches_the_display_and_kiosk_and_prints_a_poster(
    browser: Browser, page: Page, laptop: Page, server: LiveServer
) -> None:
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    first = today + timedelta(days=(5 - today.weekday()) % 7 or 7)  # the next Saturday
    line = "Lưu động sắp tới: thứ Bảy {:%d/%m} tại " + PLACE + ", 08:00–11:30"

    page.goto(f"{server.url}/display?token={server.token('display')}")
    kiosk = next(page_of(browser, 1080, 1920))
    kiosk.goto(f"{server.url}/kiosk?token={server.token('kiosk')}")
    for screen in (page, kiosk):
        expect(screen.locator("body")).to_have_attribute("data-seq", re.compile(r"\d+"))
        expect(screen.locator("[data-outreach]")).to_have_count(0)

    sign_in(laptop, server, server.user("quantri", "admin"), "/admin/outreach")
    laptop.fill("#o-day", first.isoformat())
    laptop.fill("#o-place", PLACE)
    laptop.check("input[name=services][value=HT]")
    laptop.check("input[name=services][value=CT]")
    laptop.select_option("#o-every", "two_weeks")
    laptop.fill("#o-until", (first + timedelta(days=28)).isoformat())
    laptop.click("#outreach-form button[type=submit]")
    expect(laptop.locator("#outreach-sessions tbody tr")).to_have_count(3)
    assert_accessible(laptop)

    expect(page.locator("#notice [data-outreach]")).to_contain_text(line.format(first))
    expect(kiosk.locator(".k-outreach")).to_have_text(line.format(first))
    assert_accessible(kiosk)

    rows = laptop.locator("#outreach-sessions tbody tr")
    rows.first.get_by_role("button").click()  # cancel the first session alone
    expect(rows.first).to_have_class(re.compile("o-cancelled"))
    second = first + timedelta(days=14)
    expect(kiosk.locator(".k-outreach")).to_have_text(line.format(second))
    expect(page.locator("#notice [data-outreach]")).to_contain_text(line.format(second))
    screenshot(kiosk, "kiosk-outreach")

    poster_link = rows.nth(1).get_by_role("link", name="Thông báo in")
    poster = laptop.context.new_page()
    poster.goto(server.url + (poster_link.get_attribute("href") or ""))
    expect(poster.locator(".op-when")).to_have_text(f"thứ Bảy {second:%d/%m/%Y}, 08:00–11:30")
    expect(poster.locator(".op-place")).to_have_text(PLACE)
    assert_accessible(poster)
    screenshot(poster, "outreach-poster")
    pdf = PdfReader(io.BytesIO(poster.pdf(prefer_css_page_size=True)))
    assert len(pdf.pages) == 1
    width, height = float(pdf.pages[0].mediabox.width), float(pdf.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = " ".join(unicodedata.normalize("NFC", pdf.pages[0].extract_text()).split())
    assert "Mang theo giấy tờ" in text and PLACE in text
    kiosk.context.close()
