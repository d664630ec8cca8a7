"""Home visits over HTTP: the help desk registers and schedules, officers record their own
outcomes, the manager reads; contacts only for signed-in help desk staff; bad input
refused with a clear 4xx that changes nothing. SQLite (the core tests cover PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from queue_server.core.envelope import Envelope
from queue_server.core.models import User
from queue_server.relay import Relay
from queue_server.runtime import start_app
from queue_server.settings import Settings
from tests.web.conftest import Headers, make_token_maker, sign_in

PATH = "/api/v1/visits"
REQUEST = {
    "phone": "0912 345 678",
    "consent": True,
    "service": "HT",
    "address": "Số 12 ngõ 5 Lê Lợi",
    "category": "elderly",
    "preferred_days": [2, 4],
}


@pytest.fixture
def published() -> list[Envelope]:
    return []


@pytest.fixture
def visits_app(settings: Settings, sqlite_app: Flask, published: list[Envelope]) -> Flask:
    queue = sqlite_app.extensions["xephang"].queue
    bus = Relay()
    bus.subscribe(published.append)
    return start_app(settings, queue=queue, relay=bus, testing=True)


def user_id(client: FlaskClient) -> int:
    """The id of the user signed in on ``client``."""
    name = client.get("/api/v1/session").get_json()["name"]
    staff = client.application.extensions["xephang"].queue
    with staff.db.read() as conn:
        return int(conn.execute(select(User.id).where(User.username == name)).scalar_one())


def register(desk: FlaskClient, csrf: Headers, **changes: Any) -> Any:
    return desk.post(PATH, json={**REQUEST, **changes}, headers=csrf)


def test_from_phone_call_to_outcome(visits_app: Flask, published: list[Envelope]) -> None:
    desk, csrf = sign_in(visits_app, "helpdesk")
    officer, officer_csrf = sign_in(visits_app, "officer")
    other, other_csrf = sign_in(visits_app, "officer")
    manager, _manager_csrf = sign_in(visits_app, "manager")
    created = register(desk, csrf)
    assert created.status_code == 201, created.get_json()
    visit = created.get_json()
    assert visit["status"] == "requested" and "contact" not in visit
    assert visit["preferred_days"] == [2, 4]
    staff = desk.get(f"{PATH}/staff").get_json()["staff"]
    assert user_id(officer) in {s["id"] for s in staff}

    plan = {"day": "2026-11-23", "window_start": "14:00", "window_end": "16:00",
            "officers": [user_id(officer)]}  # fmt: skip
    scheduled = desk.post(f"{PATH}/{visit['id']}/schedule", json=plan, headers=csrf)
    assert scheduled.status_code == 200, scheduled.get_json()
    assert scheduled.get_json()["officers"][0]["id"] == user_id(officer)

    # The officer sees their own visit, without contact; another officer sees nothing.
    mine = officer.get(f"{PATH}?day=2026-11-23").get_json()["visits"]
    assert [v["id"] for v in mine] == [visit["id"]] and "contact" not in mine[0]
    assert other.get(PATH).get_json()["visits"] == []
    assert other.get(f"{PATH}/{visit['id']}").status_code == 403
    refused = other.post(f"{PATH}/{visit['id']}/outcome", json={"outcome": "not_home"},
                         headers=other_csrf)  # fmt: skip
    assert refused.status_code == 403
    # The help desk's list carries the contact; nobody else may ask for it.
    listed = desk.get(f"{PATH}?contacts=1&status=scheduled").get_json()["visits"]
    assert listed[0]["contact"] == {"phone": "0912345678", "address": REQUEST["address"],
                                    "hamlet": None}  # fmt: skip
    for reader in (officer, manager):
        assert reader.get(f"{PATH}?contacts=1").status_code == 403
    assert manager.get(PATH).status_code == 200
    assert manager.post(PATH, json=REQUEST, headers=_manager_csrf).status_code == 403

    done = officer.post(f"{PATH}/{visit['id']}/outcome", json={"outcome": "done_dossier"},
                        headers=officer_csrf)  # fmt: skip
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["status"] == "done_dossier"
    again = desk.post(f"{PATH}/{visit['id']}/outcome", json={"outcome": "cancelled"}, headers=csrf)
    assert again.status_code == 409 and "error" in again.get_json()
    assert [e.name for e in published] == ["visit_requested", "visit_scheduled", "visit_closed"]
    for envelope in published:
        text = repr(envelope.payload)
        assert "912345678" not in text and "Lê Lợi" not in text


def test_bad_input_is_refused_and_changes_nothing(visits_app: Flask) -> None:
    desk, csrf = sign_in(visits_app, "helpdesk")
    officer, _ = sign_in(visits_app, "officer")
    refusals: list[tuple[dict[str, Any], int, str]] = [
        ({"consent": False}, 400, "đồng ý"),
        ({"consent": None}, 400, "consent"),
        ({"service": "XX"}, 404, "XX"),
        ({"category": "vip"}, 404, "vip"),
        ({"phone": "123"}, 422, "số điện thoại"),
        ({"address": None}, 422, "tổ dân phố"),
        ({"preferred_days": [8]}, 400, "preferred_days"),
        ({"name": "Nguyễn Văn A"}, 400, "name"),
    ]
    for changes, status, words in refusals:
        answer = register(desk, csrf, **changes)
        assert answer.status_code == status, (changes, answer.get_json())
        assert words in answer.get_json()["error"] + answer.get_json().get("field", "")
    assert desk.get(PATH).get_json()["visits"] == []

    visit = register(desk, csrf).get_json()
    good = {"day": "2026-11-24", "window_start": "08:00", "window_end": "10:00",
            "officers": [user_id(officer)]}  # fmt: skip
    for changes, status in (
        ({"day": "2026-11-22"}, 422),  # yesterday
        ({"day": "23/11/2026"}, 400),
        ({"officers": [99999]}, 404),
        ({"officers": []}, 400),
        ({"window_end": "07:00"}, 422),
    ):
        answer = desk.post(f"{PATH}/{visit['id']}/schedule", json={**good, **changes},
                           headers=csrf)  # fmt: skip
        assert answer.status_code == status, (changes, answer.get_json())
    assert desk.post(f"{PATH}/999/schedule", json=good, headers=csrf).status_code == 404
    outcome = desk.post(f"{PATH}/{visit['id']}/outcome", json={"outcome": "done_advice"},
                        headers=csrf)  # fmt: skip
    assert outcome.status_code == 409  # no date yet
    bad_day = desk.post(
        f"{PATH}/{visit['id']}/outcome",
        json={"outcome": "cancelled", "new_day": "2026-12-01"},
        headers=csrf,
    )
    assert bad_day.status_code == 422
    assert desk.get(f"{PATH}/{visit['id']}").get_json()["status"] == "requested"
    assert desk.get(f"{PATH}?status=nope").status_code == 400
    assert desk.get(f"{PATH}?day=tomorrow").status_code == 400


def test_roles(visits_app: Flask) -> None:
    queue = visits_app.extensions["xephang"].queue
    token = make_token_maker(queue)
    client = visits_app.test_client()
    assert client.get(PATH).status_code == 401
    for role, counter in (("kiosk", None), ("display", None), ("rating", 2)):
        assert client.get(PATH, headers=token(role, counter)).status_code == 403
        assert client.post(PATH, json=REQUEST, headers=token(role, counter)).status_code == 403
    officer_token = token("officer", 2)
    assert client.get(PATH, headers=officer_token).status_code == 403  # no person behind it
    assert client.post(PATH, json=REQUEST, headers=officer_token).status_code == 403
    admin = token("admin")
    assert client.post(PATH, json=REQUEST, headers=admin).status_code == 201
    assert client.get(f"{PATH}?contacts=1", headers=admin).status_code == 403  # not signed in
    volunteer, csrf = sign_in(visits_app, "volunteer")
    assert volunteer.get(PATH).status_code == 403
    assert volunteer.post(PATH, json=REQUEST, headers=csrf).status_code == 403
