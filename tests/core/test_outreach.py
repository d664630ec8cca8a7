"""The outreach schedule in the core: recurring patterns, the next session never past,
cancel and change one session alone, refusals that change nothing; the outbox event.
SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from queue_server.auth.users import add_user
from queue_server.core import audit
from queue_server.core.clock import FrozenClock
from queue_server.core.errors import InvalidState, NotFound, Rejected
from queue_server.core.operations import Queue
from queue_server.core.outbox import read_after
from queue_server.core.outreach import OutreachSchedule, Repeat, SessionDraft, repeat_days
from queue_server.core.outreach_models import OutreachSession
from queue_server.core.outreach_queries import SessionFilter
from queue_server.core.outreach_text import next_session_line

MONDAY = date(2026, 11, 23)  # the clock fixture's day, 09:00 local
SATURDAY = date(2026, 12, 12)  # the second Saturday of December 2026
PLACE = "Nhà văn hóa tổ dân phố Ngọc Lặc"


def draft(**changes: object) -> SessionDraft:
    values: dict[str, object] = {
        "day": SATURDAY,
        "starts": "08:00",
        "ends": "11:30",
        "place": PLACE,
        "services": ("HT", "CT"),
    }
    values.update(changes)
    return SessionDraft(**values)  # type: ignore[arg-type]


def events(queue: Queue) -> list[tuple[str, dict[str, object]]]:
    with queue.db.read() as conn:
        return [(e.name, e.payload) for e in read_after(conn, 0)]


def rows(queue: Queue) -> int:
    with queue.db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(OutreachSession)).scalar_one())


def test_patterns_keep_their_weekday_and_rank() -> None:
    monthly = repeat_days(SATURDAY, Repeat("month", date(2027, 3, 31)))
    assert monthly == [date(2026, 12, 12), date(2027, 1, 9), date(2027, 2, 13), date(2027, 3, 13)]
    assert all(d.weekday() == 5 and 8 <= d.day <= 14 for d in monthly)
    # seed 004: every two weeks from 13/12/2025 to 24/01/2026
    fortnightly = repeat_days(date(2025, 12, 13), Repeat("two_weeks", date(2026, 1, 24)))
    assert [f"{d:%d/%m}" for d in fortnightly] == ["13/12", "27/12", "10/01", "24/01"]
    assert len(repeat_days(SATURDAY, Repeat("week", date(2027, 1, 2)))) == 4
    # a fifth Saturday: months without one are skipped
    fifth = repeat_days(date(2026, 5, 30), Repeat("month", date(2026, 9, 30)))
    assert fifth == [date(2026, 5, 30), date(2026, 8, 29)]
    for bad in (Repeat("day", SATURDAY), Repeat("week", date(2026, 12, 1))):
        with pytest.raises(Rejected):
            repeat_days(SATURDAY, bad)
    with pytest.raises(Rejected):  # more than a year
        repeat_days(SATURDAY, Repeat("week", date(2028, 1, 1)))


def test_a_pattern_makes_sessions_each_changed_or_cancelled_alone(
    queue: Queue, clock: FrozenClock
) -> None:
    plan = OutreachSchedule(queue)
    officer = add_user(queue.db, "lan", "officer", "secret-pass-1", display_name="Lan")
    volunteer = add_user(queue.db, "minh", "volunteer", "secret-pass-1", display_name="Minh")
    outcome = plan.create(
        draft(staff=(officer, volunteer)), "admin", Repeat("month", date(2027, 2, 28))
    )
    sessions = outcome.value
    assert [s.day for s in sessions] == [SATURDAY, date(2027, 1, 9), date(2027, 2, 13)]
    assert len({s.series_id for s in sessions}) == 1 and sessions[0].series_id is not None
    assert [p["name"] for p in sessions[0].staff] == ["Lan", "Minh"]
    assert sessions[0].service_names[0] and sessions[0].hours == "08:00–11:30"
    name, payload = events(queue)[-1]
    assert name == "outreach_changed" and payload["change"] == "created"
    assert payload["session_ids"] == [s.id for s in sessions]

    changed = plan.update(sessions[1].id, {"place": "Nhà văn hóa tổ dân phố Mỹ Xá"}, "a").value
    assert changed.place.endswith("Mỹ Xá") and changed.day == date(2027, 1, 9)
    plan.cancel(sessions[0].id, "admin")
    assert [s.place for s in plan.find(SessionFilter())] == [PLACE, changed.place, PLACE]
    assert [s.status for s in plan.find(SessionFilter())] == ["cancelled", "planned", "planned"]
    with pytest.raises(InvalidState):
        plan.cancel(sessions[0].id, "admin")  # cancelled already

    # The next session: never the cancelled one, never one already over.
    assert plan.upcoming()[0].id == sessions[1].id
    clock.set(datetime(2027, 1, 9, 4, 29, tzinfo=UTC))  # 11:29 local that Saturday
    assert plan.upcoming()[0].id == sessions[1].id
    line = next_session_line(plan.upcoming()[0])
    assert line == "Lưu động sắp tới: thứ Bảy 09/01 tại Nhà văn hóa tổ dân phố Mỹ Xá, 08:00–11:30"
    clock.set(datetime(2027, 1, 9, 4, 30, tzinfo=UTC))  # 11:30: over
    assert plan.upcoming()[0].id == sessions[2].id
    plan.update(sessions[1].id, {"notes": "32 people helped"}, "a")  # its day: still open
    clock.set(datetime(2027, 1, 9, 17, 0, tzinfo=UTC))  # the day after, local
    with pytest.raises(InvalidState):  # a past session is not changed
        plan.update(sessions[1].id, {"notes": "late"}, "a")
    clock.set(datetime(2027, 2, 14, 2, 0, tzinfo=UTC))
    assert plan.upcoming() == []


BAD: list[tuple[dict[str, object], type[Exception]]] = [
    ({"day": date(2026, 11, 22)}, Rejected),  # yesterday
    ({"ends": "07:30"}, Rejected),
    ({"starts": "8h"}, Rejected),
    ({"place": "   "}, Rejected),
    ({"services": ("HT", "XX")}, NotFound),
    ({"staff": (999,)}, NotFound),
    ({"site_code": "l-1"}, Rejected),
]


def test_bad_sessions_are_refused_and_change_nothing(queue: Queue) -> None:
    plan = OutreachSchedule(queue)
    existing = plan.create(draft(), "admin").value[0]
    before = events(queue)
    for changes, error in BAD:
        with pytest.raises(error):
            plan.create(draft(**changes), "admin", Repeat("week", date(2027, 1, 30)))
        with pytest.raises(error):
            plan.update(existing.id, changes, "admin")
    assert rows(queue) == 1 and events(queue) == before
    assert plan.get(existing.id) == existing
    assert plan.create(draft(day=MONDAY), "admin").value[0].day == MONDAY  # today is fine


def test_feed_tokens_are_secret_and_revocable(queue: Queue) -> None:
    plan = OutreachSchedule(queue)
    plan.create(draft(), "admin")
    assert plan.feed_sessions("nothing") is None and not plan.feed_exists()
    first = plan.create_feed("admin")
    assert [s.day for s in plan.feed_sessions(first) or []] == [SATURDAY]
    second = plan.create_feed("admin")  # the first URL stops working
    assert plan.feed_sessions(first) is None and plan.feed_sessions(second) is not None
    assert plan.revoke_feed("admin") and not plan.revoke_feed("admin")
    assert plan.feed_sessions(second) is None
    with queue.db.read() as conn:
        actions = [entry.action for entry in audit.entries(conn, limit=10, offset=0)]
    assert actions == [
        "outreach.feed_revoke",
        "outreach.feed_create",
        "outreach.feed_create",
        "outreach.plan",
    ]
