"""Appointments in the core, on SQLite and PostgreSQL: booking within capacity (also two
bookings racing for the last place), refusals that change nothing, check-in on time,
early and late, cancelling, no-shows, and events without the code."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from queue_server.core.appointment_config import AppointmentsConfig, ServiceSlots
from queue_server.core.appointment_models import Appointment
from queue_server.core.appointment_views import ListFilter, normal_code
from queue_server.core.appointments import CODE_ALPHABET, Appointments
from queue_server.core.clock import FrozenClock
from queue_server.core.errors import InvalidState, NotFound, Rejected
from queue_server.core.operations import Queue
from queue_server.i18n import use_language

MONDAY = date(2026, 11, 23)  # the clock: 09:00 local (02:00 UTC)
TUESDAY_0800 = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # 08:00 local
MONDAY_1000 = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # 10:00 local


@pytest.fixture(autouse=True)
def english() -> Any:
    with use_language("en"):
        yield


@pytest.fixture
def appointments(queue: Queue) -> Appointments:
    config = AppointmentsConfig(
        holidays=(date(2026, 12, 2),),
        services=(ServiceSlots(service="CT", capacity=1, bring="Bản chính giấy tờ."),),
    )
    return Appointments(queue, config)


def stored(queue: Queue) -> int:
    with queue.db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(Appointment)).scalar_one())


def test_a_booking_takes_a_place_and_its_event_carries_no_code(
    appointments: Appointments,
) -> None:
    outcome = appointments.book("HT", TUESDAY_0800, channel="helpdesk")
    view = outcome.value
    assert view.day == date(2026, 11, 24) and view.status == "booked"
    assert len(view.code) == 8 and set(view.code) <= set(CODE_ALPHABET)
    assert view.slot_end - view.slot_start == timedelta(minutes=30)
    assert view.bring.startswith("Căn cước")
    (envelope,) = outcome.envelopes
    assert envelope.name == "appointment_changed"
    assert view.code not in str(envelope.payload) and envelope.payload["status"] == "booked"
    places = {s.start: s for s in appointments.slots("HT", date(2026, 11, 24))}
    assert places[TUESDAY_0800].free == 1 and places[TUESDAY_0800].capacity == 2
    assert appointments.find(view.code.lower()[:4] + "-" + view.code[4:]).id == view.id


@pytest.mark.parametrize(
    ("service", "start", "error", "words"),
    [
        ("HT", datetime(2026, 11, 23, 1, 0, tzinfo=UTC), Rejected, "already started"),
        ("HT", datetime(2026, 11, 29, 1, 0, tzinfo=UTC), Rejected, "no appointments on"),
        ("HT", datetime(2026, 12, 2, 1, 0, tzinfo=UTC), Rejected, "no appointments on"),
        ("HT", datetime(2026, 11, 24, 5, 0, tzinfo=UTC), Rejected, "lunch break"),
        ("HT", datetime(2026, 11, 24, 1, 10, tzinfo=UTC), Rejected, "not the start"),
        ("HT", datetime(2026, 11, 24, 11, 0, tzinfo=UTC), Rejected, "not the start"),
        ("HT", datetime(2027, 2, 1, 1, 0, tzinfo=UTC), Rejected, "days ahead"),
        ("XX", TUESDAY_0800, NotFound, "Unknown service"),
    ],
)
def test_bad_bookings_are_refused_and_change_nothing(
    queue: Queue,
    appointments: Appointments,
    service: str,
    start: datetime,
    error: type[Exception],
    words: str,
) -> None:
    with pytest.raises(error, match=words):
        appointments.book(service, start, channel="public")
    assert stored(queue) == 0


def test_of_two_bookings_for_the_last_place_one_wins(
    queue: Queue, appointments: Appointments
) -> None:
    ready = threading.Barrier(2)
    results: list[Any] = []

    def book() -> None:
        ready.wait()
        try:
            results.append(appointments.book("CT", TUESDAY_0800, channel="public").value)
        except InvalidState as exc:
            results.append(exc)

    threads = [threading.Thread(target=book) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    refused = [r for r in results if isinstance(r, InvalidState)]
    assert len(results) == 2 and len(refused) == 1, results
    assert "đủ chỗ" in refused[0].message  # threads speak the default language, vi
    assert stored(queue) == 1
    (place,) = [s for s in appointments.slots("CT", date(2026, 11, 24)) if s.start == TUESDAY_0800]
    assert (place.taken, place.free) == (1, 0)


def test_check_in_early_on_time_twice_and_late(
    queue: Queue, clock: FrozenClock, appointments: Appointments
) -> None:
    early = appointments.book("HT", MONDAY_1000, channel="kiosk").value
    late = appointments.book("HT", datetime(2026, 11, 23, 2, 30, tzinfo=UTC), channel="public")
    checked = appointments.check_in(early.code, kiosk="kiosk-1")
    assert not checked.value.late and checked.value.appointment.status == "checked_in"
    assert checked.value.ticket.channel == "appointment"
    names = [e.name for e in checked.envelopes]
    assert names == ["ticket_issued", "queue_changed", "appointment_changed"]
    with pytest.raises(InvalidState, match="already been checked in"):
        appointments.check_in(early.code)
    # 09:30–10:00 slot, grace 15 min: at 10:16 it is a walk-in and the appointment is late.
    clock.advance(minutes=76)
    walk_in = appointments.check_in(late.value.code).value
    assert walk_in.late and walk_in.appointment.status == "late"
    with queue.db.read() as conn:
        from queue_server.core.models import Ticket

        due = dict(conn.execute(select(Ticket.id, Ticket.due_at)).all())
    assert due == {checked.value.ticket.id: MONDAY_1000, walk_in.ticket.id: None}


def test_unknown_codes_wrong_days_cancel_and_no_show(
    queue: Queue, clock: FrozenClock, appointments: Appointments
) -> None:
    with pytest.raises(NotFound):
        appointments.check_in("ZZZZ-ZZZZ")
    with pytest.raises(NotFound):
        appointments.check_in("not a code")
    tuesday = appointments.book("HT", TUESDAY_0800, channel="helpdesk").value
    with pytest.raises(InvalidState, match="check in on that day"):
        appointments.check_in(tuesday.code)
    gone = appointments.book("HT", MONDAY_1000, channel="helpdesk").value
    cancelled = appointments.cancel(gone.code).value
    assert cancelled.status == "cancelled"
    with pytest.raises(InvalidState, match="cancelled"):
        appointments.check_in(gone.code)
    free = {s.start: s.free for s in appointments.slots("HT", MONDAY)}
    assert free[MONDAY_1000] == 2  # the place came back
    clock.advance(days=2)  # Wednesday: Tuesday's booking was never checked in
    assert appointments.find(tuesday.code).status == "no_show"
    with pytest.raises(InvalidState, match="has passed"):
        appointments.cancel(tuesday.code)
    week = ListFilter(MONDAY, MONDAY + timedelta(days=6))
    assert [a.status for a in appointments.listing(week)] == ["cancelled", "no_show"]
    only = ListFilter(MONDAY, MONDAY + timedelta(days=6), status="no_show")
    assert [a.code for a in appointments.listing(only)] == [tuesday.code]


def test_codes_are_read_forgivingly() -> None:
    assert normal_code(" k7mx-4rpa ") == "K7MX4RPA"
    with pytest.raises(NotFound):
        normal_code("K7MX")


def test_a_counter_calls_the_appointment_at_its_slot_after_walk_ins_past_their_estimate(
    queue: Queue, clock: FrozenClock, appointments: Appointments
) -> None:
    booked = appointments.book("HT", MONDAY_1000, channel="helpdesk").value
    ticket = appointments.check_in(booked.code).value.ticket  # at 09:00, an hour early
    early_walk_in = queue.issue("HT").value
    first = queue.call_next(2).value
    assert first is not None and first.id == early_walk_in.id  # the appointment is not due
    waited = queue.issue("HT").value  # 09:00, told a few minutes: past it by 10:00
    clock.advance(hours=1)
    fresh = queue.issue("HT").value  # 10:00: after the slot started
    called = [queue.call_next(2).value for _ in range(3)]
    assert [t.id for t in called if t] == [waited.id, ticket.id, fresh.id]
