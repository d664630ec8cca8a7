"""The clock guard: no ticket is issued or called while the server's clock looks wrong.

After a power cut a mini PC with no RTC battery and no internet may boot with a clock
years behind (or ahead). The guard compares the clock with the latest committed time:
the newest ticket event (by id: the archive always keeps it live), or the mark kept in
``center_settings`` (key ``clock``) when it is newer in commit order (an admin's
confirmation, or the hourly "clock seen" mark of the maintenance worker). A clock more
than ``back_tolerance_s`` behind it, or more than ``forward_days`` ahead, is suspect:
issuing and calling raise :class:`ClockSuspect` until the clock is right again by itself
or an admin confirms it (:meth:`ClockGuard.confirm`, which moves the mark to now).

The check on the issue path is in memory (the latest time this process saw committed);
only when it fails, or while the clock is suspect, does the guard read the database
(in the caller's transaction). Each process judges its own clock; the confirmation and
the suspicion are stored in the database, so every process and admin page sees them.
Every decision is written to the audit log.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite

from queue_server.core import audit
from queue_server.core.clock_config import ClockConfig
from queue_server.core.db import Database
from queue_server.core.errors import Unavailable
from queue_server.core.fastsql import execute as fast
from queue_server.core.models import CenterSetting, TicketEvent
from queue_server.i18n import _

__all__ = ["ClockConfig", "ClockGuard", "ClockStatus", "ClockSuspect", "reference"]

SETTING_KEY = "clock"
RETRY_AFTER_S = 60
LATEST_EVENT = select(TicketEvent.id, TicketEvent.at).order_by(TicketEvent.id.desc()).limit(1)
STORED = select(CenterSetting.value).where(CenterSetting.key == SETTING_KEY)


class ClockSuspect(Unavailable):
    """The clock looks wrong: nothing that stamps a time is done (503, retry later)."""

    code = "clock_suspect"

    def __init__(self, message: str) -> None:
        super().__init__(message, reason="clock", retry_after_s=RETRY_AFTER_S)


@dataclass(frozen=True, slots=True)
class Reference:
    """The latest committed time: ``source`` is "event", "confirmed", "seen" or "none"."""

    at: datetime | None
    source: str
    event_id: int


@dataclass(frozen=True, slots=True)
class Suspicion:
    """Why the clock is suspect: ``kind`` "behind" or "ahead" of ``reference``."""

    kind: str
    server_time: datetime
    reference: datetime

    def message(self) -> str:
        if self.kind == "behind":
            return _(
                "The server's clock is behind the last recorded ticket: no tickets are issued"
                " or called until an administrator confirms the time on the admin page."
            )
        return _(
            "The server's clock is far ahead of the last recorded ticket: no tickets are"
            " issued or called until an administrator confirms the time on the admin page."
        )

    def to_dict(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "server_time": self.server_time.isoformat(),
            "reference": self.reference.isoformat(),
        }


def judge(now: datetime, reference: datetime | None, config: ClockConfig) -> Suspicion | None:
    """Whether ``now`` fits the latest committed time (None: it does)."""
    if reference is None or not config.enabled:
        return None
    if now < reference - timedelta(seconds=config.back_tolerance_s):
        return Suspicion("behind", now, reference)
    if now > reference + timedelta(days=config.forward_days):
        return Suspicion("ahead", now, reference)
    return None


def stored(conn: Connection) -> dict[str, Any]:
    """The ``clock`` row: ``mark`` (at, event_id, by, reason) and ``suspect``."""
    value = conn.execute(STORED).scalar_one_or_none()
    return value if isinstance(value, dict) else {}


def reference(conn: Connection) -> Reference:
    """The latest committed time, in commit order: the newest ticket event, or the mark
    when no event came after it (two primary-key lookups)."""
    row = fast(conn, LATEST_EVENT, {}).one_or_none()
    event_id, event_at = (int(row.id), row.at) if row is not None else (0, None)
    mark = stored(conn).get("mark")
    if isinstance(mark, dict) and int(mark.get("event_id", -1)) >= event_id:
        return Reference(datetime.fromisoformat(mark["at"]), mark.get("reason", "seen"), event_id)
    return Reference(event_at, "event" if event_at else "none", event_id)


def _store(conn: Connection, value: dict[str, Any], now: datetime, actor: str) -> None:
    """Write the ``clock`` row (an upsert: two processes may write it first at once)."""
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    row = {"value": value, "updated_at": now, "updated_by": actor[:80]}
    conn.execute(
        insert(CenterSetting)
        .values(key=SETTING_KEY, **row)
        .on_conflict_do_update(index_elements=[CenterSetting.key], set_=row)
    )


@dataclass(frozen=True, slots=True)
class ClockStatus:
    """What the admin page and ``GET /api/v1/clock`` show."""

    server_time: datetime
    reference: Reference
    suspicion: Suspicion | None
    stored: dict[str, Any]
    config: ClockConfig

    def to_dict(self) -> dict[str, Any]:
        mark = self.stored.get("mark")
        confirmed = mark if isinstance(mark, dict) and mark.get("reason") == "confirmed" else None
        return {
            "server_time": self.server_time.isoformat(),
            "last_event_at": self.reference.at.isoformat() if self.reference.at else None,
            "last_event_source": self.reference.source,
            "suspect": self.suspicion is not None,
            "kind": self.suspicion.kind if self.suspicion else None,
            "message": self.suspicion.message() if self.suspicion else None,
            "detected": self.stored.get("suspect"),
            "confirmed": confirmed,
            "back_tolerance_s": self.config.back_tolerance_s,
            "forward_days": self.config.forward_days,
        }


class ClockGuard:
    """One process's view of its clock (see the module's docstring)."""

    def __init__(self, config: ClockConfig | None = None) -> None:
        self.config = config or ClockConfig()
        self._lock = threading.Lock()
        self._latest: datetime | None = None  # the latest committed time this process saw
        self._suspicion: Suspicion | None = None
        self._pending: list[tuple[str, Suspicion]] = []  # suspicions to store and audit

    @property
    def suspicion(self) -> Suspicion | None:
        return self._suspicion

    def fits(self, now: datetime) -> bool:
        """The cached check: ``now`` fits the latest time this process saw (no I/O)."""
        with self._lock:
            latest = self._latest
            if self._suspicion is not None or latest is None:
                return not self.config.enabled
            if judge(now, latest, self.config) is not None:
                return False
            if now > latest:
                self._latest = now
            return True

    def admit(self, conn: Connection, now: datetime, actor: str = "system") -> None:
        """Raise :class:`ClockSuspect` unless ``now`` is a time to stamp on a ticket.
        Called inside the command's transaction: the database is read only when the
        cached check fails (and a recovery is written with the command)."""
        if self.fits(now):
            return
        suspicion = self._settle(conn, now, actor)
        if suspicion is not None:
            raise ClockSuspect(suspicion.message())

    def _settle(self, conn: Connection, now: datetime, actor: str) -> Suspicion | None:
        """Judge ``now`` against the database; remember the verdict."""
        ref = reference(conn)
        suspicion = judge(now, ref.at, self.config)
        with self._lock:
            was = self._suspicion
            self._suspicion = suspicion
            if suspicion is None:
                self._latest = max(now, ref.at) if ref.at else now
            elif was is None or was.kind != suspicion.kind:
                self._pending.append((actor, suspicion))
        if suspicion is None and (was is not None or stored(conn).get("suspect")):
            self._recovered(conn, now, actor)
        return suspicion

    def _recovered(self, conn: Connection, now: datetime, actor: str) -> None:
        value = stored(conn)
        detail = {"server_time": now.isoformat(), "was": value.get("suspect")}
        _store(conn, {**value, "suspect": None}, now, actor)
        audit.record(conn, now, actor, "clock.recovered", "clock", detail)

    def flush(self, db: Database) -> None:
        """Store and audit the suspicions found since the last flush (their commands
        were refused, so they could not be written with them)."""
        with self._lock:
            pending, self._pending = self._pending, []
        if not pending:
            return
        with db.write() as conn:
            for actor, suspicion in pending:
                self._record(conn, suspicion, actor)

    def _record(self, conn: Connection, suspicion: Suspicion, actor: str) -> None:
        value = stored(conn)
        now = suspicion.server_time
        _store(conn, {**value, "suspect": {**suspicion.to_dict(), "by": actor}}, now, actor)
        audit.record(conn, now, actor, "clock.suspect", "clock", suspicion.to_dict())

    def watch(self, db: Database, now: datetime, actor: str) -> Suspicion | None:
        """The check at start-up and by the maintenance worker (hourly): judge the clock
        against the database; when it fits, mark the time as seen (so a long closure
        with the server on is no jump), else store and audit the suspicion."""
        with db.write() as conn:
            suspicion = self._settle(conn, now, actor)
            if suspicion is None and self.config.enabled:
                ref = reference(conn)
                seen = max(now, ref.at) if ref.at else now
                mark = {"at": seen.isoformat(), "event_id": ref.event_id, "by": actor}
                _store(conn, {**stored(conn), "mark": {**mark, "reason": "seen"}}, now, actor)
        self.flush(db)
        return suspicion

    def confirm(
        self, db: Database, now: datetime, actor: str, browser_time: datetime | None = None
    ) -> ClockStatus:
        """An admin says the server's clock is right: it becomes the latest committed
        time (every process follows at its next check), audited with what was shown."""
        with db.write() as conn:
            ref = reference(conn)
            value = stored(conn)
            mark = {"at": now.isoformat(), "event_id": ref.event_id, "by": actor}
            _store(conn, {"mark": {**mark, "reason": "confirmed"}, "suspect": None}, now, actor)
            detail = {
                "server_time": now.isoformat(),
                "last_event_at": ref.at.isoformat() if ref.at else None,
                "browser_time": browser_time.isoformat() if browser_time else None,
                "was": value.get("suspect"),
            }
            audit.record(conn, now, actor, "clock.confirmed", "clock", detail)
        with self._lock:
            self._suspicion = None
            self._pending.clear()
            self._latest = now
        return self.status(db, now)

    def status(self, db: Database, now: datetime) -> ClockStatus:
        """The clock as the admin page shows it (read only)."""
        with db.read() as conn:
            ref = reference(conn)
            value = stored(conn)
        return ClockStatus(now, ref, judge(now, ref.at, self.config), value, self.config)
