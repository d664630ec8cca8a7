"""The daily archive on SQLite and PostgreSQL: reports are the same before and after,
a second run changes nothing, an interrupted run loses and duplicates nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from queue_server.core.archive import archive_before, archive_horizon, days_before, ticket_counts
from queue_server.core.clock import FrozenClock
from queue_server.core.db import Database
from queue_server.core.models import (
    PrintJobRecord,
    TicketEvent,
    ticket_events_archive,
    tickets_archive,
)
from queue_server.core.operations import Queue
from queue_server.core.printjobs import record_job
from queue_server.reports import Report, compute_report

from .test_cli import config, xephang  # noqa: F401  (the CLI fixture: known days on SQLite)

Play = Callable[[Queue, FrozenClock], None]
MONDAY = date(2026, 11, 23)
TUESDAY = date(2026, 11, 24)
TODAY = date(2026, 12, 5)  # the known days are then 11 and 12 days old
KNOWN_TICKETS = 7


def whole_range(queue: Queue) -> Report:
    return compute_report(queue.db, queue.options.zone, date(2026, 11, 1), TODAY)


def count(db: Database, table: object) -> int:
    with db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


@pytest.fixture
def played(queue: Queue, clock: FrozenClock, play: Play) -> Queue:
    """The known days, a print job for each of Monday's first tickets, then a ticket today."""
    play(queue, clock)
    for ticket_id in (1, 2):
        record_job(
            queue.db, job_id=str(ticket_id), kiosk="kiosk-1", state="confirmed", reason=None,
            detail="", attempts=1, awaiting_recovery=False, at=clock.now(),
        )  # fmt: skip
    clock.set(datetime(2026, 12, 5, 2, 0, tzinfo=UTC))  # 09:00 local
    queue.issue("HT")
    return queue


def test_reports_are_the_same_after_archiving(played: Queue) -> None:
    queue = played
    before = whole_range(queue)
    events = count(queue.db, TicketEvent)
    horizon = archive_horizon(queue.today(), keep_days=7)
    assert horizon == date(2026, 11, 28)

    moved = archive_before(queue.db, horizon)

    assert [(r.day, r.tickets, r.print_jobs, r.still_open, r.held_back) for r in moved] == [
        (MONDAY, 6, 2, 0, 0),
        (TUESDAY, 1, 0, 0, 0),
    ]
    assert ticket_counts(queue.db) == (1, KNOWN_TICKETS)  # today's ticket stays live
    assert sum(r.events for r in moved) == count(queue.db, ticket_events_archive)
    assert count(queue.db, TicketEvent) == events - count(queue.db, ticket_events_archive) == 1
    assert count(queue.db, PrintJobRecord) == 0
    assert whole_range(queue) == before
    assert whole_range(queue).total.issued == KNOWN_TICKETS + 1


def test_a_second_run_changes_nothing(played: Queue) -> None:
    queue = played
    horizon = archive_horizon(queue.today(), 7)
    archive_before(queue.db, horizon)
    counts = ticket_counts(queue.db), count(queue.db, ticket_events_archive)
    assert archive_before(queue.db, horizon) == []
    assert (ticket_counts(queue.db), count(queue.db, ticket_events_archive)) == counts


def test_today_and_the_kept_days_stay_live(played: Queue) -> None:
    queue = played
    assert archive_before(queue.db, archive_horizon(queue.today(), keep_days=12)) == []
    moved = archive_before(queue.db, archive_horizon(queue.today(), keep_days=11))
    assert [r.day for r in moved] == [MONDAY]
    assert days_before(queue.db, TODAY) == [TUESDAY]


def _abort_deleting_tuesday(db: Database) -> None:
    """A real failure inside the day's transaction: the database refuses the delete."""
    with db.write() as conn:
        if db.dialect == "sqlite":
            conn.execute(
                text(
                    "CREATE TRIGGER power_cut BEFORE DELETE ON tickets "
                    "WHEN old.day = '2026-11-24' BEGIN SELECT RAISE(ABORT, 'power cut'); END"
                )
            )
        else:
            conn.execute(
                text(
                    "CREATE FUNCTION power_cut() RETURNS trigger LANGUAGE plpgsql AS $$ "
                    "BEGIN IF old.day = DATE '2026-11-24' THEN RAISE EXCEPTION 'power cut'; "
                    "END IF; RETURN old; END $$"
                )
            )
            conn.execute(
                text(
                    "CREATE TRIGGER power_cut BEFORE DELETE ON tickets "
                    "FOR EACH ROW EXECUTE FUNCTION power_cut()"
                )
            )


def _restore_power(db: Database) -> None:
    with db.write() as conn:
        conn.execute(
            text("DROP TRIGGER power_cut" + (" ON tickets" if db.dialect != "sqlite" else ""))
        )


def test_an_interrupted_run_loses_and_duplicates_nothing(played: Queue) -> None:
    queue = played
    before = whole_range(queue)
    _abort_deleting_tuesday(queue.db)
    seen: list[date] = []
    with pytest.raises(Exception, match="power cut"):
        archive_before(queue.db, TODAY, progress=lambda r: seen.append(r.day))
    assert seen == [MONDAY]  # Monday committed, Tuesday rolled back whole
    assert ticket_counts(queue.db) == (2, 6)
    with queue.db.read() as conn:
        days = conn.execute(select(tickets_archive.c.day).distinct()).scalars().all()
    assert days == [MONDAY]
    assert whole_range(queue) == before

    _restore_power(queue.db)
    moved = archive_before(queue.db, TODAY)
    assert [(r.day, r.tickets) for r in moved] == [(TUESDAY, 1)]
    assert ticket_counts(queue.db) == (1, KNOWN_TICKETS)
    with queue.db.read() as conn:
        ids = conn.execute(select(tickets_archive.c.id)).scalars().all()
    assert sorted(ids) == list(range(1, KNOWN_TICKETS + 1))
    assert whole_range(queue) == before


def test_open_and_newest_tickets_stay_until_a_later_run(
    queue: Queue, clock: FrozenClock, play: Play
) -> None:
    play(queue, clock)
    clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))  # 16:00 on Tuesday
    forgotten = queue.issue("CT").value.id  # nobody calls it, nobody closes the day
    clock.set(datetime(2026, 12, 5, 2, 0, tzinfo=UTC))
    november = (date(2026, 11, 1), date(2026, 11, 30))
    before = compute_report(queue.db, queue.options.zone, *november)

    moved = archive_before(queue.db, TODAY)
    assert [(r.day, r.tickets, r.still_open, r.held_back) for r in moved] == [
        (MONDAY, 6, 0, 0),
        (TUESDAY, 1, 1, 0),
    ]
    assert compute_report(queue.db, queue.options.zone, *november) == before

    queue.close_day()  # the forgotten ticket is cancelled: final, but still the newest row
    before = compute_report(queue.db, queue.options.zone, *november)
    moved = archive_before(queue.db, TODAY)
    assert [(r.day, r.tickets, r.held_back) for r in moved] == [(TUESDAY, 0, 1)]

    assert queue.issue("HT").value.id > forgotten  # SQLite did not hand out its id again
    moved = archive_before(queue.db, TODAY)
    assert [(r.day, r.tickets, r.held_back) for r in moved] == [(TUESDAY, 1, 0)]
    assert ticket_counts(queue.db) == (1, KNOWN_TICKETS + 1)
    assert compute_report(queue.db, queue.options.zone, *november) == before


def test_xephang_archive_prints_what_it_moved(config: Path) -> None:  # noqa: F811
    report_args = ("report", "--from", "2026-11-01", "--to", "2026-11-30")
    before = xephang(*report_args, config=config).stdout
    monday = xephang("archive", "--before", "2026-11-24", config=config)
    assert monday.returncode == 0, monday.stderr.decode()
    out = monday.stdout.decode()
    assert "2026-11-23: đã chuyển 6 phiếu" in out
    assert "Phiếu đang dùng: 1; trong kho lưu trữ: 6." in out

    tuesday = xephang("archive", "--before", "2026-11-25", config=config).stdout.decode()
    assert "2026-11-24: đã chuyển 0 phiếu" in tuesday
    assert "1 phiếu mới nhất được giữ lại đến lần sau." in tuesday
    assert xephang(*report_args, config=config).stdout == before

    future = xephang("archive", "--before", "2999-01-01", config=config)
    assert future.returncode == 2
    assert "không bao giờ được lưu trữ" in future.stderr.decode()
    bad = xephang("archive", "--before", "2026-02-30", config=config)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr.decode()
