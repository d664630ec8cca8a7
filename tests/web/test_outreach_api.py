"""The outreach schedule over HTTP: admins and managers write, staff read, others are
refused; bad input gets a clear 4xx and changes nothing; the calendar feed parses with a
real iCalendar parser; the admin page plans, cancels and makes the feed. SQLite (the
core tests cover PostgreSQL)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import icalendar
import pytest
from flask import Flask
from flask.testing import FlaskClient

from queue_server.core.envelope import Envelope
from queue_server.core.outreach_text import escape_text, fold
from queue_server.relay import Relay
from queue_server.runtime import start_app
from queue_server.settings import Settings
from tests.web.conftest import CSRF_FIELD, TokenMaker, make_token_maker, sign_in
from tests.web.test_visits_api import user_id

PATH = "/api/v1/outreach-sessions"
SESSION = {
    "day": "2026-12-12",
    "starts": "08:00",
    "ends": "11:30",
    "place": "Nhà văn hóa tổ dân phố Ngọc Lặc",
    "services": ["HT", "CT"],
    "notes": "Mang theo CCCD; hỗ trợ tạo tài khoản VNeID, nộp hồ sơ trực tuyến.",
}


@pytest.fixture
def published() -> list[Envelope]:
    return []


@pytest.fixture
def outreach_app(settings: Settings, sqlite_app: Flask, published: list[Envelope]) -> Flask:
    queue = sqlite_app.extensions["xephang"].queue
    bus = Relay()
    bus.subscribe(published.append)
    return start_app(settings, queue=queue, relay=bus, testing=True)


@pytest.fixture
def token(outreach_app: Flask) -> TokenMaker:
    return make_token_maker(outreach_app.extensions["xephang"].queue)


def listed(client: FlaskClient, query: str = "") -> list[dict[str, Any]]:
    answer = client.get(PATH + query)
    assert answer.status_code == 200, answer.get_json()
    return list(answer.get_json()["sessions"])


def test_roles_and_a_recurring_pattern(
    outreach_app: Flask, token: TokenMaker, published: list[Envelope]
) -> None:
    manager, csrf = sign_in(outreach_app, "manager")
    officer, officer_csrf = sign_in(outreach_app, "officer")
    staff_id = user_id(officer)
    body = {**SESSION, "staff": [staff_id], "repeat": {"every": "two_weeks", "until": "2027-01-23"}}
    created = manager.post(PATH, json=body, headers=csrf)
    assert created.status_code == 201, created.get_json()
    days = [s["day"] for s in created.get_json()["sessions"]]
    assert days == ["2026-12-12", "2026-12-26", "2027-01-09", "2027-01-23"]
    assert published[-1].name == "outreach_changed"
    assert created.get_json()["sessions"][0]["staff"][0]["id"] == staff_id

    # Staff read; officers, kiosks and displays may not write.
    assert [s["day"] for s in listed(officer)] == days
    for headers in (token("display"), token("kiosk")):
        assert officer.get(PATH, headers=headers).status_code == 403
    assert officer.post(PATH, json=SESSION, headers=officer_csrf).status_code == 403
    assert outreach_app.test_client().get(PATH).status_code == 401

    first, second = created.get_json()["sessions"][:2]
    moved = manager.patch(f"{PATH}/{second['id']}", json={"starts": "13:30", "ends": "16:30"},
                          headers=csrf)  # fmt: skip
    assert moved.status_code == 200 and moved.get_json()["starts"] == "13:30"
    cancelled = manager.post(f"{PATH}/{first['id']}/cancel", headers=csrf)
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    again = manager.post(f"{PATH}/{first['id']}/cancel", headers=csrf)
    assert again.status_code == 409 and again.get_json()["error"]
    assert [s["status"] for s in listed(manager)] == ["cancelled", "planned", "planned", "planned"]
    assert len(listed(manager, "?status=planned&to=2026-12-31")) == 1
    admin = token("admin")
    assert manager.post(f"{PATH}/{second['id']}/cancel", headers=admin).status_code == 200


BAD: list[tuple[dict[str, Any], int, str | None]] = [
    ({"day": "2026-11-22"}, 422, None),  # the clock's yesterday
    ({"ends": "07:00"}, 422, None),
    ({"services": ["HT", "NOPE"]}, 404, None),
    ({"staff": [987654]}, 404, None),
    ({"day": "2026-13-01"}, 400, "day"),
    ({"starts": "8 giờ"}, 400, "starts"),
    ({"place": ""}, 400, "place"),
    ({"repeat": {"every": "week", "until": "2026-12-01"}}, 422, None),
    ({"repeat": {"every": "daily", "until": "2027-01-01"}}, 400, "repeat"),
    ({"colour": "red"}, 400, "colour"),
]


def test_bad_input_is_refused_and_changes_nothing(
    outreach_app: Flask, published: list[Envelope]
) -> None:
    manager, csrf = sign_in(outreach_app, "manager")
    kept = manager.post(PATH, json=SESSION, headers=csrf).get_json()["sessions"][0]
    events = len(published)
    for changes, status, field in BAD:
        refused = manager.post(PATH, json={**SESSION, **changes}, headers=csrf)
        assert refused.status_code == status, (changes, refused.get_json())
        assert refused.get_json()["error"]
        if field is not None:
            assert refused.get_json().get("field", "").startswith(field), refused.get_json()
        if "repeat" not in changes and "colour" not in changes:
            patched = manager.patch(f"{PATH}/{kept['id']}", json=changes, headers=csrf)
            assert patched.status_code == status, (changes, patched.get_json())
    assert listed(manager) == [kept] and len(published) == events
    assert manager.patch(f"{PATH}/99999", json={"notes": "x"}, headers=csrf).status_code == 404


def test_the_calendar_feed_parses_and_is_revocable(outreach_app: Flask) -> None:
    admin, _csrf = sign_in(outreach_app, "admin")
    manager, manager_csrf = sign_in(outreach_app, "manager")
    notes = "Mang theo CCCD, sổ hộ khẩu; hỏi chị Hà\\Lan; phòng 2\nLối vào cổng sau " + "x" * 80
    body = {**SESSION, "notes": notes, "repeat": {"every": "month", "until": "2027-01-31"}}
    sessions = manager.post(PATH, json=body, headers=manager_csrf).get_json()["sessions"]
    manager.post(f"{PATH}/{sessions[1]['id']}/cancel", headers=manager_csrf)

    page = admin.get("/admin/outreach").get_data(as_text=True)
    form = {"csrf_token": CSRF_FIELD.search(page).group(1), "action": "feed"}  # type: ignore[union-attr]
    made = admin.post("/admin/outreach", data=form)
    assert made.status_code == 200
    url = made.get_data(as_text=True).split('id="feed-url" class="o-feed" value="')[1].split('"')[0]
    path = url.split("localhost", 1)[1]
    feed = outreach_app.test_client().get(path)  # no sign-in: the URL is the key
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    raw = feed.get_data()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # octets, folded
    assert raw.count(b"\r\n") == raw.count(b"\n")  # CRLF only

    parsed = icalendar.Calendar.from_ical(raw)
    events = list(parsed.walk("VEVENT"))
    assert [e.decoded("dtstart") for e in events] == [
        datetime(2026, 12, 12, 8, 0, tzinfo=events[0].decoded("dtstart").tzinfo),
        datetime(2027, 1, 9, 8, 0, tzinfo=events[1].decoded("dtstart").tzinfo),
    ]
    assert str(events[0].decoded("dtstart").tzinfo) == "Asia/Ho_Chi_Minh"
    assert events[0].decoded("dtend").hour == 11 and events[0].decoded("dtend").minute == 30
    assert str(events[0]["location"]) == SESSION["place"]
    assert notes in str(events[0]["description"])
    assert [str(e["status"]) for e in events] == ["CONFIRMED", "CANCELLED"]
    assert str(events[0]["summary"]).startswith("Lưu động: ")

    form["action"] = "revoke"
    assert admin.post("/admin/outreach", data=form).status_code == 303
    assert outreach_app.test_client().get(path).status_code == 404
    # Only the admin makes feeds.
    mpage = manager.get("/admin/outreach").get_data(as_text=True)
    assert "feed-new" not in mpage
    mform = {"csrf_token": CSRF_FIELD.search(mpage).group(1), "action": "feed"}  # type: ignore[union-attr]
    assert manager.post("/admin/outreach", data=mform).status_code == 400


def test_folding_never_splits_a_character() -> None:
    line = "DESCRIPTION:" + escape_text("Nhà văn hóa, tổ dân phố; số 5\\6\n") * 6
    folded = fold(line)
    parts = folded.split("\r\n ")
    assert all(len(part.encode()) <= 75 for part in parts[:1])
    assert all(len(part.encode()) <= 74 for part in parts[1:])
    assert "".join(parts) == line
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_admin_page_plans_a_pattern_and_the_poster(outreach_app: Flask) -> None:
    manager, _csrf = sign_in(outreach_app, "manager")
    page = manager.get("/admin/outreach").get_data(as_text=True)
    csrf = CSRF_FIELD.search(page).group(1)  # type: ignore[union-attr]
    form = {"csrf_token": csrf, "action": "create", "day": "2026-12-12", "starts": "08:00",
            "ends": "11:30", "place": "Nhà văn hóa tổ dân phố 5", "services": ["HT"],
            "every": "week", "until": "2026-12-26"}  # fmt: skip
    assert manager.post("/admin/outreach", data=form).status_code == 303
    sessions = listed(manager)
    assert [s["day"] for s in sessions] == ["2026-12-12", "2026-12-19", "2026-12-26"]
    bad = manager.post("/admin/outreach", data={**form, "day": "2026-11-01"})
    assert bad.status_code == 400 and "đã qua" in bad.get_data(as_text=True)
    assert len(listed(manager)) == 3
    poster = manager.get(f"/outreach/{sessions[0]['id']}/poster").get_data(as_text=True)
    assert "thứ Bảy 12/12/2026, 08:00–11:30" in poster and "Nhà văn hóa tổ dân phố 5" in poster
    assert "Mang theo giấy tờ" in poster
    anonymous = outreach_app.test_client()
    assert anonymous.get(f"/outreach/{sessions[0]['id']}/poster").status_code == 303
    # the kiosk's page data holds the next session's line
    kiosk = anonymous.get("/kiosk").get_data(as_text=True)
    assert "Lưu động sắp tới: thứ Bảy 12/12 tại Nhà văn hóa tổ dân phố 5, 08:00–11:30" in kiosk
