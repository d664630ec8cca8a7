"""The appointment pages as docs/screens.md says: the kiosk offers the next open days from
tomorrow (at most 14, closed weekdays and holidays left out) and the public page from
today; the slip page shows a booked slip to whoever holds the code, an unknown code a
polite 404, and at most 30 views a minute per address. SQLite, the frozen clock of
tests/conftest.py (Monday 23/11/2026, 09:00)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from queue_server.core.appointment_config import AppointmentsConfig
from queue_server.core.bootstrap import open_queue
from queue_server.core.clock import FrozenClock
from queue_server.core.db import Database
from queue_server.runtime import start_app
from queue_server.settings import Settings

MONDAY = date(2026, 11, 23)
HOLIDAY = date(2026, 11, 26)  # a Thursday


@pytest.fixture
def pages_app(settings: Settings, clock: FrozenClock, tmp_path: Path) -> Iterator[Flask]:
    config = AppointmentsConfig(closed_weekdays=(6, 7), holidays=(HOLIDAY,))
    configured = settings.model_copy(update={"appointments": config})
    queue = open_queue(configured, clock=clock, db=Database(f"sqlite:///{tmp_path / 'a.db'}"))
    yield start_app(configured, queue=queue, testing=True)
    queue.db.dispose()


def page_data(html: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(html.split('id="page-data">')[1].split("</script>")[0])
    return data


def open_days(start: date, count: int) -> list[str]:
    """The first ``count`` days from ``start`` that are neither a weekend nor the holiday."""
    days: list[str] = []
    day = start
    while len(days) < count:
        if day.isoweekday() < 6 and day != HOLIDAY:
            days.append(day.isoformat())
        day += timedelta(days=1)
    return days


def test_the_kiosk_offers_14_open_days_from_tomorrow_the_public_page_from_today(
    pages_app: Flask,
) -> None:
    client = pages_app.test_client()
    kiosk = page_data(client.get("/kiosk").get_data(as_text=True))["appointment_days"]
    assert kiosk == open_days(MONDAY + timedelta(days=1), 14)
    public = client.get("/appointments/book")
    assert public.status_code == 200
    assert page_data(public.get_data(as_text=True))["appointment_days"] == open_days(MONDAY, 14)


def test_the_slip_page_by_code_a_polite_404_and_30_views_a_minute(
    pages_app: Flask, clock: FrozenClock
) -> None:
    citizen = pages_app.test_client()
    booked = citizen.post(
        "/api/v1/appointments", json={"service": "HT", "start": "2026-11-24T08:00:00+07:00"}
    )
    assert booked.status_code == 201, booked.get_json()
    slip = booked.get_json()
    shown = citizen.get(f"/appointments/slip/{slip['code']}")
    assert shown.status_code == 200
    page = shown.get_data(as_text=True)
    assert slip["code_shown"] in page and "24/11/2026" in page and "08:00" in page

    unknown = citizen.get("/appointments/slip/ACDEFHJK")
    assert unknown.status_code == 404
    assert "Không tìm thấy lịch hẹn này" in unknown.get_data(as_text=True)
    assert slip["code_shown"] not in unknown.get_data(as_text=True)

    statuses = [citizen.get(f"/appointments/slip/{slip['code']}").status_code for _ in range(28)]
    assert statuses == [200] * 28  # 30 views in this minute, the two above included
    limited = citizen.get(f"/appointments/slip/{slip['code']}")
    assert limited.status_code == 429
    assert slip["code_shown"] not in limited.get_data(as_text=True)
    clock.advance(seconds=61)
    assert citizen.get(f"/appointments/slip/{slip['code']}").status_code == 200


@pytest.mark.parametrize(
    ("config", "shown"),
    [
        (AppointmentsConfig(), True),
        (AppointmentsConfig(enabled=False), False),
        (AppointmentsConfig(capacity=0), False),  # no service takes a booking
    ],
)
def test_the_kiosk_offers_appointments_only_when_a_service_takes_them(
    settings: Settings, clock: FrozenClock, tmp_path: Path, config: AppointmentsConfig, shown: bool
) -> None:
    configured = settings.model_copy(update={"appointments": config})
    queue = open_queue(configured, clock=clock, db=Database(f"sqlite:///{tmp_path / 'k.db'}"))
    try:
        kiosk = start_app(configured, queue=queue, testing=True).test_client().get("/kiosk")
        page = kiosk.get_data(as_text=True)
        assert ('id="appt-have"' in page, 'id="appt-book"' in page) == (shown, shown)
    finally:
        queue.db.dispose()
