"""Reading feedback records for the staff page: filters, overdue state, names.

Kept apart from the commands in :mod:`queue_server.core.feedback`. A record is overdue
when it is not answered and its due day (``[feedback] due_days`` working days after
the day it was received) is before today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from queue_server.core.context import QueueContext
from queue_server.core.errors import NotFound, Rejected
from queue_server.core.feedback import ANSWERED, CHANNELS, STATUSES
from queue_server.core.models import Counter, Feedback, Service, User
from queue_server.i18n import _

MAX_ROWS = 500
MAX_RANGE_DAYS = 366


@dataclass(frozen=True, slots=True)
class FeedbackFilter:
    """Which records to list: received on ``start``..``end`` (local days, both
    included), optionally by status, channel, kind, and only overdue ones."""

    start: date
    end: date
    status: str | None = None
    channel: str | None = None
    kind: str | None = None
    overdue: bool = False

    def check(self) -> None:
        if self.end < self.start:
            raise Rejected(_("The end date is before the start date."))
        if (self.end - self.start).days >= MAX_RANGE_DAYS:
            raise Rejected(_("Choose at most {days} days at a time.").format(days=MAX_RANGE_DAYS))
        if self.status is not None and self.status not in STATUSES:
            raise Rejected(_("Unknown status: {value}").format(value=self.status[:30]))
        if self.channel is not None and self.channel not in CHANNELS:
            raise Rejected(_("Unknown channel: {value}").format(value=self.channel[:30]))


COLUMNS = (
    *Feedback.__table__.columns,
    Service.code.label("service"),
    Service.name.label("service_name"),
    Counter.number.label("counter"),
    User.display_name.label("user_name"),
    User.username.label("user_login"),
)


def list_feedback(
    queue: QueueContext, chosen: FeedbackFilter, *, with_phone: bool = False
) -> list[dict[str, Any]]:
    """The records ``chosen`` selects, newest first (at most :data:`MAX_ROWS`)."""
    chosen.check()
    today = queue.today()
    query = _filtered(chosen, today).order_by(Feedback.at.desc(), Feedback.id.desc())
    with queue.db.read() as conn:
        rows = conn.execute(query.limit(MAX_ROWS)).all()
    return [_as_dict(row, today, with_phone) for row in rows]


def one_feedback(
    queue: QueueContext, feedback_id: int, *, with_phone: bool = False
) -> dict[str, Any]:
    """The record ``feedback_id``; :class:`NotFound` if there is none. Read in a write
    transaction: inside a request's transaction (idempotency) it sees what it wrote."""
    query = _joined().where(Feedback.id == feedback_id)
    with queue.db.write() as conn:
        row = conn.execute(query).one_or_none()
    if row is None:
        raise NotFound(_("Unknown feedback: {id}").format(id=feedback_id))
    return _as_dict(row, queue.today(), with_phone)


def _joined() -> Any:
    return (
        select(*COLUMNS)
        .outerjoin(Service, Service.id == Feedback.service_id)
        .outerjoin(Counter, Counter.id == Feedback.counter_id)
        .outerjoin(User, User.id == Feedback.forwarded_user_id)
    )


def _filtered(chosen: FeedbackFilter, today: date) -> Any:
    query = _joined().where(Feedback.day >= chosen.start, Feedback.day <= chosen.end)
    if chosen.status:
        query = query.where(Feedback.status == chosen.status)
    if chosen.channel:
        query = query.where(Feedback.channel == chosen.channel)
    if chosen.kind:
        query = query.where(Feedback.kind == chosen.kind)
    if chosen.overdue:
        query = query.where(Feedback.status != ANSWERED, Feedback.due_day < today)
    return query


def is_overdue(status: str, due_day: date, today: date) -> bool:
    return status != ANSWERED and due_day < today


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _as_dict(row: Any, today: date, with_phone: bool) -> dict[str, Any]:
    record = row
    forwarded_to = row.user_name or row.user_login or record.forwarded_unit
    data: dict[str, Any] = {
        "id": record.id,
        "day": record.day.isoformat(),
        "at": record.at.isoformat(),
        "due_day": record.due_day.isoformat(),
        "overdue": is_overdue(record.status, record.due_day, today),
        "kind": record.kind,
        "text": record.text,
        "channel": record.channel,
        "service": row.service,
        "service_name": row.service_name,
        "counter": row.counter,
        "ticket_id": record.ticket_id,
        "rating_id": record.rating_id,
        "recorded_by": record.recorded_by,
        "status": record.status,
        "forwarded_at": _iso(record.forwarded_at),
        "forwarded_by": record.forwarded_by,
        "forwarded_user_id": record.forwarded_user_id,
        "forwarded_to": forwarded_to,
        "answered_at": _iso(record.answered_at),
        "answered_by": record.answered_by,
        "answer": record.answer,
        "has_phone": record.phone is not None,
    }
    if with_phone:
        data["phone"] = record.phone
    return data
