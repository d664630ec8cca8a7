"""Issue 13.12: pages speak the center's language whatever the browser prefers, with a
switch; programs calling the API may still ask with Accept-Language."""

from __future__ import annotations

from flask import Flask

from .conftest import sign_in

ENGLISH_BROWSER = {"Accept-Language": "en-US,en;q=0.9"}


def test_pages_follow_the_center_not_the_browser(sqlite_app: Flask) -> None:
    client, _headers = sign_in(sqlite_app, "admin")
    page = client.get("/admin/services", headers=ENGLISH_BROWSER).get_data(as_text=True)
    assert '<html lang="vi">' in page and "Đăng xuất" in page
    assert 'lang="en" hreflang="en">English</a>' in page  # the switch
    login = sqlite_app.test_client().get("/login", headers=ENGLISH_BROWSER)
    assert '<html lang="vi">' in login.get_data(as_text=True)


def test_the_switch_is_remembered_and_keeps_the_query(sqlite_app: Flask) -> None:
    client, _headers = sign_in(sqlite_app, "admin")
    english = client.get("/admin/reports?from=2026-11-01&to=2026-11-30&lang=en")
    html = english.get_data(as_text=True)
    assert '<html lang="en">' in html and "Sign out" in html
    assert "xephang_lang=en" in english.headers["Set-Cookie"]
    back = "/admin/reports?from=2026-11-01&amp;to=2026-11-30&amp;lang=vi"
    assert f'<a class="admin-lang" href="{back}" lang="vi" hreflang="vi">Tiếng Việt</a>' in html
    later = client.get("/admin/services").get_data(as_text=True)  # the cookie keeps it
    assert '<html lang="en">' in later
    client.get("/admin/services?lang=vi")
    assert '<html lang="vi">' in client.get("/admin/services").get_data(as_text=True)


def test_the_api_still_answers_in_the_language_asked(sqlite_app: Flask) -> None:
    client = sqlite_app.test_client()
    english = client.get("/api/v1/state", headers=ENGLISH_BROWSER).get_json()["error"]
    vietnamese = client.get("/api/v1/state").get_json()["error"]
    assert english == "Sign in or send an API token." and "đăng nhập" in vietnamese.lower()
