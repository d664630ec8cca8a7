"""Tables of home visits booked by phone (thăm hỗ trợ tại nhà).

The visit itself (``home_visits``) holds no personal data: service, priority category,
preferred weekdays, the visit day and window, its status. The phone number, address and
hamlet sit apart in ``visit_contacts``, kept only with consent and deleted
``privacy.visit_days`` after the visit is closed (see ``contacts.purge_visit_contacts``).
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from queue_server.core.models import Base, UTCDateTime


class VisitStatus(enum.StrEnum):
    """Where a home visit is: open (requested, scheduled) or closed by an outcome."""

    REQUESTED = "requested"
    SCHEDULED = "scheduled"
    DONE_DOSSIER = "done_dossier"  # done, dossier received
    DONE_ADVICE = "done_advice"  # done, advice only
    NOT_HOME = "not_home"
    CANCELLED = "cancelled"


class VisitOutcomeKind(enum.StrEnum):
    """What an officer (or the help desk) records after a visit day."""

    DONE_DOSSIER = "done_dossier"
    DONE_ADVICE = "done_advice"
    NOT_HOME = "not_home"
    CANCELLED = "cancelled"
    RESCHEDULED = "rescheduled"  # stays open, moved to another day


OPEN_STATUSES = (VisitStatus.REQUESTED, VisitStatus.SCHEDULED)
CLOSING = frozenset(
    {
        VisitOutcomeKind.DONE_DOSSIER,
        VisitOutcomeKind.DONE_ADVICE,
        VisitOutcomeKind.NOT_HOME,
        VisitOutcomeKind.CANCELLED,
    }
)


class HomeVisit(Base):
    """A home visit asked for by phone; ``preferred_days`` lists ISO weekdays ("1,3")."""

    __tablename__ = "home_visits"
    __table_args__ = (
        Index("ix_home_visits_visit_day", "visit_day"),
        Index("ix_home_visits_requested_day", "requested_day"),
        Index("ix_home_visits_closed_at", "closed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    requested_day: Mapped[date] = mapped_column(Date)  # local day of the phone call
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    priority_id: Mapped[int | None] = mapped_column(ForeignKey("priority_categories.id"))
    preferred_days: Mapped[str] = mapped_column(String(20), default="")
    status: Mapped[str] = mapped_column(String(20))
    visit_day: Mapped[date | None] = mapped_column(Date)
    window_start: Mapped[str | None] = mapped_column(String(5))  # local "HH:MM"
    window_end: Mapped[str | None] = mapped_column(String(5))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class VisitOfficer(Base):
    """A staff user assigned to a visit."""

    __tablename__ = "visit_officers"

    visit_id: Mapped[int] = mapped_column(ForeignKey("home_visits.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)


class VisitContact(Base):
    """The phone number and where to go: personal data, with consent, purged on schedule."""

    __tablename__ = "visit_contacts"

    visit_id: Mapped[int] = mapped_column(ForeignKey("home_visits.id"), primary_key=True)
    phone: Mapped[str] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(200))
    hamlet: Mapped[str | None] = mapped_column(String(100))
    consented_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class VisitOutcome(Base):
    """One recorded outcome. ``day`` is the visit day it closes or moves (None for a
    request cancelled before it had one); ``recorded_day`` the local day of recording."""

    __tablename__ = "visit_outcomes"
    __table_args__ = (Index("ix_visit_outcomes_day", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("home_visits.id"))
    outcome: Mapped[str] = mapped_column(String(20))
    day: Mapped[date | None] = mapped_column(Date)
    recorded_day: Mapped[date] = mapped_column(Date)
    new_day: Mapped[date | None] = mapped_column(Date)  # for "rescheduled"
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(80))
