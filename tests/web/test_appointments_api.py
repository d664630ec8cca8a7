"""Appointments over HTTP: booking by the help desk, the kiosk and the public page, the
staff list, check-in and cancel, roles, bad input refused with a 4xx that changes
nothing, the public rate limit, and two bookings racing for the last place (SQLite and
PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from queue_server.auth.tokens import create_token
from queue_server.core.appointment_config import AppointmentsConfig, ServiceSlots
from queue_server.core.bootstrap import open_queue
from queue_server.core.clock import FrozenClock
from queue_server.core.db import Database
from queue_server.core.envelope import Envelope
from queue_server.core.operations import Queue
from queue_server.relay import Relay
from queue_server.runtime import start_app
from queue_server.settings import Settings
from tests.web.conftest import make_token_maker, sign_in

PATH = "/api/v1/appointments"
TUESDAY_0800 = "2026-11-24T08:00:00+07:00"
MONDAY_1000 = "2026-11-23T10:00:00+07:00"
JSON = {"Content-Type": "application/json"}


def open_test_queue(settings: Settings, url: str, clock: FrozenClock) -> Queue:
    return open_queue(settings, clock=clock, db=Database(url))


@pytest.fixture
def booking_settings(settings: Settings) -> Settings:
    config = AppointmentsConfig(
        public_rate_per_minute=3,
        services=(ServiceSlots(service="CT", capacity=1, bring="Bản chính và bản sao."),),
    )
    return settings.model_copy(update={"appointments": config})


@pytest.fixture
def booking_app(
    booking_settings: Settings, clock: FrozenClock, tmp_path: Path, bus: Relay
) -> Iterator[Flask]:
    queue = open_test_queue(booking_settings, f"sqlite:///{tmp_path / 'a.db'}", clock)
    yield start_app(booking_settings, queue=queue, relay=bus, testing=True)
    queue.db.dispose()


def count(app: Flask) -> int:
    admin = make_token_maker(app.extensions["xephang"].queue)("admin")
    answer = app.test_client().get(f"{PATH}?from=2026-11-23&to=2026-12-31", headers=admin)
    return len(answer.get_json()["appointments"])


def test_book_list_check_in_and_cancel(booking_app: Flask, events: list[Envelope]) -> None:
    desk, csrf = sign_in(booking_app, "helpdesk")
    by_phone = desk.post(PATH, json={"service": "HT", "start": TUESDAY_0800}, headers=csrf)
    assert by_phone.status_code == 201, by_phone.get_json()
    slip = by_phone.get_json()
    assert (slip["channel"], slip["status"], slip["day"]) == ("helpdesk", "booked", "2026-11-24")
    assert slip["code_shown"] == f"{slip['code'][:4]}-{slip['code'][4:]}"
    citizen = booking_app.test_client()
    own = citizen.post(PATH, json={"service": "CT", "start": MONDAY_1000})
    assert own.status_code == 201 and own.get_json()["channel"] == "public"
    assert own.get_json()["bring"] == "Bản chính và bản sao."
    slots = citizen.get(f"{PATH}/slots?service=CT&day=2026-11-23").get_json()
    assert not slots["closed"] and slots["slots"][0]["start"] == "2026-11-23T00:30:00+00:00"
    free = {s["start"]: s["free"] for s in slots["slots"]}
    assert free["2026-11-23T03:00:00+00:00"] == 0 and free["2026-11-23T03:30:00+00:00"] == 1
    assert free["2026-11-23T00:30:00+00:00"] == 0  # already started
    sunday = citizen.get(f"{PATH}/slots?service=CT&day=2026-11-29").get_json()
    assert sunday["closed"] and sunday["slots"] == []
    assert all(slip["code"] not in str(e.payload) for e in events)

    kiosk = booking_app.test_client()
    queue = booking_app.extensions["xephang"].queue
    secret, _info = create_token(queue.db, "kiosk", name="kiosk-1", clock=queue.clock)
    kiosk_headers = {"Authorization": f"Bearer {secret}"}
    checked = kiosk.post(f"{PATH}/{own.get_json()['code_shown']}/check-in", headers=kiosk_headers)
    assert checked.status_code == 200, checked.get_json()
    answer = checked.get_json()
    assert answer["late"] is False and answer["appointment"]["status"] == "checked_in"
    assert answer["ticket"]["channel"] == "appointment" and "track_code" not in answer["ticket"]
    assert answer["ticket"]["print"]["kiosk"] == "kiosk-1"
    twice = kiosk.post(f"{PATH}/{own.get_json()['code']}/check-in", headers=kiosk_headers)
    assert twice.status_code == 409 and twice.get_json()["error"]

    listed = desk.get(f"{PATH}?from=2026-11-23&to=2026-11-30&channel=public").get_json()
    assert [a["status"] for a in listed["appointments"]] == ["checked_in"]
    cancelled = desk.post(f"{PATH}/{slip['code']}/cancel", headers=csrf)
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    again = desk.post(f"{PATH}/{slip['code']}/cancel", headers=csrf)
    assert again.status_code == 409
    names = [e.name for e in events if e.name == "appointment_changed"]
    assert len(names) == 4


BAD_BOOKINGS = [
    ({"service": "HT", "start": "2026-11-23T08:00:00+07:00"}, 422, "đã bắt đầu"),
    ({"service": "HT", "start": "2026-11-29T08:00:00+07:00"}, 422, "không nhận lịch hẹn"),
    ({"service": "HT", "start": "2026-11-24T12:00:00+07:00"}, 422, "nghỉ trưa"),
    ({"service": "HT", "start": "2026-11-24T08:10:00+07:00"}, 422, "08:10"),
    ({"service": "HT", "start": "2027-03-01T08:00:00+07:00"}, 422, "30 ngày"),
    ({"service": "XX", "start": TUESDAY_0800}, 404, "XX"),
    ({"service": "HT", "start": "2026-11-24T08:00:00"}, 400, "start"),
    ({"service": "HT", "start": "tomorrow"}, 400, "start"),
    ({"service": "HT"}, 400, "start"),
    ({"service": "HT", "start": TUESDAY_0800, "name": "Nguyễn Văn A"}, 400, "name"),
]


def test_bad_bookings_get_a_clear_4xx_and_change_nothing(booking_app: Flask) -> None:
    kiosk = make_token_maker(booking_app.extensions["xephang"].queue)("kiosk")
    client = booking_app.test_client()
    for body, status, words in BAD_BOOKINGS:
        answer = client.post(PATH, json=body, headers=kiosk)
        assert answer.status_code == status, (body, answer.get_json())
        assert words in answer.get_json()["error"], (body, answer.get_json())
    assert count(booking_app) == 0


def test_roles_unknown_codes_and_the_public_rate_limit(booking_app: Flask) -> None:
    token = make_token_maker(booking_app.extensions["xephang"].queue)
    client = booking_app.test_client()
    body = {"service": "HT", "start": TUESDAY_0800}
    for role, counter in (("display", None), ("officer", 2), ("rating", 1)):
        assert client.post(PATH, json=body, headers=token(role, counter)).status_code == 403
    officer, csrf = sign_in(booking_app, "officer", counter=2)
    assert officer.post(PATH, json=body, headers=csrf).status_code == 403
    assert officer.get(PATH).status_code == 403
    assert client.get(PATH).status_code == 401
    assert client.get(PATH, headers=token("kiosk")).status_code == 403
    assert client.post(f"{PATH}/ABCDEFGH/check-in").status_code == 401
    assert client.post(f"{PATH}/ABCDEFGH/cancel", headers=token("kiosk")).status_code == 403
    desk, csrf = sign_in(booking_app, "helpdesk")
    assert desk.post(PATH, json=body).status_code == 403  # no CSRF header
    unknown = desk.post(f"{PATH}/ACDE-FHJK/check-in", headers=csrf)
    assert unknown.status_code == 404 and unknown.get_json()["error"]
    assert desk.get(f"{PATH}?status=lost").status_code == 400
    assert desk.get(f"{PATH}?from=2026-11-30&to=2026-11-23").status_code == 400
    assert client.get(f"{PATH}/slots?day=2026-11-24").status_code == 400
    # The public page: JSON only, then at most 3 a minute from one address.
    form = client.post(PATH, data="service=HT", headers={"Content-Type": "text/plain"})
    assert form.status_code == 415
    starts = [f"2026-11-24T{hour}:00+07:00" for hour in ("08:00", "08:30", "09:00", "09:30")]
    statuses = [client.post(PATH, json={**body, "start": s}).status_code for s in starts]
    assert statuses == [201, 201, 201, 429]
    limited = client.post(PATH, json=body)
    assert limited.headers["Retry-After"] and count(booking_app) == 3


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_two_bookings_for_the_last_place_one_wins(
    backend: str,
    booking_settings: Settings,
    clock: FrozenClock,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    url = f"sqlite:///{tmp_path / 'race.db'}"
    if backend == "postgresql":
        url = request.getfixturevalue("pg_url")
    queue: Queue = open_test_queue(booking_settings, url, clock)
    app = start_app(booking_settings, queue=queue, testing=True)
    token = make_token_maker(queue)
    ready = threading.Barrier(2)
    statuses: list[int] = []

    def book(name: str) -> None:
        headers = token("kiosk")
        client = app.test_client()
        ready.wait()
        answer = client.post(PATH, json={"service": "CT", "start": TUESDAY_0800}, headers=headers)
        statuses.append(answer.status_code)

    threads = [threading.Thread(target=book, args=(f"kiosk-{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses) == [201, 409]
    assert count(app) == 1
    queue.db.dispose()
