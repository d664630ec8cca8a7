"""The outreach schedule (lưu động): plan, change and cancel sessions at cultural houses.

A session is a local day, hours, a place, the services offered ("" for all) and the staff
going. A recurring pattern (every week, every two weeks, or every month on the same
weekday of the month: "every second Saturday") makes all its sessions at once, up to an
end date; each is then edited or cancelled alone. No session is planned on a past day
and a past session is not changed. Every command is one short transaction with an
``outreach_changed`` event (ids only): screens redraw their "next outreach
session" line. The staff calendar feed is a secret URL: only its SHA-256 is kept.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, time, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, update

from queue_server.core.audit import record
from queue_server.core.context import Outcome, QueueContext
from queue_server.core.errors import InvalidState, NotFound, Rejected
from queue_server.core.events import OutreachChanged
from queue_server.core.outbox import recorded
from queue_server.core.outreach_models import OutreachSession, SessionStatus
from queue_server.core.outreach_queries import (
    SessionFilter,
    SessionView,
    active_feed,
    feed_by_hash,
    read_sessions,
    sessions_query,
    staff_users,
    upcoming_query,
)
from queue_server.core.outreach_tables import OutreachFeed, OutreachSeries
from queue_server.i18n import _

CLOCK_TIME = re.compile(r"^(?:[01][0-9]|2[0-3]):[0-5][0-9]$")
SITE_CODE = re.compile(r"^[A-Z][A-Z0-9]{0,4}$")
EVERY = {"week": 7, "two_weeks": 14, "month": 0}
MAX_SESSIONS = 60  # one pattern
MAX_SPAN_DAYS = 366
MAX_STAFF = 20
MAX_PLACE = 120
MAX_NOTES = 500
TARGET, FEED_TARGET = "outreach_sessions", "outreach_feeds"  # in the audit log


@dataclass(frozen=True, slots=True)
class SessionDraft:
    """What the admin writes: a local day, "08:00"–"11:30", a place, service codes
    (empty: every service), staff user ids, notes, the laptop's site code."""

    day: date
    starts: str
    ends: str
    place: str
    services: tuple[str, ...] = ()
    staff: tuple[int, ...] = ()
    notes: str = ""
    site_code: str | None = None


@dataclass(frozen=True, slots=True)
class Repeat:
    """A recurring pattern: ``every`` week, two_weeks or month, up to ``until``."""

    every: str
    until: date


def repeat_days(first: date, repeat: Repeat) -> list[date]:
    """The days of a pattern from ``first`` to ``repeat.until`` (both included); a month's
    pattern keeps the weekday and its rank (the second Saturday), skipping a month that
    has no fifth one."""
    if repeat.every not in EVERY:
        raise Rejected(_("Repeat every week, two_weeks or month."))
    if repeat.until < first:
        raise Rejected(_("The end date of the pattern is before its first session."))
    if (repeat.until - first).days > MAX_SPAN_DAYS:
        raise Rejected(_("A pattern may span a year at most."))
    step = EVERY[repeat.every]
    if step:
        days = [
            first + timedelta(days=step * n) for n in range((repeat.until - first).days // step + 1)
        ]
    else:
        days = _monthly(first, repeat.until)
    if len(days) > MAX_SESSIONS:
        raise Rejected(_("A pattern may make {count} sessions at most.").format(count=MAX_SESSIONS))
    return days


def _monthly(first: date, until: date) -> list[date]:
    rank = (first.day - 1) // 7  # 0: the first such weekday of the month
    days: list[date] = []
    year, month = first.year, first.month
    while True:
        start = date(year, month, 1)
        if start > until:
            return days
        offset = (first.weekday() - start.weekday()) % 7 + 7 * rank
        day = start + timedelta(days=offset)
        if day.month == month and first <= day <= until:
            days.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def parse_clock(raw: str, name: str) -> time:
    if not CLOCK_TIME.fullmatch(raw):
        raise Rejected(_("{name} must be a time such as 08:00.").format(name=name))
    return time(int(raw[:2]), int(raw[3:]))


def hash_token(token: str) -> str:
    """The SHA-256 kept of a feed token."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class OutreachSchedule:
    """The outreach sessions of one center."""

    def __init__(self, queue: QueueContext) -> None:
        self.queue = queue

    # ------------------------------------------------------------------ commands
    def create(
        self, draft: SessionDraft, actor: str, repeat: Repeat | None = None
    ) -> Outcome[list[SessionView]]:
        """Plan one session, or every session of a pattern; nothing on any error."""
        values = self._values(draft)
        days = repeat_days(draft.day, repeat) if repeat else [draft.day]
        now = self.queue.clock.now()

        def store() -> Outcome[list[SessionView]]:
            with self.queue.db.write() as conn:
                self._check_staff(conn, draft.staff)
                series_id = None
                if repeat is not None:
                    series_id = conn.execute(
                        insert(OutreachSeries)
                        .values(every=repeat.every, first_day=draft.day, until=repeat.until)
                        .values(created_by=actor[:80], created_at=now)
                        .returning(OutreachSeries.id)
                    ).scalar_one()
                rows = [
                    {**values, "day": d, "series_id": series_id, "created_at": now} for d in days
                ]
                ids = [
                    conn.execute(
                        insert(OutreachSession).values(row).returning(OutreachSession.id)
                    ).scalar_one()
                    for row in rows
                ]
                views = self._read(conn, select(OutreachSession).where(OutreachSession.id.in_(ids)))
                record(conn, now, actor, "outreach.plan", TARGET, _detail(views))
            return Outcome(views, [_changed(views, "created", now)])

        return recorded(self.queue.db, store)

    def update(self, session_id: int, changes: dict[str, Any], actor: str) -> Outcome[SessionView]:
        """Change some fields of one planned, not yet past session (the others stay)."""
        now = self.queue.clock.now()

        def store() -> Outcome[SessionView]:
            with self.queue.db.write() as conn:
                current = self._changeable(conn, session_id)
                draft = replace(_draft_of(current), **changes)
                values = self._values(draft)
                self._check_staff(conn, draft.staff)
                conn.execute(
                    update(OutreachSession)
                    .where(OutreachSession.id == session_id)
                    .values({**values, "day": draft.day})
                )
                view = self._one(conn, session_id)
                record(conn, now, actor, "outreach.change", TARGET, _detail([view]))
            return Outcome(view, [_changed([view], "updated", now)])

        return recorded(self.queue.db, store)

    def cancel(self, session_id: int, actor: str) -> Outcome[SessionView]:
        """Cancel one planned, not yet past session (the rest of its pattern stays)."""
        now = self.queue.clock.now()

        def store() -> Outcome[SessionView]:
            with self.queue.db.write() as conn:
                self._changeable(conn, session_id)
                conn.execute(
                    update(OutreachSession)
                    .where(OutreachSession.id == session_id)
                    .values(status=SessionStatus.CANCELLED.value)
                )
                view = self._one(conn, session_id)
                record(conn, now, actor, "outreach.cancel", TARGET, _detail([view]))
            return Outcome(view, [_changed([view], "cancelled", now)])

        return recorded(self.queue.db, store)

    def create_feed(self, actor: str) -> str:
        """A new secret feed token (shown once); the previous feed's URL stops working."""
        token = secrets.token_urlsafe(24)
        now = self.queue.clock.now()
        with self.queue.db.write() as conn:
            conn.execute(
                update(OutreachFeed).where(OutreachFeed.revoked_at.is_(None)).values(revoked_at=now)
            )
            conn.execute(
                insert(OutreachFeed).values(
                    token_hash=hash_token(token), created_by=actor[:80], created_at=now
                )
            )
            record(conn, now, actor, "outreach.feed_create", FEED_TARGET)
        return token

    def revoke_feed(self, actor: str) -> bool:
        """End the current feed's URL; False when there was none."""
        now = self.queue.clock.now()
        with self.queue.db.write() as conn:
            done = conn.execute(
                update(OutreachFeed).where(OutreachFeed.revoked_at.is_(None)).values(revoked_at=now)
            )
            if done.rowcount:
                record(conn, now, actor, "outreach.feed_revoke", FEED_TARGET)
        return bool(done.rowcount)

    # --------------------------------------------------------------------- reads
    def get(self, session_id: int) -> SessionView:
        with self.queue.db.read() as conn:
            return self._one(conn, session_id)

    def find(self, filters: SessionFilter) -> list[SessionView]:
        with self.queue.db.read() as conn:
            return self._read(conn, sessions_query(filters))

    def upcoming(self, limit: int = 3) -> list[SessionView]:
        """Planned sessions not yet over, soonest first: the next one is ``[0]``."""
        query = upcoming_query(self.queue.clock.now(), self.queue.options.zone)
        with self.queue.db.read() as conn:
            return read_sessions(conn, self.queue.catalogue, query, limit)

    def staff(self) -> list[dict[str, Any]]:
        with self.queue.db.read() as conn:
            return staff_users(conn)

    def feed_exists(self) -> bool:
        with self.queue.db.read() as conn:
            return active_feed(conn) is not None

    def feed_sessions(self, token: str) -> list[SessionView] | None:
        """For a valid feed token: planned sessions from 31 days ago on; else None."""
        first = self.queue.today() - timedelta(days=31)
        with self.queue.db.read() as conn:
            if feed_by_hash(conn, hash_token(token)) is None:
                return None
            return self._read(conn, sessions_query(SessionFilter(first=first)))

    # ------------------------------------------------------------------- helpers
    def _values(self, draft: SessionDraft) -> dict[str, Any]:
        """The row's columns from a checked draft (day not in the past, known services)."""
        if draft.day < self.queue.today():
            raise Rejected(_("The session's date is in the past."))
        starts, ends = parse_clock(draft.starts, "starts"), parse_clock(draft.ends, "ends")
        if ends <= starts:
            raise Rejected(_("The session must end after it starts."))
        place = " ".join(draft.place.split())
        if not place or len(place) > MAX_PLACE:
            raise Rejected(_("Give the place, {max} characters at most.").format(max=MAX_PLACE))
        if len(draft.notes) > MAX_NOTES:
            raise Rejected(_("Notes may have {max} characters at most.").format(max=MAX_NOTES))
        if draft.site_code is not None and not SITE_CODE.fullmatch(draft.site_code):
            raise Rejected(_("A site code is a capital letter and up to 4 letters or digits."))
        if len(set(draft.staff)) > MAX_STAFF:
            raise Rejected(_("{max} people at most per session.").format(max=MAX_STAFF))
        services = list(dict.fromkeys(draft.services))
        for code in services:
            self.queue.service_info(code)  # NotFound for an unknown or inactive service
        return {
            "starts": starts,
            "ends": ends,
            "place": place,
            "services": ",".join(services),
            "staff_ids": ",".join(str(uid) for uid in dict.fromkeys(draft.staff)),
            "notes": draft.notes.strip(),
            "site_code": draft.site_code,
            "status": SessionStatus.PLANNED.value,
        }

    def _check_staff(self, conn: Connection, staff: Sequence[int]) -> None:
        known = {user["id"] for user in staff_users(conn)}
        for user_id in staff:
            if user_id not in known:
                raise NotFound(_("Unknown staff member: {id}").format(id=user_id))

    def _changeable(self, conn: Connection, session_id: int) -> Any:
        row = conn.execute(
            select(OutreachSession).where(OutreachSession.id == session_id).with_for_update()
        ).one_or_none()
        if row is None:
            raise NotFound(_("Unknown outreach session: {id}").format(id=session_id))
        if row.status != SessionStatus.PLANNED:
            raise InvalidState(_("This outreach session is cancelled."))
        if row.day < self.queue.today():
            raise InvalidState(_("This outreach session is past; it cannot be changed."))
        return row

    def _read(self, conn: Connection, query: Any) -> list[SessionView]:
        return read_sessions(conn, self.queue.catalogue, query)

    def _one(self, conn: Connection, session_id: int) -> SessionView:
        found = self._read(conn, select(OutreachSession).where(OutreachSession.id == session_id))
        if not found:
            raise NotFound(_("Unknown outreach session: {id}").format(id=session_id))
        return found[0]


def _draft_of(row: Any) -> SessionDraft:
    return SessionDraft(
        day=row.day,
        starts=f"{row.starts:%H:%M}",
        ends=f"{row.ends:%H:%M}",
        place=row.place,
        services=tuple(c for c in row.services.split(",") if c),
        staff=tuple(int(u) for u in row.staff_ids.split(",") if u),
        notes=row.notes,
        site_code=row.site_code,
    )


def _detail(views: Sequence[SessionView]) -> dict[str, Any]:
    """What the audit log shows of a change: the sessions' days and place."""
    days = ", ".join(f"{v.day:%d/%m/%Y}" for v in views[:12])
    return {"changed": f"{days}{' …' if len(views) > 12 else ''} – {views[0].place}"}


def _changed(views: Sequence[SessionView], change: str, at: Any) -> OutreachChanged:
    return OutreachChanged(session_ids=tuple(v.id for v in views), change=change, at=at)
