"""Signing in in Chromium: back to the page asked for (with its query), else the role's
home; the start page ``/``; a session ended elsewhere sends the open console to sign in."""

from __future__ import annotations

import re

import requests
from playwright.sync_api import Page, expect

from .conftest import PASSWORD, LiveServer, assert_accessible, screenshot


def _fill_sign_in(page: Page, username: str) -> None:
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def _asked_then_signed_in(page: Page, server: LiveServer, username: str, target: str) -> None:
    page.goto(f"{server.url}{target}")
    page.wait_for_url(re.compile(r"/login\?next="))
    _fill_sign_in(page, username)
    page.wait_for_url(f"{server.url}{target}")  # no second visit needed


def test_an_officer_lands_on_the_console_asked_for(page: Page, server: LiveServer) -> None:
    _asked_then_signed_in(page, server, server.user("si-officer", "officer"), "/officer")
    expect(page.locator("#pick-counter")).to_be_visible()


def test_the_help_desk_lands_on_the_help_desk(page: Page, server: LiveServer) -> None:
    _asked_then_signed_in(page, server, server.user("si-hotro", "helpdesk"), "/helpdesk")
    expect(page.locator("#issue-form")).to_be_visible()


def test_a_report_link_keeps_its_dates(page: Page, server: LiveServer) -> None:
    target = "/admin/reports?from=2026-11-02&to=2026-11-27"
    _asked_then_signed_in(page, server, server.user("si-lanhdao", "manager"), target)
    expect(page.locator("input[name=from]")).to_have_value("2026-11-02")
    expect(page.locator("input[name=to]")).to_have_value("2026-11-27")


def test_the_start_page_leads_to_sign_in_and_then_home(page: Page, server: LiveServer) -> None:
    username = server.user("si-start", "helpdesk")
    page.goto(f"{server.url}/")
    expect(page.locator("h1")).to_have_text(server.settings.center.name)
    for name in ("Màn hình sảnh chờ", "Máy lấy số", "Bàn làm việc của cán bộ", "Báo cáo"):
        expect(page.get_by_role("link", name=name)).to_be_visible()
    assert_accessible(page)
    screenshot(page, "start")
    page.get_by_role("link", name="Đăng nhập").click()
    _fill_sign_in(page, username)
    page.wait_for_url(f"{server.url}/helpdesk")  # no page asked for: the role's home
    page.goto(f"{server.url}/")
    expect(page.get_by_role("link", name="Quầy Hướng dẫn – Hỗ trợ")).to_be_visible()
    expect(page.get_by_role("link", name="Bàn làm việc của cán bộ")).to_have_count(0)
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def test_signing_out_elsewhere_sends_the_open_console_to_sign_in(
    page: Page, server: LiveServer
) -> None:
    _asked_then_signed_in(page, server, server.user("si-twotabs", "officer"), "/officer")
    expect(page.locator("#pick-counter")).to_be_visible()
    page.locator("#pick-counter button").first.click()
    expect(page.locator("#console")).to_be_visible()
    # The same session, signed out from another tab (its cookie, its CSRF token).
    http = requests.Session()
    for cookie in page.context.cookies():
        http.cookies.set(cookie["name"], cookie["value"])
    csrf = http.get(f"{server.url}/api/v1/session", timeout=5).json()["csrf_token"]
    out = http.post(
        f"{server.url}/logout", headers={"X-CSRF-Token": csrf}, allow_redirects=False, timeout=5
    )
    assert out.status_code == 303
    page.wait_for_url(re.compile(r"/login\?next=/officer$"), timeout=10_000)
    expect(page.locator("input[name=username]")).to_be_visible()  # a form, not "signed in"
