"""The daily maintenance: close leftover tickets, archive old days, purge phone numbers
(callbacks, and the phone numbers and addresses of closed home visits).

It is due once a day at ``maintenance.hour`` (local time). A run that was missed
(the server was off at that hour) is made as soon as the server starts. A row in
``center_settings`` (key ``maintenance``) records which run was claimed and when it
finished, so two server processes (or a restart in the middle) never run it twice at
once; a claim older than :data:`STALE_AFTER` without a finish is taken over, which is
safe because every step can run again.

On PostgreSQL each run ends with ``ANALYZE`` (:func:`refresh_statistics`): the planner's
statistics are then at most a day old even where autovacuum is off or behind, and the
archive just filled is planned with its real size.

A run after a long time off (months of missed days) catches up in slices: leftover
tickets are closed :data:`CLOSE_SLICE` at a time and old days archived
``archive.SLICE`` tickets at a time, each slice its own short transaction, and between
two slices the job rests as long as the slice took (:class:`Pacer`: on the gevent server
that is what lets requests be read and served at all) and the writers waiting for the
lock (issuing, calling) go first (``Database.let_writers_pass``), so the queue keeps its
pace while the server catches up.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, text, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from queue_server.core import audit, outbox
from queue_server.core.archive import ArchivedDay, archive_before, archive_horizon
from queue_server.core.contacts import purge_contacts, purge_visit_contacts
from queue_server.core.db import Database
from queue_server.core.models import CenterSetting
from queue_server.core.operations import Outcome, Queue
from queue_server.core.waiting_counts import purge_before

if TYPE_CHECKING:
    from queue_server.settings import Settings

log = logging.getLogger(__name__)

SETTING_KEY = "maintenance"
STALE_AFTER = timedelta(hours=1)
# Outbox events are kept this long for screens and device processes that come back
# (one away longer takes a snapshot); the ticket event log keeps the history.
OUTBOX_KEEP = timedelta(days=2)
ACTOR = "system:maintenance"
CLOSE_SLICE = 100  # leftover tickets closed per transaction (each with its event)
REST_SHARE = 1.0  # rest between slices: this share of the slice's time …
MAX_REST_S = 0.05  # … at most this long
SCHEMA_TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"


class Pacer:
    """Run between two slices of a long job: rest for ``share`` of the time since the
    last rest (so requests get at least half of the time), then let this process's
    writers that wait for the lock go first."""

    def __init__(self, db: Database, share: float = REST_SHARE) -> None:
        self.db = db
        self.share = share
        self.last = time.monotonic()

    def __call__(self) -> None:
        worked = time.monotonic() - self.last
        time.sleep(min(worked * self.share, MAX_REST_S))  # gevent: the hub serves requests
        self.db.let_writers_pass()
        self.last = time.monotonic()


@dataclass(frozen=True, slots=True)
class MaintenancePlan:
    """When the maintenance runs and what it keeps."""

    hour: int = 2
    keep_days: int = 7
    contact_days: int = 30
    visit_days: int = 30
    feedback_phone_days: int = 30
    enabled: bool = True

    @classmethod
    def from_settings(cls, settings: Settings) -> MaintenancePlan:
        return cls(
            hour=settings.maintenance.hour,
            keep_days=settings.archive.keep_days,
            contact_days=settings.privacy.contact_days,
            visit_days=settings.privacy.visit_days,
            feedback_phone_days=settings.feedback.phone_keep_days,
            enabled=settings.maintenance.enabled,
        )


@dataclass(frozen=True, slots=True)
class MaintenanceResult:
    """What one run did."""

    due: datetime
    closed: int
    archived: list[ArchivedDay] = field(default_factory=list)
    contacts_purged: int = 0
    outbox_purged: int = 0
    visit_contacts_purged: int = 0
    statistics_refreshed: bool = False

    def counts(self) -> dict[str, int]:
        return {
            "closed": self.closed,
            "days": sum(1 for day in self.archived if day.tickets),
            "tickets_archived": sum(day.tickets for day in self.archived),
            "events_archived": sum(day.events for day in self.archived),
            "contacts_purged": self.contacts_purged,
            "outbox_purged": self.outbox_purged,
            "visit_contacts_purged": self.visit_contacts_purged,
        }


def due_moment(now: datetime, zone: ZoneInfo, hour: int) -> datetime:
    """The latest scheduled moment (local ``hour``:00) at or before ``now``, in UTC."""
    local = now.astimezone(zone)
    day = local.date() if local.hour >= hour else local.date() - timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, tzinfo=zone).astimezone(UTC)


def next_moment(now: datetime, zone: ZoneInfo, hour: int) -> datetime:
    """The next scheduled moment strictly after ``now``, in UTC."""
    last = due_moment(now, zone, hour).astimezone(zone)
    day = last.date() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, tzinfo=zone).astimezone(UTC)


def last_run(db: Database) -> dict[str, Any] | None:
    """The maintenance record: ``due``, ``started_at``, ``finished_at``, ``counts``."""
    with db.read() as conn:
        value = conn.execute(
            select(CenterSetting.value).where(CenterSetting.key == SETTING_KEY)
        ).scalar_one_or_none()
    return value if isinstance(value, dict) else None


def claim(db: Database, due: datetime, now: datetime) -> bool:
    """Take the run for ``due`` unless it was done or is running; True if it is ours."""
    record = {"due": due.isoformat(), "started_at": now.isoformat(), "finished_at": None}
    try:
        with db.write() as conn:
            row = conn.execute(
                select(CenterSetting.value)
                .where(CenterSetting.key == SETTING_KEY)
                .with_for_update()
            ).one_or_none()
            if row is None:
                conn.execute(
                    insert(CenterSetting).values(
                        key=SETTING_KEY, value=record, updated_at=now, updated_by=ACTOR
                    )
                )
                return True
            if not _may_claim(row.value, due, now):
                return False
            conn.execute(
                update(CenterSetting)
                .where(CenterSetting.key == SETTING_KEY)
                .values(value=record, updated_at=now, updated_by=ACTOR)
            )
            return True
    except IntegrityError:  # another process inserted the first record at the same time
        return False


def _may_claim(value: Any, due: datetime, now: datetime) -> bool:
    if not isinstance(value, dict) or not value.get("due"):
        return True
    if datetime.fromisoformat(value["due"]) < due:
        return True
    if value.get("finished_at"):
        return False
    started = value.get("started_at")
    return started is None or datetime.fromisoformat(started) <= now - STALE_AFTER


def _finish(db: Database, due: datetime, result: MaintenanceResult, now: datetime) -> None:
    record = {
        "due": due.isoformat(),
        "started_at": None,
        "finished_at": now.isoformat(),
        "counts": result.counts(),
    }
    with db.write() as conn:
        conn.execute(
            update(CenterSetting)
            .where(CenterSetting.key == SETTING_KEY)
            .values(value=record, updated_at=now, updated_by=ACTOR)
        )


def run_maintenance(
    queue: Queue,
    plan: MaintenancePlan,
    *,
    due: datetime | None = None,
    actor: str = ACTOR,
    between: Callable[[], None] | None = None,
) -> Outcome[MaintenanceResult]:
    """Close leftover tickets, archive days before the horizon, purge old phone numbers
    (callbacks; home visits closed more than ``visit_days`` ago, with their addresses)
    and outbox events older than :data:`OUTBOX_KEEP`.

    Each step is its own short transaction(s), the long ones in slices with ``between``
    run after each (default: a :class:`Pacer`); the events of closing are returned for the
    caller to publish.
    """
    pause = Pacer(queue.db) if between is None else between
    now = queue.clock.now()
    closed = close_in_slices(queue, actor, pause)
    horizon = archive_horizon(queue.today(), plan.keep_days)
    archived = archive_before(queue.db, horizon, between=pause)
    purged = purge_contacts(
        queue.db, now, plan.contact_days, actor, feedback_days=plan.feedback_phone_days
    )
    visits = purge_visit_contacts(queue.db, now, plan.visit_days, actor)
    with queue.db.write() as conn:
        events = outbox.purge(conn, now - OUTBOX_KEEP)
        purge_before(conn, queue.today())  # waiting counts of past days (all zero now)
    analysed = refresh_statistics(queue.db)
    result = MaintenanceResult(
        due or now, closed.value, archived, purged.total, events, visits, analysed
    )
    return Outcome(result, closed.events, closed.envelopes)


def refresh_statistics(db: Database) -> bool:
    """PostgreSQL: ``ANALYZE`` the tables of xephang's schema (it reads a sample of each
    and blocks no reads or writes); returns whether it ran (False on SQLite, or when
    PostgreSQL refused: logged, the maintenance's other steps stand).

    A statement prepared while ``tickets`` had no statistics can keep a plan that reads
    the whole day through ``ix_tickets_day`` for every call-next (docs/benchmarks.md,
    issue #19); ANALYZE makes PostgreSQL plan it again with the real sizes. Only the
    schema's own tables: a plain ``ANALYZE`` by the center's (non-superuser) role would
    log a warning for each system catalogue it may not analyse.
    """
    if db.dialect != "postgresql":
        return False
    try:
        with db.engine.connect() as conn:
            names = conn.execute(text(SCHEMA_TABLES)).scalars().all()
            if names:
                quote = conn.dialect.identifier_preparer.quote
                conn.execute(text("ANALYZE " + ", ".join(quote(name) for name in names)))
            conn.commit()
    except SQLAlchemyError as exc:
        log.warning("statistics not refreshed: %s", exc)
        return False
    return True


def close_in_slices(queue: Queue, actor: str, between: Callable[[], None]) -> Outcome[int]:
    """``close_day`` at most :data:`CLOSE_SLICE` tickets per transaction until none is
    left, ``between`` after each slice; the slices' events and envelopes together."""
    total, events, envelopes = 0, [], []
    while True:
        outcome = queue.close_day(actor=actor, limit=CLOSE_SLICE)
        total += outcome.value
        events.extend(outcome.events)
        envelopes.extend(outcome.envelopes)
        if outcome.value < CLOSE_SLICE:
            return Outcome(total, events, envelopes)
        between()


def maintain_if_due(queue: Queue, plan: MaintenancePlan) -> Outcome[MaintenanceResult | None]:
    """Run the maintenance if today's (or a missed) run has not been made yet, and the
    clock is not suspect (the check also marks the time as seen)."""
    if not plan.enabled:
        return Outcome(None)
    now = queue.clock.now()
    suspicion = queue.clock_guard.watch(queue.db, now, ACTOR)
    if suspicion is not None:  # a suspect clock: no closing or purging (docs/outages.md)
        with queue.db.write() as conn:
            audit.record(conn, now, ACTOR, "maintenance.skipped", "clock", suspicion.to_dict())
        return Outcome(None)
    due = due_moment(now, queue.options.zone, plan.hour)
    if not claim(queue.db, due, now):
        return Outcome(None)
    outcome = run_maintenance(queue, plan, due=due)
    _finish(queue.db, due, outcome.value, queue.clock.now())
    return Outcome(outcome.value, outcome.events, outcome.envelopes)
