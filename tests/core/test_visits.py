"""Home visits in the core: register with consent, schedule, record outcomes; events
without personal data; refusals that change nothing. SQLite, and PostgreSQL once."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from queue_server.auth.users import add_user
from queue_server.core.clock import FrozenClock
from queue_server.core.errors import InvalidState, NotAllowed, NotFound, Rejected
from queue_server.core.operations import Queue
from queue_server.core.outbox import read_after
from queue_server.core.visit_models import HomeVisit, VisitContact, VisitOutcome
from queue_server.core.visit_queries import VisitFilter
from queue_server.core.visits import Appointment, HomeVisits, VisitRequest

MONDAY = date(2026, 11, 23)  # the clock fixture's day
PHONE = "0912 345 678"
ADDRESS = "Số 12 ngõ 5 đường Lê Lợi"


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """SQLite only in this module (one test below runs on PostgreSQL)."""
    return f"sqlite:///{tmp_path / 'queue.db'}"


@pytest.fixture
def visits(queue: Queue) -> HomeVisits:
    return HomeVisits(queue)


@pytest.fixture
def officer(queue: Queue) -> int:
    return add_user(queue.db, "lan", "officer", "secret-pass-1", display_name="Nguyễn Thị Lan")


def request(**changes: object) -> VisitRequest:
    values: dict[str, object] = {
        "phone": PHONE,
        "consent": True,
        "service": "HT",
        "address": ADDRESS,
        "category": "elderly",
        "preferred_days": (3, 1, 3),
    }
    values.update(changes)
    return VisitRequest(**values)  # type: ignore[arg-type]


def count(queue: Queue, model: type) -> int:
    with queue.db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(model)).scalar_one())


def test_a_request_keeps_contact_apart_and_its_event_carries_none(
    queue: Queue, visits: HomeVisits
) -> None:
    outcome = visits.register(request(), actor="user:desk")
    view = outcome.value
    assert (view.status, view.service, view.category) == ("requested", "HT", "elderly")
    assert view.preferred_days == (1, 3) and view.requested_day == MONDAY
    assert view.contact is None  # only read on purpose
    (envelope,) = outcome.envelopes
    assert envelope.name == "visit_requested"
    assert envelope.payload == {
        "visit_id": view.id,
        "service": "HT",
        "category": "elderly",
        "at": view.requested_at.isoformat(),
    }
    with queue.db.read() as conn:
        (written,) = read_after(conn, envelope.seq - 1)
    assert "912345678" not in written.payload.__repr__() and "Lê Lợi" not in repr(written)
    kept = visits.get(view.id, with_contact=True).contact
    assert kept == {"phone": "0912345678", "address": ADDRESS, "hamlet": None}


@pytest.mark.parametrize(
    ("changes", "error", "words"),
    [
        ({"consent": False}, Rejected, "consent"),
        ({"phone": "12345"}, Rejected, "phone number"),
        ({"address": None, "hamlet": "  "}, Rejected, "hamlet"),
        ({"service": "XX"}, NotFound, "Unknown service"),
        ({"category": "vip"}, NotFound, "Unknown priority category"),
        ({"preferred_days": (0,)}, Rejected, "weekdays"),
        ({"address": "x" * 201}, Rejected, "200"),
    ],
)
def test_a_bad_request_stores_nothing(
    queue: Queue, visits: HomeVisits, changes: dict[str, object], error: type, words: str
) -> None:
    from queue_server.i18n import use_language

    with use_language("en"), pytest.raises(error, match=words):
        visits.register(request(**changes), actor="user:desk")
    assert count(queue, HomeVisit) == 0 and count(queue, VisitContact) == 0


def test_schedule_outcomes_and_their_refusals(
    queue: Queue, visits: HomeVisits, officer: int, clock: FrozenClock
) -> None:
    visit = visits.register(request(hamlet="Tổ 3"), actor="user:desk").value
    wednesday = MONDAY + timedelta(days=2)
    plan = Appointment(wednesday, "08:00", "10:00", (officer,))
    refusals = [
        (Appointment(MONDAY - timedelta(days=1), "08:00", "10:00", (officer,)), Rejected),
        (Appointment(wednesday, "10:00", "08:00", (officer,)), Rejected),
        (Appointment(wednesday, "8h", "10:00", (officer,)), Rejected),
        (Appointment(wednesday, "08:00", "10:00", ()), Rejected),
        (Appointment(wednesday, "08:00", "10:00", (officer + 99,)), NotFound),
    ]
    for bad, error in refusals:
        with pytest.raises(error):
            visits.schedule(visit.id, bad, actor="user:desk")
    with pytest.raises(InvalidState):  # no date yet
        visits.record_outcome(visit.id, "done_dossier", "user:desk")
    assert visits.get(visit.id).status == "requested"

    scheduled = visits.schedule(visit.id, plan, actor="user:desk")
    assert scheduled.value.status == "scheduled" and scheduled.value.visit_day == wednesday
    assert [o["id"] for o in scheduled.value.officers] == [officer]
    assert scheduled.envelopes[0].payload["officers"] == [officer]
    with pytest.raises(Rejected):  # Wednesday has not come yet
        visits.record_outcome(visit.id, "done_advice", "user:lan")
    other = add_user(queue.db, "minh", "officer", "secret-pass-2")
    with pytest.raises(NotAllowed):
        visits.record_outcome(visit.id, "not_home", "user:minh", own_user=other)

    friday = wednesday + timedelta(days=2)
    moved = visits.record_outcome(visit.id, "rescheduled", "user:lan", new_day=friday)
    assert (moved.value.status, moved.value.visit_day) == ("scheduled", friday)
    assert moved.envelopes[0].payload["rescheduled"] is True
    clock.set(clock.now() + timedelta(days=4))  # Friday
    closed = visits.record_outcome(visit.id, "done_dossier", "user:lan", own_user=officer)
    assert closed.value.status == "done_dossier" and closed.value.closed_at == clock.now()
    assert closed.envelopes[0].name == "visit_closed"
    assert closed.envelopes[0].payload["day"] == friday.isoformat()
    with pytest.raises(InvalidState):
        visits.record_outcome(visit.id, "cancelled", "user:desk")
    assert [o["outcome"] for o in visits.get(visit.id).outcomes] == ["rescheduled", "done_dossier"]
    assert [o["day"] for o in visits.get(visit.id).outcomes] == [
        wednesday.isoformat(),
        friday.isoformat(),
    ]
    assert count(queue, VisitOutcome) == 2


def test_lists_filter_by_status_day_and_officer(
    queue: Queue, visits: HomeVisits, officer: int
) -> None:
    first = visits.register(request(), actor="a").value
    second = visits.register(request(category=None), actor="a").value
    visits.register(request(), actor="a")
    visits.schedule(first.id, Appointment(MONDAY, "14:00", "16:00", (officer,)), actor="a")
    cancelled = visits.record_outcome(second.id, "cancelled", "a").value
    assert cancelled.outcomes[0]["day"] is None  # it never had a visit day
    assert [v.id for v in visits.find(VisitFilter(day=MONDAY))] == [first.id]
    assert [v.id for v in visits.find(VisitFilter(officer_id=officer))] == [first.id]
    assert [v.id for v in visits.find(VisitFilter(status="cancelled"))] == [second.id]
    assert len(visits.find(VisitFilter())) == 3
    assert [s["name"] for s in visits.staff()] == ["Nguyễn Thị Lan"]


@pytest.mark.postgres
def test_on_postgresql_a_visit_goes_from_request_to_closed(pg_queue: Queue) -> None:
    visits = HomeVisits(pg_queue)
    officer = add_user(pg_queue.db, "lan", "officer", "secret-pass-1")
    visit = visits.register(request(), actor="a").value
    visits.schedule(visit.id, Appointment(MONDAY, "08:00", "09:30", (officer,)), actor="a")
    closed = visits.record_outcome(visit.id, "not_home", "a", own_user=officer).value
    assert closed.status == "not_home"
    with pytest.raises(InvalidState):
        visits.schedule(visit.id, Appointment(MONDAY, "08:00", "09:30", (officer,)), actor="a")
    assert visits.get(visit.id, with_contact=True).contact["phone"] == "0912345678"  # type: ignore[index]


def test_purge_deletes_contacts_of_visits_closed_long_enough_ago(
    queue: Queue, visits: HomeVisits, officer: int, clock: FrozenClock
) -> None:
    from queue_server.core.audit import audit_entries
    from queue_server.core.contacts import PURGE_ACTION, purge_visit_contacts

    start = clock.now()
    old, recent, still_open = (visits.register(request(), actor="a").value for _ in range(3))
    visits.record_outcome(old.id, "cancelled", "a")  # closed at start
    clock.set(start + timedelta(days=10))
    visits.record_outcome(recent.id, "cancelled", "a")
    now = start + timedelta(days=30, seconds=1)
    assert purge_visit_contacts(queue.db, now, 30, actor="cli") == 1
    kept = {v.id: v.contact for v in visits.find(VisitFilter(), with_contact=True)}
    assert kept[old.id] == {"phone": None, "address": None, "hamlet": None}
    assert kept[recent.id]["phone"] == kept[still_open.id]["phone"] == "0912345678"  # type: ignore[index]
    assert visits.get(old.id).status == "cancelled"  # the visit itself stays, for the report
    (entry,) = audit_entries(queue.db, PURGE_ACTION)
    assert (entry.actor, entry.target, entry.detail) == (
        "cli",
        "visit_contacts",
        {"deleted": 1, "closed_more_than_days": 30},
    )
    assert "0912345678" not in repr(entry)
