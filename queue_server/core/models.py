"""SQLAlchemy models. Times are stored as naive UTC and read back as aware UTC."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from queue_server.core.column_types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    if TYPE_CHECKING:  # every model maps one Table (none a join), so ``insert()`` exists
        __table__: ClassVar[Table]


class TicketStatus(enum.StrEnum):
    """Where a ticket is in its life."""

    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


ACTIVE_AT_COUNTER = (TicketStatus.CALLED, TicketStatus.SERVING)
FINAL = (TicketStatus.DONE, TicketStatus.NO_SHOW, TicketStatus.CANCELLED)


class CounterStatus(enum.StrEnum):
    """Whether a counter takes calls."""

    OPEN = "open"
    PAUSED = "paused"
    CLOSED = "closed"


class Service(Base):
    """A field of procedures (lĩnh vực) with its own prefix and daily numbering."""

    __tablename__ = "services"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    prefix: Mapped[str] = mapped_column(String(2))
    name: Mapped[str] = mapped_column(String(200))
    labels: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    icon: Mapped[str | None] = mapped_column(String(40))
    helpdesk: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    default_service_s: Mapped[int] = mapped_column(Integer, default=300)
    avg_service_s: Mapped[float | None] = mapped_column(Float)


class Counter(Base):
    """A counter (quầy)."""

    __tablename__ = "counters"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10), default=CounterStatus.OPEN)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Plain id, not a foreign key, to avoid a counters <-> tickets cycle.
    current_ticket_id: Mapped[int | None] = mapped_column(Integer)
    priority_streak: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CounterService(Base):
    """Which services a counter serves, in order of preference."""

    __tablename__ = "counter_services"

    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"), primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer, default=0)


class PriorityCategory(Base):
    """A priority category. Tickets keep the category, never the reason."""

    __tablename__ = "priority_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    labels: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    weight: Mapped[float] = mapped_column(Float, default=0.0)
    emergency: Mapped[bool] = mapped_column(Boolean, default=False)
    icon: Mapped[str | None] = mapped_column(String(40))
    kiosk: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Ticket(Base):
    """A numbered ticket. ``issued_at`` is its place in time, kept across transfers."""

    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("origin_service_id", "day", "seq", name="uq_tickets_origin_day_seq"),
        # The queue: each (service, category) group of today's waiting tickets in order.
        Index("ix_tickets_queue", "status", "day", "service_id", "priority_id", "issued_at", "id"),
        # Appointment tickets by their slot (only they are in it: walk-ins have no due_at).
        Index(
            "ix_tickets_appointments",
            "status",
            "day",
            "service_id",
            "due_at",
            "issued_at",
            "id",
            sqlite_where=text("due_at IS NOT NULL"),
            postgresql_where=text("due_at IS NOT NULL"),
        ),
        Index("ix_tickets_day", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    origin_service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    day: Mapped[date] = mapped_column(Date)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(12))
    priority_id: Mapped[int | None] = mapped_column(ForeignKey("priority_categories.id"))
    priority_weight: Mapped[float] = mapped_column(Float, default=0.0)
    emergency: Mapped[bool] = mapped_column(Boolean, default=False)
    channel: Mapped[str] = mapped_column(String(20), default="kiosk")
    status: Mapped[str] = mapped_column(String(10), default=TicketStatus.WAITING)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_called_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    serving_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    target_counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recall_count: Mapped[int] = mapped_column(Integer, default=0)
    transfer_count: Mapped[int] = mapped_column(Integer, default=0)
    track_code: Mapped[str] = mapped_column(String(32), unique=True)
    ahead_at_issue: Mapped[int] = mapped_column(Integer, default=0)
    estimated_wait_s: Mapped[int | None] = mapped_column(Integer)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # an appointment's slot


class TicketEvent(Base):
    """Append-only log of every ticket state change."""

    __tablename__ = "ticket_events"
    __table_args__ = (Index("ix_ticket_events_ticket", "ticket_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(10))
    to_status: Mapped[str] = mapped_column(String(10))
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"))
    actor: Mapped[str | None] = mapped_column(String(80))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class DailyCounter(Base):
    """Last number given per service per local day (numbering by upsert)."""

    __tablename__ = "daily_counters"

    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class User(Base):
    """A person who signs in: officer, help desk or admin."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Kept in each session cookie; bumped to end every session of the user at once.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class ApiToken(Base):
    """A bearer token for a device or script; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    counter_number: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class IdempotencyRecord(Base):
    """The first response to a POST sent with an ``Idempotency-Key`` (kept one day)."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (
        UniqueConstraint("scope", "key", name="uq_idempotency_keys_scope_key"),
        Index("ix_idempotency_keys_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(200))
    request: Mapped[str] = mapped_column(String(300))
    status_code: Mapped[int | None] = mapped_column(Integer)  # None while in progress
    body: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PrintJobRecord(Base):
    """A ticket's print job as the spooler reported it (queued → sent → confirmed | failed)."""

    __tablename__ = "print_jobs"
    __table_args__ = (Index("ix_print_jobs_ticket", "ticket_id"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    kiosk: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str | None] = mapped_column(String(20))
    detail: Mapped[str] = mapped_column(String(500), default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    reprint: Mapped[bool] = mapped_column(Boolean, default=False)
    awaiting_recovery: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Rating(Base):
    """A citizen's satisfaction rating of one served ticket (one per ticket).

    ``ticket_id`` is a plain id, not a foreign key, so ratings survive the archiving
    of their tickets. Scores: 3 very satisfied, 2 satisfied, 1 not satisfied.
    """

    __tablename__ = "ratings"
    __table_args__ = (Index("ix_ratings_day", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(Integer, unique=True)
    day: Mapped[date] = mapped_column(Date)  # the ticket's local day
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"))
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    score: Mapped[int] = mapped_column(Integer)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    channel: Mapped[str] = mapped_column(String(20))  # "counter" (tablet) or "track" (QR)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class CenterSetting(Base):
    """A setting changed on the admin pages (JSON), e.g. the notice or a catalogue section."""

    __tablename__ = "center_settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str | None] = mapped_column(String(80))


class TicketContact(Base):
    """Optional personal data for a callback, kept only with consent, purged on schedule."""

    __tablename__ = "ticket_contacts"
    __table_args__ = (Index("ix_ticket_contacts_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(Integer, unique=True)  # plain id (archiving)
    phone: Mapped[str] = mapped_column(String(20))
    purpose: Mapped[str] = mapped_column(String(20), default="callback")
    consented_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AuditEntry(Base):
    """Append-only log of administrative actions (who changed what, when)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(120), default="")
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class OutboxEvent(Base):
    """Every event, written in the transaction of the change it reports
    (:mod:`queue_server.core.outbox`): ``seq`` is the one global order."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_at", "at"),)

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)  # JSON: the public view
    private: Mapped[str | None] = mapped_column(Text)  # JSON for the printer, if it differs
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class OutboxHead(Base):
    """One row: the last ``seq`` given. Taking it locks the row until commit, so events
    are numbered in commit order without gaps."""

    __tablename__ = "outbox_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger)


class Assist(Base):
    """A help record (lượt hỗ trợ): one kind of help given to a citizen, never a name.
    ``ticket_id`` is a plain id (kept when tickets are archived); once per kind."""

    __tablename__ = "assists"
    __table_args__ = (
        UniqueConstraint("ticket_id", "kind", name="uq_assists_ticket_kind"),
        Index("ix_assists_day", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)  # the local day it was recorded
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(30))
    priority_id: Mapped[int | None] = mapped_column(ForeignKey("priority_categories.id"))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"))
    ticket_id: Mapped[int | None] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(20))  # who recorded it: helpdesk, volunteer …


def _archive_table(source: Any, name: str, indexed: str) -> Any:
    """A copy of ``source``'s columns without keys to other tables (rows moved there stay)."""
    from sqlalchemy import Column, Table

    columns = [
        Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable, autoincrement=False)
        for c in source.columns
    ]
    return Table(name, Base.metadata, *columns, Index(f"ix_{name}_{indexed}", indexed))


# Tickets and events past the archive horizon move here (live tables stay small).
tickets_archive = _archive_table(Ticket.__table__, "tickets_archive", "day")
ticket_events_archive = _archive_table(TicketEvent.__table__, "ticket_events_archive", "ticket_id")

# Tables defined in modules of their own, registered in the same metadata.
from queue_server.core import tables
from queue_server.core.feedback_model import Feedback
