"""Admin pages and API: changes are validated, saved, audited and take effect at once."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from queue_server.auth.tokens import create_token
from queue_server.auth.users import authenticate, list_users
from queue_server.core.contacts import purge_contacts
from queue_server.core.envelope import Envelope
from queue_server.relay import Relay
from queue_server.runtime import start_app

from .conftest import deactivate_counter

Headers = dict[str, str]
Admin = tuple[FlaskClient, Headers]
Signer = Callable[..., Admin]


def bearer(app: Flask, role: str) -> Headers:
    secret, _info = create_token(app.extensions["xephang"].queue.db, role)
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def live_app(settings: Any, sqlite_queue: Any, bus: Relay) -> Flask:
    return start_app(settings, queue=sqlite_queue, relay=bus, testing=True)


@pytest.fixture
def admin(live_app: Flask, signer: Signer) -> Admin:
    return signer(live_app, "admin")


def service_form(live_app: Flask, code: str, **changes: Any) -> dict[str, Any]:
    """The service's form as the page would submit it, with ``changes``."""
    service = next(s for s in live_app.extensions["xephang"].settings.services if s.code == code)
    form = {
        "key": code,
        "f_name": service.name,
        "f_label": service.labels.get("en", ""),
        "f_prefix": service.prefix,
        "f_icon": service.icon or "",
        "f_default_service_s": str(service.default_service_s),
        "f_active": "on",
    }
    if service.helpdesk:
        form["f_helpdesk"] = "on"
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def post(admin: Admin, path: str, data: dict[str, Any]) -> Any:
    client, headers = admin
    return client.post(path, data={"csrf_token": headers["X-CSRF-Token"], **data})


def test_pages_need_an_admin(live_app: Flask, signer: Signer) -> None:
    anonymous = live_app.test_client()
    response = anonymous.get("/admin/services")
    assert response.status_code == 303 and "/login" in response.headers["Location"]
    officer, _headers = signer(live_app, "officer")
    assert officer.get("/admin/services").status_code == 403
    assert officer.post("/admin/services", data={}).status_code == 403


@pytest.mark.parametrize(
    "page", ["services", "counters", "priorities", "kiosks", "notice", "users", "tokens", "audit"]
)
def test_every_page_draws_in_vietnamese(admin: Admin, page: str) -> None:
    client, _headers = admin
    response = client.get(f"/admin/{page}", headers={"Accept-Language": "vi"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Đăng xuất" in html and "Nhật ký thay đổi" in html  # menu in Vietnamese


def test_renaming_a_service_takes_effect_at_once(
    live_app: Flask, admin: Admin, events: list[Envelope]
) -> None:
    response = post(
        admin, "/admin/services", service_form(live_app, "HT", f_name="Hộ tịch – Khai sinh")
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    assert [e.payload["sections"] for e in events if e.name == "settings_changed"] == [["services"]]
    kiosk = bearer(live_app, "kiosk")
    client = live_app.test_client()
    names = {
        s["code"]: s["name"]
        for s in client.get("/api/v1/services", headers=kiosk).get_json()["services"]
    }
    assert names["HT"] == "Hộ tịch – Khai sinh"
    assert "Hộ tịch – Khai sinh" in client.get("/kiosk").get_data(as_text=True)
    ticket = client.post("/api/v1/tickets", json={"service": "HT"}, headers=kiosk).get_json()
    assert ticket["service_name"] == "Hộ tịch – Khai sinh"


def test_adding_a_counter_with_its_led_board(live_app: Flask, admin: Admin) -> None:
    form = {
        "key": "",
        "f_number": "7",
        "f_name": "Quầy 7 – Đất đai",
        "f_services": "DD, HKD",
        "f_led_bus": "rs485",
        "f_led_address": "17",
        "f_active": "on",
    }
    assert post(admin, "/admin/counters", form).status_code == 303
    settings = live_app.extensions["xephang"].settings
    assert settings.counters[-1].services == ["DD", "HKD"]
    assert (settings.led.boards[-1].counter, settings.led.boards[-1].address) == (7, 17)
    display = bearer(live_app, "display")
    state = live_app.test_client().get("/api/v1/state", headers=display).get_json()
    assert any(c["number"] == 7 and c["name"] == "Quầy 7 – Đất đai" for c in state["counters"])


@pytest.mark.parametrize(
    ("path", "form", "words", "field"),
    [
        ("/admin/services", {"f_prefix": "A"}, "&#39;A&#39; bị dùng hai lần", "HT-prefix"),
        (
            "/admin/counters",
            {"f_services": "HT, XX"},
            "không có dịch vụ &#39;XX&#39;",
            "2-services",
        ),
        (
            "/admin/counters",
            {"f_led_bus": "rs232"},
            "không có đường truyền LED &#39;rs232&#39;",
            "2-led_address",
        ),
        (
            "/admin/services",
            {"f_default_service_s": "năm phút"},
            "Nhập một số nguyên",
            "HT-default_service_s",
        ),
    ],
)
def test_invalid_changes_are_explained_next_to_the_field_and_change_nothing(
    live_app: Flask,
    admin: Admin,
    events: list[Envelope],
    path: str,
    form: dict[str, str],
    words: str,
    field: str,
) -> None:
    state = live_app.extensions["xephang"]
    before = state.settings
    if path.endswith("services"):
        data = service_form(live_app, "HT", **form)
    else:
        data = {
            "key": "2",
            "f_name": "Quầy 2 – Hộ tịch",
            "f_services": "HT, CTR",
            "f_led_bus": "rs485",
            "f_led_address": "2",
            "f_active": "on",
            **form,
        }
    response = post(admin, path, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert words in html
    assert f'id="{field}"' in html and f'aria-describedby="{field}-error"' in html
    for value in form.values():  # what was typed is still there
        assert value in html or value == "rs232"
    assert state.settings is before
    assert not [e for e in events if e.name == "settings_changed"]
    client, _headers = admin
    assert "Nothing yet" in client.get("/admin/audit?lang=en").get_data(as_text=True)


def test_a_form_without_the_csrf_token_changes_nothing(live_app: Flask, admin: Admin) -> None:
    client, _headers = admin
    response = client.post("/admin/services", data=service_form(live_app, "HT", f_name="X"))
    assert response.status_code == 400
    assert live_app.extensions["xephang"].settings.services[1].name == "Hộ tịch"


def test_a_service_with_waiting_tickets_is_not_deactivated(live_app: Flask, admin: Admin) -> None:
    queue = live_app.extensions["xephang"].queue
    queue.issue("CT")
    response = post(admin, "/admin/services", service_form(live_app, "CT", f_active=None))
    assert response.status_code == 409
    assert "CT" in response.get_data(as_text=True)
    assert "CT" in queue.catalogue.services


def test_the_notice_changes_and_the_audit_log_says_who(live_app: Flask, admin: Admin) -> None:
    assert post(admin, "/admin/notice", {"notice": "Chiều nay nghỉ"}).status_code == 303
    assert live_app.extensions["xephang"].settings.center.notice == "Chiều nay nghỉ"
    assert "Chiều nay nghỉ" in live_app.test_client().get("/display").get_data(as_text=True)
    client, _headers = admin
    html = client.get("/admin/audit", headers={"Accept-Language": "vi"}).get_data(as_text=True)
    assert "Thông báo trên màn hình" in html and "<td>admin-" in html and "Chiều nay nghỉ" in html


def test_tokens_made_on_the_page_work_and_revoked_ones_stop(live_app: Flask, admin: Admin) -> None:
    response = post(admin, "/admin/tokens", {"name": "Màn hình sảnh", "role": "display"})
    assert response.status_code == 201
    html = response.get_data(as_text=True)
    secret = html.split('<code id="new-token">', 1)[1].split("</code>", 1)[0]
    client = live_app.test_client()
    bearer = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/state", headers=bearer).status_code == 200
    admin_client, _headers = admin
    listing = admin_client.get("/admin/tokens").get_data(as_text=True)
    assert secret not in listing and "Màn hình sảnh" in listing  # shown once only
    token_id = int(re.findall(r'<tr id="token-(\d+)"', listing)[0])
    assert post(admin, f"/admin/tokens/{token_id}/revoke", {}).status_code == 303
    assert client.get("/api/v1/state", headers=bearer).status_code == 401


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("days", "99999999999", "Nhập một số nguyên."),
        ("days", "²", "Nhập một số nguyên."),
        ("counter", "²", "Nhập một số nguyên."),
        ("days", "3650000", "Nhập một số nguyên."),
        ("days", "40000", "Mã truy cập có hiệu lực tối đa 36500 ngày"),
    ],
)
def test_a_token_form_with_an_odd_number_is_refused_politely(
    live_app: Flask, admin: Admin, field: str, value: str, message: str
) -> None:
    form = {"name": "Máy đánh giá quầy 2", "role": "rating", "counter": "2", field: value}
    response = post(admin, "/admin/tokens", form)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f'role="alert">{message}' in html
    assert 'value="Máy đánh giá quầy 2"' in html  # what was typed is still there
    assert "new-token" not in html


def test_users_are_added_reset_and_deactivated(live_app: Flask, admin: Admin) -> None:
    form = {
        "username": "lan",
        "display_name": "Nguyễn Thị Lan",
        "role": "officer",
        "password": "mật khẩu dài",
    }
    assert post(admin, "/admin/users", form).status_code == 303
    queue = live_app.extensions["xephang"].queue
    user_id = next(u["id"] for u in list_users(queue.db) if u["username"] == "lan")
    assert authenticate(queue.db, "lan", "mật khẩu dài") is not None
    changed = {"role": "helpdesk", "active": "on", "password": "mật khẩu mới 2"}
    assert post(admin, f"/admin/users/{user_id}", changed).status_code == 303
    found = authenticate(queue.db, "lan", "mật khẩu mới 2")
    assert found is not None and found.role == "helpdesk"
    assert post(admin, f"/admin/users/{user_id}", {"role": "helpdesk"}).status_code == 303
    assert authenticate(queue.db, "lan", "mật khẩu mới 2") is None
    short = post(admin, "/admin/users", {**form, "username": "minh", "password": "ngắn"})
    assert short.status_code == 400 and "8" in short.get_data(as_text=True)


def test_the_last_admin_cannot_be_locked_out(live_app: Flask, admin: Admin) -> None:
    queue = live_app.extensions["xephang"].queue
    me = next(u for u in list_users(queue.db) if u["role"] == "admin")
    response = post(admin, f"/admin/users/{me['id']}", {"role": "officer", "active": "on"})
    assert response.status_code == 409
    assert next(u for u in list_users(queue.db) if u["id"] == me["id"])["role"] == "admin"


def test_json_api_changes_a_section_and_explains_errors(live_app: Flask) -> None:
    def make(role: str) -> Headers:
        return bearer(live_app, role)

    client = live_app.test_client()
    admin_token = make("admin")
    read = client.get("/api/v1/admin/settings", headers=admin_token).get_json()
    assert read["overridden"] == {} and read["sections"]["counters"][0]["number"] == 1
    ok = client.put(
        "/api/v1/admin/settings/center.notice", json={"value": "Xin chào"}, headers=admin_token
    )
    assert ok.status_code == 200 and ok.get_json()["value"] == "Xin chào"
    boards = read["sections"]["led.boards"]
    boards[0]["bus"] = "rs232"
    bad = client.put(
        "/api/v1/admin/settings/led.boards", json={"value": boards}, headers=admin_token
    )
    assert bad.status_code == 400
    assert bad.get_json()["field"] == "led.boards[0]" and "rs232" in bad.get_json()["error"]
    english = client.put(
        "/api/v1/admin/settings/led.boards",
        json={"value": boards},
        headers={**admin_token, "Accept-Language": "en"},
    )
    assert english.get_json()["error"] == "led.boards[0]: unknown LED bus 'rs232'"
    assert (
        client.put(
            "/api/v1/admin/settings/nope", json={"value": 1}, headers=admin_token
        ).status_code
        == 404
    )
    assert client.get("/api/v1/admin/settings", headers=make("display")).status_code == 403
    devices = client.get("/api/v1/devices/settings", headers=make("display")).get_json()
    assert devices["sections"]["led.boards"][0]["bus"] == "rs485"
    entries = client.get("/api/v1/admin/audit", headers=admin_token).get_json()["entries"]
    assert [(e["action"], e["target"]) for e in entries] == [("settings.change", "center.notice")]


def test_a_kiosk_printer_is_changed_with_the_files_keys(live_app: Flask, admin: Admin) -> None:
    client, _headers = admin
    page = client.get("/admin/kiosks").get_data(as_text=True)
    assert 'id="kiosk-1-printer_kind"' in page and "dot_width = 576" not in page  # defaults hidden
    form = {
        "key": "kiosk-1",
        "f_label": "Kiosk cửa chính",
        "f_printer_kind": "network",
        "f_printer_options": 'host = "127.0.0.1"\nport = 9100\ndot_width = 512',
    }
    assert post(admin, "/admin/kiosks", form).status_code == 303
    kiosk = live_app.extensions["xephang"].settings.kiosks[0]
    assert kiosk.label == "Kiosk cửa chính"
    assert (kiosk.printer.kind, kiosk.printer.host, kiosk.printer.dot_width) == (
        "network",
        "127.0.0.1",
        512,
    )
    assert "dot_width = 512" in client.get("/admin/kiosks").get_data(as_text=True)
    broken = post(admin, "/admin/kiosks", {**form, "f_printer_options": "host = "})
    assert broken.status_code == 400 and "TOML" in broken.get_data(as_text=True)
    missing = post(admin, "/admin/kiosks", {**form, "f_printer_options": "port = 9100"})
    assert missing.status_code == 400 and "kiosks[0].printer" in missing.get_data(as_text=True)


def test_a_page_change_is_saved_on_both_databases(app: Flask, signer: Signer) -> None:
    """The same save path on SQLite and PostgreSQL: override row, audit entry, catalogue."""
    admin = signer(app, "admin")
    form = service_form(app, "DD", f_name="Đất đai – Xây dựng", f_label="Land and building")
    assert post(admin, "/admin/services", form).status_code == 303
    queue = app.extensions["xephang"].queue
    assert queue.catalogue.services["DD"].name == "Đất đai – Xây dựng"
    assert queue.catalogue.services["DD"].labels == {"en": "Land and building"}
    client, _headers = admin
    html = client.get("/admin/audit", headers={"Accept-Language": "vi"}).get_data(as_text=True)
    assert "DD: Tên: Đất đai → Đất đai – Xây dựng" in html  # the field label, not "name"


def test_the_audit_log_far_past_its_end_is_empty_not_an_error(
    live_app: Flask, admin: Admin
) -> None:
    client, _headers = admin
    token = bearer(live_app, "admin")
    for offset in ("99999999999999999999", "9223372036854775808"):
        found = client.get(f"/api/v1/admin/audit?offset={offset}", headers=token)
        assert (found.status_code, found.get_json()) == (200, {"entries": []})
    page = client.get("/admin/audit?page=99999999999999999999", headers={"Accept-Language": "vi"})
    assert page.status_code == 200 and "Chưa có gì." in page.get_data(as_text=True)


def test_the_audit_log_names_the_phone_number_purge_and_withdrawals(
    live_app: Flask, admin: Admin
) -> None:
    """The daily maintenance and the help desk write these entries; the page says them
    in Vietnamese with their counts (never a number)."""
    queue = live_app.extensions["xephang"].queue
    desk = bearer(live_app, "admin")
    client, _headers = admin
    contact = {"phone": "0912 345 678", "consent": True}
    issued = client.post(
        "/api/v1/tickets", json={"service": "HT", "contact": contact}, headers=desk
    ).get_json()
    assert client.delete(f"/api/v1/contacts/{issued['id']}", headers=desk).status_code == 204
    purge_contacts(queue.db, queue.clock.now(), 30, "system:maintenance")

    html = client.get("/admin/audit", headers={"Accept-Language": "vi"}).get_data(as_text=True)
    cells = [re.findall(r"<td>(.*?)</td>", row, re.S) for row in html.split("<tr>")[2:4]]
    purge, withdrawal = ([re.sub(r"<[^>]+>", "|", cell) for cell in row[1:]] for row in cells)
    assert purge == [
        "Hệ thống (bảo trì hằng ngày)",
        "Xóa số điện thoại lưu quá hạn",
        "Số điện thoại gọi lại",
        "|đã xóa 0 số điện thoại||đã lưu quá 30 ngày|",
    ]
    assert withdrawal[1:] == [
        "Xóa số điện thoại theo yêu cầu của người dân",
        "Số điện thoại gọi lại",
        "|đã xóa 1 số điện thoại|",
    ]
    assert "privacy." not in html and "ticket_contacts" not in html and "0912" not in html


def test_the_token_form_says_rating_tokens_need_a_counter_too(admin: Admin) -> None:
    client, _headers = admin
    html = client.get("/admin/tokens", headers={"Accept-Language": "vi"}).get_data(as_text=True)
    assert '<label for="token-counter">Quầy (mã của cán bộ và của máy đánh giá)</label>' in html


@pytest.mark.parametrize(
    ("path", "form", "message"),
    [
        ("/admin/users", {"username": "lan\x00"}, "Nội dung có ký tự không lưu được."),
        ("/admin/users", {"display_name": "Lan\x00"}, "Nội dung có ký tự không lưu được."),
        ("/admin/users", {"display_name": "Lan " * 60}, "Họ tên có tối đa 200 ký tự."),
        ("/admin/tokens", {"name": "Kiosk\x00", "role": "kiosk"}, "Nội dung có ký tự không lưu"),
    ],
)
def test_text_a_database_cannot_hold_is_refused_on_both(
    app: Flask, signer: Signer, path: str, form: dict[str, str], message: str
) -> None:
    """PostgreSQL refuses NUL characters and over-long names: a message, not a 500."""
    admin = signer(app, "admin")
    typed = {"username": "lan", "role": "officer", "password": "mật khẩu dài", **form}
    response = post(admin, path, typed)
    assert response.status_code == 400, response.get_data(as_text=True)[-300:]
    assert f'role="alert">{message}' in response.get_data(as_text=True)
    assert "lan" not in [u["username"] for u in list_users(app.extensions["xephang"].queue.db)]


def test_signing_in_with_a_nul_character_is_just_a_wrong_name(app: Flask) -> None:
    client = app.test_client()
    form = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert csrf is not None
    typed = {"username": "lan\x00", "password": "x", "csrf_token": csrf.group(1)}
    assert client.post("/login", data=typed).status_code == 401


def test_a_deactivated_counter_keeps_its_number_in_todays_calls(app: Flask) -> None:
    """The hall display lists today's calls from the snapshot: a counter closed since
    still shows as "Quầy 6", never as a counter without a number."""
    client = app.test_client()
    admin, kiosk = bearer(app, "admin"), bearer(app, "kiosk")
    client.post("/api/v1/tickets", json={"service": "NCC"}, headers=kiosk)
    called = client.post("/api/v1/counters/6/next", headers=admin).get_json()["ticket"]
    assert client.post("/api/v1/counters/6/finish", headers=admin).status_code == 200
    deactivate_counter(client, admin, 6)

    state = client.get("/api/v1/state", headers=admin).get_json()
    assert 6 not in [c["number"] for c in state["counters"]]  # gone from the board
    (call,) = state["recent_calls"]
    assert (call["number"], call["counter"]) == (called["number"], 6)
    assert call["counter_name"] == "Quầy 6 – Xã hội, Người có công"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ('host = "10.0.0.9"\nport = "chín nghìn"', "port: phải là số nguyên"),
        ('host = "10.0.0.9"\nport = 9100.5', "port: phải là số nguyên"),
        ("host = 10", "host: phải là chữ (trong dấu ngoặc kép)"),
        ('host = "10.0.0.9"\nmau_giay = "xanh"', "mau_giay: không có thiết lập này"),
    ],
)
def test_printer_settings_of_the_wrong_kind_are_explained_in_vietnamese(
    admin: Admin, options: str, message: str
) -> None:
    form = {"key": "kiosk-1", "f_printer_kind": "network", "f_printer_options": options}
    response = post(admin, "/admin/kiosks", form)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html, re.findall(r'class="form-errors".*?</div>', html, re.S)
    assert "Input should" not in html and "Extra inputs" not in html


def test_icons_are_named_in_vietnamese_on_the_picker(admin: Admin) -> None:
    client, _headers = admin
    html = client.get("/admin/services", headers={"Accept-Language": "vi"}).get_data(as_text=True)
    picker = html.split('id="HT-icon"', 1)[1].split("</select>", 1)[0]
    names = re.findall(r'<option value="([a-z_]*)"[^>]*>([^<]*)</option>', picker)
    assert ("family", "Gia đình (family)") in names and ("stamp", "Con dấu (stamp)") in names
    named = [text for value, text in names if value]
    assert len(named) == len(names) - 1 and all(t[0].isupper() and t.endswith(")") for t in named)
    assert all(text != value for value, text in names)
