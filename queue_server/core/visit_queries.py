"""Reading home visits: one visit, filtered lists, the staff who can be assigned.

A :class:`VisitView` carries no personal data unless it was read ``with_contact`` (the
help desk's list and the printable visit list); the phone number and address come from
``visit_contacts`` and are None once purged.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Select, select

from queue_server.core.catalogue import Catalogue
from queue_server.core.models import User
from queue_server.core.visit_models import HomeVisit, VisitContact, VisitOfficer, VisitOutcome

STAFF_ROLES = ("officer", "helpdesk", "admin")  # the roles of users who may be assigned
MAX_LIST = 500
OPEN = "open"  # a status filter: requested or scheduled


@dataclass(frozen=True, slots=True)
class VisitFilter:
    """Which visits to list: any of status, visit day, assigned user (all optional)."""

    status: str | None = None
    day: date | None = None
    officer_id: int | None = None


@dataclass(frozen=True, slots=True)
class VisitView:
    """A home visit as the API and screens show it."""

    id: int
    status: str
    service: str
    service_name: str
    category: str | None
    category_name: str | None
    preferred_days: tuple[int, ...]
    requested_day: date
    requested_at: datetime
    visit_day: date | None
    window_start: str | None
    window_end: str | None
    closed_at: datetime | None
    officers: tuple[dict[str, Any], ...] = ()
    outcomes: tuple[dict[str, Any], ...] = ()
    contact: dict[str, Any] | None = field(default=None)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "status": self.status,
            "service": self.service,
            "service_name": self.service_name,
            "category": self.category,
            "category_name": self.category_name,
            "preferred_days": list(self.preferred_days),
            "requested_day": self.requested_day.isoformat(),
            "requested_at": self.requested_at.isoformat(),
            "visit_day": self.visit_day.isoformat() if self.visit_day else None,
            "window_start": self.window_start,
            "window_end": self.window_end,
            "closed_at": self.closed_at.isoformat() if self.closed_at else None,
            "officers": [dict(o) for o in self.officers],
            "outcomes": [dict(o) for o in self.outcomes],
        }
        if self.contact is not None:
            data["contact"] = dict(self.contact)
        return data

    def assigned(self, user_id: int | None) -> bool:
        return user_id is not None and any(o["id"] == user_id for o in self.officers)


def staff_users(conn: Connection) -> list[dict[str, Any]]:
    """Active officers, help desk staff and admins: who may be sent on a visit."""
    rows = conn.execute(
        select(User.id, User.username, User.display_name, User.role)
        .where(User.active.is_(True), User.role.in_(STAFF_ROLES))
        .order_by(User.username)
    )
    return [{"id": r.id, "name": r.display_name or r.username, "role": r.role} for r in rows]


def read_visits(
    conn: Connection,
    catalogue: Catalogue,
    query: Select[Any],
    *,
    with_contact: bool = False,
) -> list[VisitView]:
    """The visits ``query`` (a select of ``HomeVisit``) finds, with officers and outcomes."""
    visits = conn.execute(query.limit(MAX_LIST)).all()
    ids = [v.id for v in visits]
    if not ids:
        return []
    officers: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in conn.execute(
        select(VisitOfficer.visit_id, User.id, User.username, User.display_name)
        .join(User, User.id == VisitOfficer.user_id)
        .where(VisitOfficer.visit_id.in_(ids))
        .order_by(User.username)
    ):
        officers[row.visit_id].append({"id": row.id, "name": row.display_name or row.username})
    outcomes: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for outcome in conn.execute(
        select(VisitOutcome).where(VisitOutcome.visit_id.in_(ids)).order_by(VisitOutcome.id)
    ):
        outcomes[outcome.visit_id].append(_outcome(outcome))
    contacts = _contacts(conn, ids) if with_contact else {}
    return [
        _view(v, catalogue, officers[v.id], outcomes[v.id], contacts, with_contact) for v in visits
    ]


def visits_query(filters: VisitFilter) -> Select[Any]:
    """Visits matching ``filters``: by visit day and window, then by request."""
    query = select(HomeVisit)
    if filters.status == OPEN:
        query = query.where(HomeVisit.status.in_(("requested", "scheduled")))
    elif filters.status is not None:
        query = query.where(HomeVisit.status == filters.status)
    if filters.day is not None:
        query = query.where(HomeVisit.visit_day == filters.day)
    if filters.officer_id is not None:
        assigned = select(VisitOfficer.visit_id).where(VisitOfficer.user_id == filters.officer_id)
        query = query.where(HomeVisit.id.in_(assigned))
    return query.order_by(
        HomeVisit.visit_day.is_(None),
        HomeVisit.visit_day,
        HomeVisit.window_start,
        HomeVisit.id,
    )


def _outcome(row: Any) -> dict[str, Any]:
    return {
        "outcome": row.outcome,
        "day": row.day.isoformat() if row.day else None,
        "new_day": row.new_day.isoformat() if row.new_day else None,
        "at": row.at.isoformat(),
    }


def _contacts(conn: Connection, ids: list[int]) -> dict[int, dict[str, Any]]:
    rows = conn.execute(
        select(
            VisitContact.visit_id, VisitContact.phone, VisitContact.address, VisitContact.hamlet
        ).where(VisitContact.visit_id.in_(ids))
    )
    return {r.visit_id: {"phone": r.phone, "address": r.address, "hamlet": r.hamlet} for r in rows}


def _view(
    visit: Any,
    catalogue: Catalogue,
    officers: list[dict[str, Any]],
    outcomes: list[dict[str, Any]],
    contacts: dict[int, dict[str, Any]],
    with_contact: bool,
) -> VisitView:
    service = catalogue.service_by_id(visit.service_id)
    category = catalogue.category_by_id(visit.priority_id) if visit.priority_id else None
    purged = {"phone": None, "address": None, "hamlet": None}
    return VisitView(
        id=visit.id,
        status=visit.status,
        service=service.code,
        service_name=service.name,
        category=category.code if category else None,
        category_name=category.name if category else None,
        preferred_days=parse_weekdays(visit.preferred_days),
        requested_day=visit.requested_day,
        requested_at=visit.requested_at,
        visit_day=visit.visit_day,
        window_start=visit.window_start,
        window_end=visit.window_end,
        closed_at=visit.closed_at,
        officers=tuple(officers),
        outcomes=tuple(outcomes),
        contact=contacts.get(visit.id, purged) if with_contact else None,
    )


def parse_weekdays(stored: str) -> tuple[int, ...]:
    """ "1,3" → (1, 3): ISO weekdays, Monday is 1."""
    return tuple(int(part) for part in stored.split(",") if part)
