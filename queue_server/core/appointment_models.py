"""The appointments' tables (lịch hẹn): booked slots and places taken per slot."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from queue_server.core.models import Base, UTCDateTime


class AppointmentStatus(enum.StrEnum):
    """Where an appointment stands (no-show is computed: booked, its day gone)."""

    BOOKED = "booked"
    CHECKED_IN = "checked_in"  # on time: the ticket waits for its slot
    LATE = "late"  # came after the slot's end and grace: a normal ticket
    CANCELLED = "cancelled"


class Appointment(Base):
    """A booked slot (lịch hẹn) for a service: a code, never a name or a phone number.
    ``ticket_id`` is the ticket issued at check-in (a plain id, kept when archived)."""

    __tablename__ = "appointments"
    __table_args__ = (
        Index("ix_appointments_day", "day", "service_id"),
        Index("ix_appointments_slot", "service_id", "slot_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    day: Mapped[date] = mapped_column(Date)  # the slot's local day
    slot_start: Mapped[datetime] = mapped_column(UTCDateTime)
    slot_end: Mapped[datetime] = mapped_column(UTCDateTime)
    channel: Mapped[str] = mapped_column(String(20))  # helpdesk, kiosk, public
    status: Mapped[str] = mapped_column(String(12), default=AppointmentStatus.BOOKED)
    booked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ticket_id: Mapped[int | None] = mapped_column(Integer)


class AppointmentSlot(Base):
    """Places taken in one slot of one service: the row a booking increments only while
    it is below the capacity (one statement, so the last place goes to one booking)."""

    __tablename__ = "appointment_slots"

    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    slot_start: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    taken: Mapped[int] = mapped_column(Integer, default=0)
