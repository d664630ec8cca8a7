"""The daily maintenance with a frozen clock: once a day at the hour, a missed run at
start-up, never two at once; it closes leftovers, archives and purges."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from queue_server.core.archive import ticket_counts
from queue_server.core.audit import audit_entries
from queue_server.core.clock import FrozenClock
from queue_server.core.contacts import PURGE_ACTION, Contact
from queue_server.core.db import Database
from queue_server.core.envelope import Envelope
from queue_server.core.maintenance import (
    ACTOR,
    OUTBOX_KEEP,
    STALE_AFTER,
    MaintenancePlan,
    claim,
    due_moment,
    last_run,
    maintain_if_due,
    next_moment,
    refresh_statistics,
    run_maintenance,
)
from queue_server.core.models import OutboxEvent, ticket_events_archive
from queue_server.core.operations import Queue
from queue_server.relay import Relay
from queue_server.reports import compute_report
from queue_server.workers.maintenance import MaintenanceWorker

from .test_archive import count


def outbox_before(queue: Queue, moment: datetime) -> int:
    """How many outbox events were written before ``moment``."""
    with queue.db.read() as conn:
        rows = conn.execute(select(func.count()).where(OutboxEvent.at < moment))
        return int(rows.scalar_one())


Play = Callable[[Queue, FrozenClock], None]
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
PLAN = MaintenancePlan(hour=2, keep_days=7, contact_days=30)


def local(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    """A local (UTC+7) time in 2026 as an aware UTC datetime."""
    return datetime(2026, month, day, hour, minute, tzinfo=ZONE).astimezone(UTC)


def test_due_and_next_moments_are_local_hours() -> None:
    assert due_moment(local(23, 9), ZONE, 2) == local(23, 2)
    assert due_moment(local(23, 1, 59), ZONE, 2) == local(22, 2)
    assert due_moment(local(23, 2), ZONE, 2) == local(23, 2)
    assert next_moment(local(23, 9), ZONE, 2) == local(24, 2)
    assert next_moment(local(23, 1), ZONE, 2) == local(23, 2)
    assert next_moment(local(30, 23), ZONE, 2) == local(1, 2, month=12)


def test_runs_at_start_up_then_once_a_day_at_the_hour(queue: Queue, clock: FrozenClock) -> None:
    clock.set(local(23, 9))
    first = maintain_if_due(queue, PLAN).value
    assert first is not None and first.due == local(23, 2)  # nothing recorded: run now
    assert maintain_if_due(queue, PLAN).value is None
    clock.set(local(24, 1, 59))
    assert maintain_if_due(queue, PLAN).value is None
    clock.set(local(24, 2))
    second = maintain_if_due(queue, PLAN).value
    assert second is not None and second.due == local(24, 2)
    record = last_run(queue.db)
    assert record is not None
    assert record["due"] == local(24, 2).isoformat()
    assert record["finished_at"] == local(24, 2).isoformat()
    assert record["counts"]["tickets_archived"] == 0


def test_a_missed_run_is_made_when_the_server_starts(queue: Queue, clock: FrozenClock) -> None:
    clock.set(local(22, 2, 5))
    assert maintain_if_due(queue, PLAN).value is not None
    # The server was off from the evening of the 22nd; it starts at 07:30 on the 24th.
    clock.set(local(24, 7, 30))
    worker = MaintenanceWorker(queue, PLAN, Relay())
    result = worker.run_if_due()
    assert result is not None and result.due == local(24, 2)
    assert worker.run_if_due() is None
    assert worker.seconds_to_next() == 3600  # looks again hourly (the clock may be set)
    clock.set(local(25, 1, 30))
    assert worker.seconds_to_next() == 1800


def test_never_two_runs_at_once(queue: Queue, clock: FrozenClock) -> None:
    clock.set(local(23, 9))
    due = due_moment(clock.now(), ZONE, 2)
    assert claim(queue.db, due, clock.now()) is True
    assert claim(queue.db, due, clock.now()) is False  # still running
    assert maintain_if_due(queue, PLAN).value is None
    clock.advance(seconds=STALE_AFTER.total_seconds())
    assert claim(queue.db, due, clock.now()) is True  # the first one died: take over


def test_processes_racing_for_the_run_make_it_once(queue: Queue, clock: FrozenClock) -> None:
    clock.set(local(23, 9))
    start = threading.Barrier(4)
    results: list[object] = []

    def server_process() -> None:
        start.wait()
        results.append(maintain_if_due(queue, PLAN).value)

    threads = [threading.Thread(target=server_process) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(results) == 4
    assert sum(result is not None for result in results) == 1


def test_maintenance_closes_leftovers_archives_and_purges(
    queue: Queue, clock: FrozenClock, play: Play
) -> None:
    play(queue, clock)  # 23 and 24 November
    clock.set(local(24, 16))
    at_counter = queue.issue("CT", contact=Contact("0912345678")).value.id
    queue.call_ticket(3, at_counter)  # still at counter 3 when the center closed
    clock.set(local(25, 9))
    queue.issue("HT", contact=Contact("0987654321", "home_visit"))  # never called
    bus = Relay()
    published: list[Envelope] = []
    bus.subscribe(published.append)
    worker = MaintenanceWorker(queue, PLAN, bus)

    clock.set(local(25, 9, 30))
    old_events = outbox_before(queue, clock.now() - OUTBOX_KEEP)
    assert old_events > 0  # 23 November's morning
    first = worker.run_if_due()
    assert first is not None
    assert first.counts() == {
        "closed": 1,
        "days": 0,
        "tickets_archived": 0,
        "events_archived": 0,
        "contacts_purged": 0,
        "outbox_purged": old_events,
        "visit_contacts_purged": 0,
    }
    assert outbox_before(queue, clock.now() - OUTBOX_KEEP) == 0
    assert [e.name for e in published] == ["counter_changed"]  # counter 3 is free again
    assert (published[0].payload["number"], published[0].payload["current"]) == (3, None)
    to_tuesday = (date(2026, 11, 1), date(2026, 11, 24))
    before = compute_report(queue.db, ZONE, *to_tuesday)

    clock.set(local(25, 9, month=12))  # a month later
    old_events = outbox_before(queue, clock.now() - OUTBOX_KEEP)
    later = worker.run_if_due()
    assert later is not None
    assert later.counts() == {
        "closed": 1,  # the 25 November ticket
        "days": 2,  # 23 and 24 November; the 25th's only ticket is the newest row
        "tickets_archived": 8,
        "events_archived": count(queue.db, ticket_events_archive),
        "contacts_purged": 1,  # 24 November is more than 30 days ago; 25 November is not
        "outbox_purged": old_events,  # all: closing a waiting ticket publishes nothing
        "visit_contacts_purged": 0,
    }
    assert count(queue.db, OutboxEvent.__table__) == 0
    assert ticket_counts(queue.db) == (1, 8)
    assert compute_report(queue.db, ZONE, *to_tuesday) == before
    assert len(published) == 1
    purges = audit_entries(queue.db, PURGE_ACTION)
    assert [(e.actor, e.detail) for e in purges if e.target == "ticket_contacts"] == [
        (
            ACTOR,
            {
                "deleted": 0,
                "older_than_days": 30,
                "feedback_phones": 0,
                "feedback_answered_days": 30,
            },
        ),
        (
            ACTOR,
            {
                "deleted": 1,
                "older_than_days": 30,
                "feedback_phones": 0,
                "feedback_answered_days": 30,
            },
        ),
    ]
    assert [(e.actor, e.detail) for e in purges if e.target == "visit_contacts"] == [
        (ACTOR, {"deleted": 0, "closed_more_than_days": 30}),
    ] * 2


def test_the_thread_runs_a_missed_maintenance_at_start(queue: Queue, clock: FrozenClock) -> None:
    clock.set(local(23, 9))
    worker = MaintenanceWorker(queue, PLAN, Relay())
    worker.start()
    try:
        deadline = datetime.now(UTC) + timedelta(seconds=20)
        while (last_run(queue.db) or {}).get("finished_at") is None:
            assert datetime.now(UTC) < deadline, "the maintenance thread did not run"
            threading.Event().wait(0.02)
    finally:
        worker.stop()
    assert last_run(queue.db)["due"] == local(23, 2).isoformat()  # type: ignore[index]


def test_disabled_maintenance_never_runs(queue: Queue, clock: FrozenClock) -> None:
    plan = MaintenancePlan(enabled=False)
    assert maintain_if_due(queue, plan).value is None
    assert last_run(queue.db) is None


def test_maintenance_refreshes_postgresql_statistics(queue: Queue) -> None:
    """On PostgreSQL the run ends with ANALYZE (autovacuum's own runs are counted
    apart, in ``last_autoanalyze``); SQLite is left as it is."""
    for _ in range(3):
        queue.issue("HT")
    postgresql = queue.db.dialect == "postgresql"
    analysed = "SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'tickets'"
    if postgresql:
        with queue.db.read() as conn:
            assert conn.exec_driver_sql(analysed).scalar_one() is None
    assert run_maintenance(queue, PLAN).value.statistics_refreshed == postgresql
    if postgresql:
        with queue.db.read() as conn:
            assert conn.exec_driver_sql(analysed).scalar_one() is not None


def test_statistics_are_refreshed_for_xephangs_tables_only(pg_queue: Queue) -> None:
    """The system catalogues are left alone (a center's non-superuser role would log a
    warning for each); every table of the schema is analysed."""
    assert refresh_statistics(pg_queue.db)
    with pg_queue.db.read() as conn:
        ours = conn.exec_driver_sql(
            "SELECT count(*), count(last_analyze) FROM pg_stat_user_tables"
        ).one()
        catalogue = conn.exec_driver_sql(
            "SELECT last_analyze FROM pg_stat_sys_tables WHERE relname = 'pg_class'"
        ).scalar_one()
    assert ours[0] > 20 and ours[1] == ours[0]
    assert catalogue is None


def test_a_refused_analyse_is_logged_and_the_run_goes_on(
    pg_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    gone = Database(pg_url.rsplit("/", 1)[0] + "/xephang_no_such_database")
    try:
        assert not refresh_statistics(gone)
    finally:
        gone.dispose()
    assert "statistics not refreshed" in caplog.text
