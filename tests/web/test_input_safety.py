"""Text that would break pages or storage is refused at the door; a bad stored value
cannot take the public screens down (issue 12). Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import insert, select

from queue_server.core import audit
from queue_server.core.models import CenterSetting
from queue_server.core.operations import Queue
from queue_server.core.overrides import section_hash
from queue_server.core.text import bad_character, clean_text
from queue_server.runtime import start_app
from queue_server.settings import Settings
from tests.web.conftest import CSRF_FIELD, sign_in

TokenMaker = Callable[..., dict[str, str]]
PUBLIC_PAGES = ("/display", "/kiosk", "/rate/1", "/admin/notice", "/api/v1/admin/settings")
BAD_TEXTS = ('"x \\ud800"', '"a\\u0000b"', '"bell\\u0007"', '"rtl \\u202e override"')


def _assert_screens_render(app: Flask) -> None:
    client, _csrf = sign_in(app, "admin")
    for path in PUBLIC_PAGES:
        assert client.get(path).status_code == 200, path


def _put_notice(client: FlaskClient, admin: dict[str, str], raw_value: str) -> int:
    response = client.put(
        "/api/v1/admin/settings/center.notice",
        data='{"value": ' + raw_value + "}",
        headers={**admin, "Content-Type": "application/json"},
    )
    return response.status_code


@pytest.mark.parametrize("raw", BAD_TEXTS)
def test_a_bad_notice_is_a_400_and_is_not_stored(
    app: Flask, client: FlaskClient, token: TokenMaker, queue: Queue, raw: str
) -> None:
    admin = token("admin")
    response = client.put(
        "/api/v1/admin/settings/center.notice",
        data='{"value": ' + raw + "}",
        headers={**admin, "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    body = response.get_json()
    assert body["field"] == "center.notice"
    assert body["problems"][0]["message"] == "có ký tự không được phép"
    with queue.db.read() as conn:
        assert conn.execute(select(CenterSetting.key)).scalars().all() == []
    _assert_screens_render(app)


def test_a_notice_may_have_several_lines(client: FlaskClient, token: TokenMaker) -> None:
    admin = token("admin")
    assert _put_notice(client, admin, '"Giờ làm việc:\\n7:30–11:30"') == 200
    notice = client.get("/api/v1/admin/settings", headers=admin).get_json()["sections"]
    assert notice["center.notice"] == "Giờ làm việc:\n7:30–11:30"


def test_a_service_name_holds_one_line(client: FlaskClient, token: TokenMaker) -> None:
    admin = token("admin")
    services = client.get("/api/v1/admin/settings", headers=admin).get_json()["sections"]
    services = services["services"]
    services[0]["name"] = "Hộ tịch\nvà chứng thực"
    response = client.put(
        "/api/v1/admin/settings/services", json={"value": services}, headers=admin
    )
    assert response.status_code == 400
    assert response.get_json()["field"] == "services[0].name"


@pytest.mark.parametrize(
    "body",
    [
        '{"service": "HT\\ud800"}',
        '{"service": "HT\\u0000"}',
        '{"service": "HT", "contact": {"phone": "0912\\u0000", "consent": true}}',
    ],
)
def test_bad_text_in_a_request_body_is_a_400(
    helpdesk: tuple[FlaskClient, dict[str, str]], body: str
) -> None:
    client, csrf = helpdesk
    response = client.post(
        "/api/v1/tickets", data=body, headers={**csrf, "Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert "field" in response.get_json()


def test_a_bad_stored_override_is_dropped_and_the_screens_render(
    settings: Settings, queue: Queue, token: TokenMaker
) -> None:
    """A bad row written before this fix (or by hand) is dropped at start, with an
    audit entry; the screens show the file's notice."""
    bad = "x \x07 bell" if queue.db.dialect == "postgresql" else "x \ud800"
    with queue.db.write() as conn:
        conn.execute(
            insert(CenterSetting).values(
                key="center.notice",
                value={"value": bad, "file_hash": section_hash(settings.section("center.notice"))},
                updated_at=queue.clock.now(),
                updated_by="user:old",
            )
        )
    app = start_app(settings, queue=queue, testing=True)
    _assert_screens_render(app)
    client = app.test_client()
    admin = token("admin")
    found = client.get("/api/v1/admin/settings", headers=admin).get_json()
    assert found["sections"]["center.notice"] == settings.center.notice
    assert found["overridden"] == {}
    with queue.db.read() as conn:
        dropped = [e for e in audit.entries(conn) if e.action == "settings.override_dropped"]
    assert [(e.target, e.detail["reason"]) for e in dropped] == [
        ("center.notice", "no_longer_valid")
    ]


def test_a_screen_renders_a_value_utf8_cannot_hold(app: Flask, token: TokenMaker) -> None:
    """The last line of defence: text that slipped in is sent with ``?``, not a 500."""
    state = app.extensions["xephang"]
    center = state.settings.center.model_copy(update={"notice": "Thông báo \ud800 cuối"})
    state.settings = state.settings.model_copy(update={"center": center})
    client = app.test_client()
    page = client.get("/display")
    assert page.status_code == 200
    assert "Thông báo ? cuối" in page.get_data(as_text=True)
    admin = token("admin")
    assert client.get("/api/v1/admin/settings", headers=admin).status_code == 200


def test_a_5000_digit_number_is_a_400(client: FlaskClient, token: TokenMaker) -> None:
    response = client.post(
        "/api/v1/tickets",
        data='{"service": "HT", "priority": ' + "9" * 5000 + "}",
        headers={**token("kiosk"), "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert "error" in response.get_json()


def test_an_unreadable_ticket_number_has_no_sound(client: FlaskClient) -> None:
    for path in ("/audio/call/ZZ999999/1.wav", "/audio/call/ZZ999999/1.json"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "error" in response.get_json()


@pytest.mark.parametrize(
    ("text", "multiline", "refused"),
    [
        ("Hộ tịch", False, False),
        ("a\nb", False, True),
        ("a\nb\tc", True, False),
        ("a\x00b", True, True),
        ("a\x85b", True, True),
        ("\ud800", True, True),
        ("\ufffe", True, True),
        ("a\u202eb", True, True),
    ],
)
def test_which_characters_are_refused(text: str, multiline: bool, refused: bool) -> None:
    assert (bad_character(text, multiline=multiline) is not None) is refused


def test_text_is_stored_in_nfc() -> None:
    decomposed = "Ho\u0302\u0323 ti\u0323ch"  # "Hộ tịch" typed with combining marks
    assert clean_text(decomposed) == "Hộ tịch"


def test_the_notice_form_refuses_a_control_character(app: Flask, settings: Settings) -> None:
    client, _csrf = sign_in(app, "admin")
    form = client.get("/admin/notice").get_data(as_text=True)
    match = CSRF_FIELD.search(form)
    assert match is not None
    response = client.post(
        "/admin/notice", data={"notice": "Nghỉ lễ\x1b[31m", "csrf_token": match.group(1)}
    )
    assert response.status_code == 400
    assert "có ký tự không được phép" in response.get_data(as_text=True)
    assert app.extensions["xephang"].settings.center.notice == settings.center.notice
