"""Admin changes that follow each other quickly still reach open pages, the last one last.

The module's own server (conftest's ``server`` is per module): its settings change here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Route, WebSocketRoute, expect

from .conftest import LiveServer, sign_in


@pytest.fixture
def helpdesk(browser: Browser, server: LiveServer) -> Iterator[Page]:
    """The help desk page: its categories are redrawn from the page on every change."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    sign_in(page, server, server.user(f"hotro{id(page)}", "helpdesk"), "/helpdesk")
    expect(page.locator("body")).to_have_attribute("data-seq", re.compile(r"\d+"))
    yield page
    context.close()


def rename_elderly(server: LiveServer, name: str) -> None:
    """The admin renames the "elderly" category (as the priorities page would)."""
    admin = server.token("admin")
    found = server.api("GET", "/api/v1/admin/settings", admin).json()["sections"]
    priorities = found["priorities"]
    next(p for p in priorities if p["code"] == "elderly")["name"] = name
    answer = server.api("PUT", "/api/v1/admin/settings/priorities", admin, {"value": priorities})
    assert answer.status_code == 200, answer.text


def elderly(page: Page) -> str:
    return page.locator("#category-grid label", has=page.locator('[value="elderly"]')).inner_text()


def test_a_change_made_while_the_page_takes_its_snapshot_is_drawn(
    helpdesk: Page, server: LiveServer
) -> None:
    """The second change lands while the page asks for a fresh snapshot after the first:
    the snapshot already counts it, but only a redraw brings the page's new parts."""
    armed: list[bool] = []
    second: list[str] = []

    def route(ws: WebSocketRoute) -> None:
        upstream = ws.connect_to_server()
        upstream.on_message(ws.send)

        def from_page(message: str | bytes) -> None:
            if armed and not second and isinstance(message, str) and '"resync"' in message:
                rename_elderly(server, "Người từ 60 tuổi")  # published before the resync
                second.append(message)
            upstream.send(message)

        ws.on_message(from_page)

    helpdesk.route_web_socket(re.compile(r"/socket\.io/"), route)
    helpdesk.reload()  # connect again, now through the route
    helpdesk.wait_for_function("XP.sockets[0].io.engine.transport.name === 'websocket'")
    armed.append(True)
    rename_elderly(server, "Người cao tuổi (từ 60)")
    expect(helpdesk.locator("body")).to_have_attribute("data-settings", "2")  # both drawn
    assert second, "the page never asked for a snapshot"
    assert elderly(helpdesk).strip() == "Người từ 60 tuổi"


def test_the_latest_change_wins_when_redraws_answer_out_of_order(
    helpdesk: Page, server: LiveServer
) -> None:
    seen: list[Route] = []
    held: list[object] = []

    def hold_the_first(route: Route) -> None:
        seen.append(route)  # before fetch(): the next request may come in meanwhile
        if len(seen) > 1:
            route.continue_()
        else:
            held.append(route.fetch())  # the page as the first change left it
            rename_elderly(server, "Người cao tuổi – lần 2")  # and another change

    helpdesk.route(re.compile(r"/helpdesk$"), hold_the_first)
    rename_elderly(server, "Người cao tuổi – lần 1")
    expect(helpdesk.locator("body")).to_have_attribute("data-settings", "1")
    expect(helpdesk.locator("#category-grid")).to_contain_text("Người cao tuổi – lần 2")
    seen[0].fulfill(response=held[0])  # type: ignore[arg-type]  # the older answer, late
    expect(helpdesk.locator("body")).to_have_attribute("data-settings", "2")
    assert elderly(helpdesk).strip() == "Người cao tuổi – lần 2"


def test_a_rating_tablet_shows_its_counter_renamed_without_reload(
    browser: Browser, server: LiveServer
) -> None:
    tablet = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    tablet.goto(f"{server.url}/rate/2?token={server.token('rating', 2)}")
    expect(tablet.locator(".r-counter")).to_have_text("Quầy 2 – Hộ tịch")
    tablet.wait_for_function("XP.sockets.length > 0 && XP.sockets[0].connected")
    tablet.evaluate("window.__sameDocument = true")  # a reload would lose this

    admin = server.token("admin")
    counters = server.api("GET", "/api/v1/admin/settings", admin).json()["sections"]["counters"]
    next(c for c in counters if c["number"] == 2)["name"] = "Quầy 2 – Hộ tịch, Cư trú"
    answer = server.api("PUT", "/api/v1/admin/settings/counters", admin, {"value": counters})
    assert answer.status_code == 200, answer.text

    expect(tablet.locator(".r-counter")).to_have_text("Quầy 2 – Hộ tịch, Cư trú")
    assert tablet.evaluate("window.__sameDocument") is True
    tablet.context.close()


def test_the_help_desk_keeps_the_chosen_category_through_a_change(
    helpdesk: Page, server: LiveServer
) -> None:
    """The officer picked "elderly" for the citizen in front of them when the admin
    changed the notice: the choice stays, and the ticket is issued with it."""
    helpdesk.locator('#category-grid input[value="disabled"]').check()
    admin = server.token("admin")
    changed = server.api(
        "PUT", "/api/v1/admin/settings/center.notice", admin, {"value": "Chiều nay nghỉ."}
    )
    assert changed.status_code == 200, changed.text
    expect(helpdesk.locator("body")).to_have_attribute("data-settings", "1")
    expect(helpdesk.locator('#category-grid input[value="disabled"]')).to_be_checked()
    helpdesk.locator('#service-grid button[value="CT"]').click()
    issued = helpdesk.locator("#issued li").first
    expect(issued.locator(".badge")).to_have_text("Người khuyết tật")
