"""The example language pack (H'Mông, ``hmn``) as the center's second language: on the
kiosk, the hall display, the rating tablet and the printed ticket (docs/languages.md)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Browser, expect

from queue_server.settings import Settings
from queue_server.workers.printouts import printout_for
from xephang.devices.printer import RenderOptions, render_ticket
from xephang.devices.printer.labels import Style, paragraphs

from .conftest import LiveServer, assert_accessible, page_of, screenshot, screenshot_dir
from .conftest import start_server as start
from .test_ratings import Officer

PACK = {"second_language": "hmn"}


@pytest.fixture(scope="module")
def server(
    demo_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    os.environ["XEPHANG_TEST_CENTER"] = json.dumps(PACK)  # read by server_main.py
    try:
        live = start(demo_settings, tmp_path_factory.mktemp("hmn") / "data")
    finally:
        del os.environ["XEPHANG_TEST_CENTER"]
    yield live
    live.close()


def test_the_kiosk_shows_the_pack_and_switches_to_it(browser: Browser, server: LiveServer) -> None:
    page = next(page_of(browser, 1920, 1080))
    page.goto(f"{server.url}/kiosk?token={server.token('kiosk')}")
    expect(page.locator("#lang-name")).to_have_text("Lus Hmoob")  # its own name, not "hmn"
    title = page.locator("#step-service .k-title")
    expect(title).to_contain_text("Mời quý vị chọn lĩnh vực")
    expect(page.locator(".k-title-second")).to_have_text("Thov xaiv ib qho kev pab cuam")
    expect(page.locator(".k-title-second")).to_have_attribute("lang", "hmn")
    assert_accessible(page)
    screenshot(page, "kiosk-hmn")

    page.click("#lang-toggle")
    expect(page.locator("html")).to_have_attribute("lang", "hmn")
    expect(page.locator("[data-t=choose_service]")).to_have_text("Thov xaiv ib qho kev pab cuam")
    expect(page.locator(".k-title-second")).to_have_text("Mời quý vị chọn lĩnh vực")
    expect(page.locator("#lang-name")).to_have_text("Tiếng Việt")
    page.click("[data-service=HT]")
    expect(page.locator("[data-t=back]").first).to_have_text("Rov qab")
    # A text the example does not translate shows in Vietnamese (its fallback).
    expect(page.locator("[data-t=priority_question]")).to_have_text(
        "Quý vị có thuộc đối tượng ưu tiên không?"
    )
    page.context.close()


def test_the_display_shows_both_languages(browser: Browser, server: LiveServer) -> None:
    page = next(page_of(browser, 1920, 1080))
    page.goto(f"{server.url}/display?token={server.token('display')}")
    expect(page.locator("#board li")).to_have_count(6)
    kiosk, officer = server.token("kiosk"), server.token("officer", counter=2)
    issued = server.api("POST", "/api/v1/tickets", kiosk, {"service": "HT"}).json()
    assert server.api("POST", "/api/v1/counters/2/next", officer, {}).status_code == 200
    expect(page.locator("#latest-number")).to_have_text(issued["number"], timeout=2000)
    seconds = page.locator(".d-second")
    expect(seconds).to_have_text(["Naj npawb", "thov mus rau", "Cov rooj", "Tos"])
    # "Recent calls" is not translated yet: it is not shown twice in Vietnamese.
    expect(page.locator("#recent-label")).to_have_text("Số vừa gọi")
    assert_accessible(page)
    screenshot(page, "display-hmn")
    page.context.close()


def test_the_rating_tablet_asks_in_both_languages(browser: Browser, server: LiveServer) -> None:
    officer = Officer(server, "hmoob", 2)
    page = next(page_of(browser, 1280, 800))
    page.goto(f"{server.url}/rate/2?token={server.token('rating', 2)}")
    expect(page.locator("#step-idle .r-second")).to_have_text("Ua tsaug uas koj tuaj")
    officer.serve(server.token("kiosk"))
    expect(page.locator("#step-rating")).to_be_visible(timeout=2000)
    expect(page.locator("#step-rating")).to_contain_text(
        "Koj puas txaus siab rau peb txoj kev pab?"
    )
    expect(page.locator("[data-score='3']")).to_contain_text("Txaus siab heev")
    assert_accessible(page)
    screenshot(page, "rate-hmn")
    page.context.close()


def test_the_ticket_prints_the_second_language(demo_settings: Settings) -> None:
    settings = demo_settings.model_copy(
        update={"center": demo_settings.center.model_copy(update=PACK)}
    )
    ticket = {
        "number": "HT012",
        "service": "HT",
        "service_name": "Hộ tịch",
        "issued_at": datetime(2026, 11, 23, 1, 5, tzinfo=UTC).isoformat(),  # 08:05 there
        "ahead": 3,
        "estimated_wait_s": 900,
        "track_code": "k7mx4rpa2q",
    }
    printout = printout_for(ticket, settings, "http://10.0.0.2:5000")
    lines = [(p.style, p.text) for p in paragraphs(printout)]
    assert (Style.SMALL, "KOJ TUS NAJ NPAWB") in lines
    heading = lines.index((Style.HEADING, "SỐ THỨ TỰ CỦA QUÝ VỊ"))
    assert lines[heading + 1] == (Style.SMALL, "KOJ TUS NAJ NPAWB")
    # Untranslated lines fall back to Vietnamese and are printed once only.
    texts = [text for _style, text in lines]
    assert len(texts) == len(set(texts))
    image = render_ticket(printout, RenderOptions(width=576)).preview()
    folder = screenshot_dir()
    folder.mkdir(parents=True, exist_ok=True)
    image.save(folder / "ticket-hmn-576.png")
