"""The printable home-visit list ``/visits/print`` (docs/screens.md, "Home visits"): who may
open it and what each one sees. The help desk sees every visit of the day but the
cancelled ones, an officer only their own, the manager and volunteers get 403; the page
is never cached; a malformed day shows today's list with status 400. SQLite (the page
reads through the same core queries as the API, tested on both databases)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from queue_server.core.models import User
from tests.web.conftest import Headers, sign_in

TODAY = "2026-11-23"  # the frozen clock's day (tests/conftest.py)
PHONES = {"mine": "0911111111", "other": "0922222222", "cancelled": "0933333333"}


def user_id(client: FlaskClient) -> int:
    name = client.get("/api/v1/session").get_json()["name"]
    queue = client.application.extensions["xephang"].queue
    with queue.db.read() as conn:
        return int(conn.execute(select(User.id).where(User.username == name)).scalar_one())


def planned_visit(desk: FlaskClient, csrf: Headers, phone: str, officer: int) -> dict[str, Any]:
    """A request by phone, scheduled today 08:00–10:00 for ``officer``."""
    body = {"phone": phone, "consent": True, "service": "HT", "address": f"Nhà số {phone[-2:]}"}
    visit = desk.post("/api/v1/visits", json=body, headers=csrf)
    assert visit.status_code == 201, visit.get_json()
    plan = {"day": TODAY, "window_start": "08:00", "window_end": "10:00", "officers": [officer]}
    scheduled = desk.post(f"/api/v1/visits/{visit.get_json()['id']}/schedule", json=plan,
                          headers=csrf)  # fmt: skip
    assert scheduled.status_code == 200, scheduled.get_json()
    return dict(scheduled.get_json())


def phones_on(page: str) -> set[str]:
    return {name for name, phone in PHONES.items() if phone in page}


def test_the_printed_list_shows_each_role_only_what_it_may(sqlite_app: Flask) -> None:
    desk, csrf = sign_in(sqlite_app, "helpdesk")
    officer, _ = sign_in(sqlite_app, "officer")
    colleague, _ = sign_in(sqlite_app, "officer")
    planned_visit(desk, csrf, PHONES["mine"], user_id(officer))
    planned_visit(desk, csrf, PHONES["other"], user_id(colleague))
    gone = planned_visit(desk, csrf, PHONES["cancelled"], user_id(officer))
    cancelled = desk.post(f"/api/v1/visits/{gone['id']}/outcome", json={"outcome": "cancelled"},
                          headers=csrf)  # fmt: skip
    assert cancelled.status_code == 200, cancelled.get_json()

    listed = desk.get(f"/visits/print?day={TODAY}")
    assert listed.status_code == 200
    assert listed.headers["Cache-Control"] == "no-store"  # phone numbers: never cached
    assert phones_on(listed.get_data(as_text=True)) == {"mine", "other"}  # not the cancelled
    own = officer.get(f"/visits/print?day={TODAY}")
    assert own.status_code == 200 and own.headers["Cache-Control"] == "no-store"
    assert phones_on(own.get_data(as_text=True)) == {"mine"}  # never a colleague's

    for role in ("manager", "volunteer"):
        other, _ = sign_in(sqlite_app, role)
        refused = other.get(f"/visits/print?day={TODAY}")
        assert refused.status_code == 403, role
        assert phones_on(refused.get_data(as_text=True)) == set()
    unsigned = sqlite_app.test_client().get(f"/visits/print?day={TODAY}")
    assert unsigned.status_code == 303
    assert unsigned.headers["Location"].startswith("/login?next=")


def test_a_malformed_day_shows_today_with_400_and_an_empty_day_says_so(
    sqlite_app: Flask,
) -> None:
    desk, csrf = sign_in(sqlite_app, "helpdesk")
    officer, _ = sign_in(sqlite_app, "officer")
    planned_visit(desk, csrf, PHONES["mine"], user_id(officer))
    for day in ("2026-02-30", "23/11/2026", "tomorrow"):
        answer = desk.get(f"/visits/print?day={day}")
        assert answer.status_code == 400, day
        page = answer.get_data(as_text=True)
        assert phones_on(page) == {"mine"} and "23/11/2026" in page, day
    empty = desk.get("/visits/print?day=2026-11-24").get_data(as_text=True)
    assert 'id="vp-empty"' in empty and 'id="vp-list"' not in empty
