"""Sessions end for real (sign-out, disable, role or password change), sign-in returns
to the page asked for (same-site paths only), and ``/`` is a start page."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from queue_server.auth.users import add_user, list_users, set_active
from queue_server.core.operations import Queue

from .conftest import CSRF_FIELD, PASSWORD, sign_in


def _user_id(queue: Queue, client: FlaskClient) -> int:
    name = client.get("/api/v1/session").get_json()["name"]
    return next(u["id"] for u in list_users(queue.db) if u["username"] == name)


def _copy(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of ``client``'s cookie (saved before sign-out)."""
    other = app.test_client()
    cookie = client.get_cookie("session")
    assert cookie is not None
    other.set_cookie("session", cookie.value)
    return other


def _sign_in_form(client: FlaskClient, path: str = "/login") -> str:
    match = CSRF_FIELD.search(client.get(path).get_data(as_text=True))
    assert match is not None
    return match.group(1)


# --------------------------------------------------------------------- sessions end
def test_a_cookie_saved_before_sign_out_no_longer_works(app: Flask) -> None:
    client, headers = sign_in(app, "helpdesk")
    saved = _copy(app, client)
    assert saved.get("/api/v1/contacts").status_code == 200
    out = client.post("/logout", data={"csrf_token": headers["X-CSRF-Token"]})
    assert out.status_code == 303
    assert saved.get("/api/v1/contacts").status_code == 401
    assert saved.get("/api/v1/session").status_code == 401
    form = saved.get("/login?next=/helpdesk").get_data(as_text=True)
    assert 'name="password"' in form and 'action="/logout"' not in form  # the form again


def test_sign_out_ends_every_session_of_the_user(app: Flask, queue: Queue) -> None:
    add_user(queue.db, "thu", "helpdesk", PASSWORD)
    browsers = []
    for _ in range(2):
        browser = app.test_client()
        data = {"username": "thu", "password": PASSWORD, "csrf_token": _sign_in_form(browser)}
        assert browser.post("/login", data=data).status_code == 303
        browsers.append(browser)
    first, second = browsers
    csrf = first.get("/api/v1/session").get_json()["csrf_token"]
    first.post("/logout", headers={"X-CSRF-Token": csrf})
    assert second.get("/api/v1/contacts").status_code == 401
    # Signing in again works, with a session of the new generation.
    data = {"username": "thu", "password": PASSWORD, "csrf_token": _sign_in_form(second)}
    assert second.post("/login", data=data).status_code == 303
    assert second.get("/api/v1/contacts").status_code == 200


def _admin_change(admin: FlaskClient, user_id: int, **form: str) -> None:
    page = admin.get("/admin/users").get_data(as_text=True)
    csrf = CSRF_FIELD.search(page)
    assert csrf is not None
    data = {"csrf_token": csrf.group(1), "active": "on", **form}
    response = admin.post(f"/admin/users/{user_id}", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("change", "ends"),
    [
        ({"role": "helpdesk"}, False),  # the form saved unchanged
        ({"role": "officer"}, True),
        ({"role": "helpdesk", "password": "a brand new password"}, True),
    ],
)
def test_a_role_or_password_change_ends_the_sessions(
    app: Flask, queue: Queue, change: dict[str, str], ends: bool
) -> None:
    user, _headers = sign_in(app, "helpdesk")
    admin, _admin_headers = sign_in(app, "admin")
    _admin_change(admin, _user_id(queue, user), **change)
    assert user.get("/api/v1/contacts").status_code == (401 if ends else 200)


def test_disabling_on_the_command_line_ends_the_sessions(app: Flask, queue: Queue) -> None:
    user, _headers = sign_in(app, "helpdesk")
    name = user.get("/api/v1/session").get_json()["name"]
    set_active(queue.db, name, False)
    assert user.get("/api/v1/contacts").status_code == 401
    set_active(queue.db, name, True)  # enabled again: the old cookie stays ended
    assert user.get("/api/v1/contacts").status_code == 401


# ---------------------------------------------------------------- where sign-in leads
def _post_login(app: Flask, queue: Queue, role: str, query: str = "", **form: str) -> str:
    username = f"u-{role}-{len(list_users(queue.db))}"
    add_user(queue.db, username, role, PASSWORD)
    client = app.test_client()
    data = {"username": username, "password": PASSWORD, "csrf_token": _sign_in_form(client)}
    response = client.post("/login" + query, data=data | form)
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"]


@pytest.mark.parametrize(
    "target",
    [
        "/%09/evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "/%5Cevil.example/",
        "https://evil.example/",
        "javascript:alert(1)",
        "/%0D%0ASet-Cookie:%20x=1",
        "/%0A/evil.example/",
        "evil.example",
        "/login",
    ],
)
def test_sign_in_never_leads_off_site(app: Flask, queue: Queue, target: str) -> None:
    assert _post_login(app, queue, "officer", f"?next={target}") == "/officer"


@pytest.mark.parametrize(
    ("role", "home"),
    [
        ("officer", "/officer"),
        ("helpdesk", "/helpdesk"),
        ("manager", "/admin/reports"),
        ("volunteer", "/assist"),
    ],
)
def test_without_next_a_user_lands_on_their_home_screen(
    app: Flask, queue: Queue, role: str, home: str
) -> None:
    assert _post_login(app, queue, role) == home


def test_the_page_asked_for_comes_back_with_its_query(app: Flask, queue: Queue) -> None:
    wanted = "/admin/reports?from=2026-11-02&to=2026-11-27&by=week"
    asked = app.test_client().get(wanted)
    assert asked.status_code == 303
    location = urlsplit(asked.headers["Location"])
    assert location.path == "/login"
    assert parse_qs(location.query)["next"] == [wanted]
    # The form keeps it (a hidden field), so posting the form returns there.
    client = app.test_client()
    form = client.get(asked.headers["Location"]).get_data(as_text=True)
    hidden = re.search(r'name="next" value="([^"]+)"', form)
    assert hidden is not None and hidden.group(1).replace("&amp;", "&") == wanted
    assert _post_login(app, queue, "manager", next=wanted) == wanted


# ------------------------------------------------------------------------ start page
def test_the_start_page_lists_the_screens_and_a_sign_in_link(client: FlaskClient) -> None:
    page = client.get("/", headers={"Accept-Language": "vi"})
    assert page.status_code == 200 and "text/html" in page.content_type
    html = page.get_data(as_text=True)
    for path in ("/display", "/kiosk", "/officer", "/helpdesk", "/admin/reports", "/login"):
        assert f'href="{path}"' in html
    assert "Đăng nhập" in html and "Màn hình sảnh chờ" in html
    assert '<html lang="vi">' in html


def test_a_signed_in_user_sees_their_screens(app: Flask) -> None:
    officer, _headers = sign_in(app, "officer")
    html = officer.get("/").get_data(as_text=True)
    assert 'href="/officer"' in html and 'href="/helpdesk"' not in html
    assert 'action="/logout"' in html
    admin, _headers = sign_in(app, "admin")
    html = admin.get("/").get_data(as_text=True)
    for path in ("/officer", "/helpdesk", "/admin/", "/display", "/kiosk"):
        assert f'href="{path}"' in html


def test_a_late_answer_does_not_put_the_old_counter_back(app: Flask) -> None:
    """The officer console's requests overlap: one read before the counter was chosen
    may be answered after it. Its answer sets no cookie, so the choice stays."""
    client, csrf = sign_in(app, "officer")
    before = client.get_cookie("session")
    assert before is not None
    chosen = client.post("/api/v1/session/counter", json={"counter": 2}, headers=csrf)
    assert chosen.status_code == 200 and chosen.headers.get("Set-Cookie")
    late = app.test_client()  # the request in flight: it carries the cookie from before
    late.set_cookie("session", before.value)
    answer = late.get("/api/v1/session")
    assert answer.status_code == 200 and answer.get_json()["counter"] is None
    assert "Set-Cookie" not in answer.headers, "an unchanged session is not sent again"
    assert client.get("/api/v1/session").get_json()["counter"] == 2
