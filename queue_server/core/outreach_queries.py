"""Reading the outreach schedule: sessions, the next one from a moment on, staff, feeds.

"Next" never means a past date: a session counts from its day until its end time on that
day, in the center's time zone (a session that ended at 11:30 today is gone at 11:30).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Select, and_, or_, select

from queue_server.core.catalogue import Catalogue
from queue_server.core.models import User
from queue_server.core.outreach_models import OutreachSession, SessionStatus
from queue_server.core.outreach_tables import OutreachFeed, OutreachSeries

STAFF_ROLES = ("officer", "helpdesk", "volunteer", "manager", "admin")
MAX_LIST = 500


@dataclass(frozen=True, slots=True)
class SessionView:
    """An outreach session as the API, the admin pages and the screens show it."""

    id: int
    day: date
    starts: time
    ends: time
    place: str
    services: tuple[str, ...]  # empty: every service
    service_names: tuple[str, ...]
    staff: tuple[dict[str, Any], ...]
    notes: str
    site_code: str | None
    series_id: int | None
    status: str

    @property
    def hours(self) -> str:
        return f"{self.starts:%H:%M}–{self.ends:%H:%M}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "day": self.day.isoformat(),
            "starts": f"{self.starts:%H:%M}",
            "ends": f"{self.ends:%H:%M}",
            "place": self.place,
            "services": list(self.services),
            "service_names": list(self.service_names),
            "staff": [dict(s) for s in self.staff],
            "notes": self.notes,
            "site_code": self.site_code,
            "series_id": self.series_id,
            "status": self.status,
        }


@dataclass(frozen=True, slots=True)
class SessionFilter:
    """Which sessions to list: a day range (both ends included) and a status."""

    first: date | None = None
    last: date | None = None
    status: str | None = None


def split_codes(raw: str) -> tuple[str, ...]:
    return tuple(part for part in raw.split(",") if part)


def split_ids(raw: str) -> tuple[int, ...]:
    return tuple(int(part) for part in raw.split(",") if part.isdigit())


def staff_users(conn: Connection) -> list[dict[str, Any]]:
    """Active users who may go to a session: officers, help desk, volunteers, managers,
    admins."""
    rows = conn.execute(
        select(User.id, User.username, User.display_name, User.role)
        .where(User.active.is_(True), User.role.in_(STAFF_ROLES))
        .order_by(User.username)
    )
    return [{"id": r.id, "name": r.display_name or r.username, "role": r.role} for r in rows]


def sessions_query(filters: SessionFilter) -> Select[Any]:
    query = select(OutreachSession)
    if filters.first is not None:
        query = query.where(OutreachSession.day >= filters.first)
    if filters.last is not None:
        query = query.where(OutreachSession.day <= filters.last)
    if filters.status is not None:
        query = query.where(OutreachSession.status == filters.status)
    return query.order_by(OutreachSession.day, OutreachSession.starts, OutreachSession.id)


def upcoming_query(moment: datetime, zone: ZoneInfo) -> Select[Any]:
    """Planned sessions not yet over at ``moment``, soonest first."""
    local = moment.astimezone(zone)
    today, now = local.date(), local.time().replace(tzinfo=None)
    not_over = or_(
        OutreachSession.day > today,
        and_(OutreachSession.day == today, OutreachSession.ends > now),
    )
    return sessions_query(SessionFilter(status=SessionStatus.PLANNED.value)).where(not_over)


def read_sessions(
    conn: Connection, catalogue: Catalogue, query: Select[Any], limit: int = MAX_LIST
) -> list[SessionView]:
    """The sessions ``query`` (a select of ``OutreachSession``) finds, with names."""
    rows = conn.execute(query.limit(limit)).all()
    user_ids = {uid for row in rows for uid in split_ids(row.staff_ids)}
    names: dict[int, dict[str, Any]] = {}
    if user_ids:
        for user in conn.execute(
            select(User.id, User.username, User.display_name, User.role).where(
                User.id.in_(user_ids)
            )
        ):
            name = user.display_name or user.username
            names[user.id] = {"id": user.id, "name": name, "role": user.role}
    return [_view(row, catalogue, names) for row in rows]


def _view(row: Any, catalogue: Catalogue, names: dict[int, dict[str, Any]]) -> SessionView:
    codes = split_codes(row.services)
    service_names = tuple(
        catalogue.services[code].name if code in catalogue.services else code for code in codes
    )
    staff = tuple(
        names.get(uid, {"id": uid, "name": str(uid), "role": ""})
        for uid in split_ids(row.staff_ids)
    )
    return SessionView(
        id=row.id,
        day=row.day,
        starts=row.starts,
        ends=row.ends,
        place=row.place,
        services=codes,
        service_names=service_names,
        staff=staff,
        notes=row.notes,
        site_code=row.site_code,
        series_id=row.series_id,
        status=row.status,
    )


def series_rows(conn: Connection, series_ids: set[int]) -> dict[int, Any]:
    """The recurring patterns by id."""
    if not series_ids:
        return {}
    found = conn.execute(select(OutreachSeries).where(OutreachSeries.id.in_(series_ids)))
    return {row.id: row for row in found}


def feed_by_hash(conn: Connection, token_hash: str) -> Any | None:
    """The feed whose token has this SHA-256, if it is not revoked."""
    return conn.execute(
        select(OutreachFeed).where(
            OutreachFeed.token_hash == token_hash, OutreachFeed.revoked_at.is_(None)
        )
    ).one_or_none()


def active_feed(conn: Connection) -> Any | None:
    """The center's current feed (there is at most one not revoked)."""
    return conn.execute(
        select(OutreachFeed).where(OutreachFeed.revoked_at.is_(None)).order_by(OutreachFeed.id)
    ).first()
