"""Help records (lượt hỗ trợ): a citizen supported, one kind of help at a time.

The help desk, officers and volunteers record the kind of help, the citizen's priority
category and optionally the service and ticket: never a name or an identity number.
Recording is one short transaction writing an :class:`AssistRecorded` event through the
outbox. A ticket counts once per kind of help: recording the same kind for the same
ticket again returns the first record (the unique ``(ticket_id, kind)`` pair decides,
also when two arrive at once).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError

from queue_server.core.assist_config import AssistsConfig
from queue_server.core.clock import local_day
from queue_server.core.context import Outcome, QueueContext
from queue_server.core.errors import NotFound, Rejected
from queue_server.core.events import AssistRecorded
from queue_server.core.models import Assist, Ticket
from queue_server.core.outbox import recorded
from queue_server.i18n import _

MAX_RANGE_DAYS = 366


@dataclass(frozen=True, slots=True)
class AssistView:
    """A stored help record; ``created`` is False when it was there already."""

    id: int
    kind: str
    category: str | None
    service: str | None
    ticket_id: int | None
    day: date
    at: datetime
    created: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "category": self.category,
            "service": self.service,
            "ticket_id": self.ticket_id,
            "day": self.day.isoformat(),
            "at": self.at.isoformat(),
            "created": self.created,
        }


@dataclass
class AssistCounts:
    """Help records of the local days ``start`` to ``end``, per (kind, category code)."""

    start: date
    end: date
    cells: dict[tuple[str, str | None], int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.cells.values())

    def by_kind(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for (kind, _category), count in self.cells.items():
            totals[kind] = totals.get(kind, 0) + count
        return totals

    def by_category(self) -> dict[str | None, int]:
        totals: dict[str | None, int] = {}
        for (_kind, category), count in self.cells.items():
            totals[category] = totals.get(category, 0) + count
        return totals


class Assists:
    """Recording and counting help records of one center."""

    def __init__(self, queue: QueueContext, config: AssistsConfig | None = None) -> None:
        self.queue = queue
        self.config = config or AssistsConfig()

    def record(
        self,
        kind: str,
        *,
        role: str,
        category: str | None = None,
        service: str | None = None,
        ticket_id: int | None = None,
    ) -> Outcome[AssistView]:
        """Store one help record; for a ticket already helped in this ``kind``, return
        the first record (``created`` False, no event)."""
        self._check_kind(kind)
        catalogue = self.queue.catalogue
        if category is not None and category not in catalogue.categories:
            raise NotFound(_("Unknown priority category: {code}").format(code=category))
        if service is not None:
            self.queue.service_info(service)
        return recorded(
            self.queue.db, lambda: self._store(kind, role, category, service, ticket_id)
        )

    def counts(self, start: date, end: date) -> AssistCounts:
        """Records per kind × category over the local days ``start`` to ``end``."""
        check_range(start, end)
        with self.queue.db.read() as conn:
            return count_assists(conn, start, end, self.queue.catalogue.category_by_id)

    # ----------------------------------------------------------------- helpers
    def _check_kind(self, code: str) -> None:
        kind = self.config.kind(code)
        if kind is None:
            raise NotFound(_("Unknown kind of help: {code}").format(code=code))
        if not kind.active:
            raise Rejected(_("This kind of help is no longer recorded: {code}").format(code=code))

    def _store(
        self,
        kind: str,
        role: str,
        category: str | None,
        service: str | None,
        ticket_id: int | None,
    ) -> Outcome[AssistView]:
        now = self.queue.clock.now()
        catalogue = self.queue.catalogue
        priority_id = catalogue.categories[category].id if category else None
        service_id = catalogue.services[service].id if service else None
        with self.queue.db.write() as conn:
            if ticket_id is not None:
                existing = self._existing(conn, ticket_id, kind)
                if existing is not None:
                    return Outcome(existing)
                ticket = _ticket(conn, ticket_id)  # what is not given, from the ticket
                if category is None and ticket.priority_id is not None:
                    priority_id = ticket.priority_id
                    category = catalogue.category_by_id(priority_id).code
                if service is None:
                    service_id = ticket.service_id
                    service = catalogue.service_by_id(service_id).code
            day = local_day(now, self.queue.options.zone)
            values = {
                "day": day,
                "at": now,
                "kind": kind,
                "priority_id": priority_id,
                "service_id": service_id,
                "ticket_id": ticket_id,
                "role": role[:20],
            }
            try:
                with conn.begin_nested():  # a savepoint: also inside an idempotent request
                    new_id = conn.execute(
                        insert(Assist).values(values).returning(Assist.id)
                    ).scalar_one()
            except IntegrityError:  # the other of two simultaneous records won
                existing = self._existing(conn, ticket_id, kind) if ticket_id else None
                if existing is None:
                    raise
                return Outcome(existing)
        view = AssistView(new_id, kind, category, service, ticket_id, day, now, created=True)
        event = AssistRecorded(
            assist_id=new_id, kind=kind, category=category, service=service, at=now
        )
        return Outcome(view, [event])

    def _existing(self, conn: Connection, ticket_id: int, kind: str) -> AssistView | None:
        row = conn.execute(
            select(Assist).where(Assist.ticket_id == ticket_id, Assist.kind == kind)
        ).one_or_none()
        return None if row is None else replace(self._view(row), created=False)

    def _view(self, assist: Row[Any]) -> AssistView:
        catalogue = self.queue.catalogue
        category = catalogue.category_by_id(assist.priority_id) if assist.priority_id else None
        service = catalogue.service_by_id(assist.service_id) if assist.service_id else None
        return AssistView(
            assist.id,
            assist.kind,
            category.code if category else None,
            service.code if service else None,
            assist.ticket_id,
            assist.day,
            assist.at,
        )


def check_range(start: date, end: date) -> None:
    """Refuse a range that ends before it starts or spans more than a year."""
    if end < start:
        raise Rejected(_("The end date is before the start date."))
    if (end - start).days >= MAX_RANGE_DAYS:
        raise Rejected(_("Choose at most {days} days at a time.").format(days=MAX_RANGE_DAYS))


def count_assists(conn: Connection, start: date, end: date, category_by_id: Any) -> AssistCounts:
    """Count help records per (kind, category code) in ``conn``'s transaction;
    ``category_by_id`` maps a category id to its catalogue entry."""
    rows = conn.execute(
        select(Assist.kind, Assist.priority_id, func.count())
        .where(Assist.day >= start, Assist.day <= end)
        .group_by(Assist.kind, Assist.priority_id)
    )
    counts = AssistCounts(start, end)
    for kind, priority_id, count in rows:
        category = category_by_id(priority_id).code if priority_id is not None else None
        key = (kind, category)
        counts.cells[key] = counts.cells.get(key, 0) + int(count)
    return counts


def _ticket(conn: Connection, ticket_id: int) -> Any:
    row = conn.execute(
        select(Ticket.id, Ticket.priority_id, Ticket.service_id).where(Ticket.id == ticket_id)
    ).one_or_none()
    if row is None:
        raise NotFound(_("Unknown ticket: {id}").format(id=ticket_id))
    return row
