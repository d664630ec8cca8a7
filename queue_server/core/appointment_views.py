"""Appointments as read: one by its code, a staff list with filters, a day's free places.

No-show is not stored: an appointment still booked once its day is over is shown (and
counted in reports) as ``no_show``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.engine import Row

from queue_server.core.appointment_config import AppointmentsConfig
from queue_server.core.appointment_models import Appointment, AppointmentSlot
from queue_server.core.appointment_models import AppointmentStatus as Status
from queue_server.core.catalogue import Catalogue
from queue_server.core.errors import NotFound
from queue_server.core.events import TicketView
from queue_server.core.slots import day_slots
from queue_server.i18n import _

NO_SHOW = "no_show"
STATUSES = (*(s.value for s in Status), NO_SHOW)
CODE_SHAPE = re.compile(r"^[A-Z0-9]{8}$")
MAX_LISTED = 500


@dataclass(frozen=True, slots=True)
class AppointmentView:
    """An appointment as shown on the slip and to staff; ``code`` only to those."""

    id: int
    code: str
    service: str
    service_name: str
    day: date
    slot_start: datetime
    slot_end: datetime
    channel: str
    status: str
    booked_at: datetime
    checked_in_at: datetime | None
    ticket_id: int | None
    bring: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "code": self.code,
            "code_shown": shown_code(self.code),
            "service": self.service,
            "service_name": self.service_name,
            "day": self.day.isoformat(),
            "slot_start": self.slot_start.isoformat(),
            "slot_end": self.slot_end.isoformat(),
            "channel": self.channel,
            "status": self.status,
            "booked_at": self.booked_at.isoformat(),
            "checked_in_at": self.checked_in_at.isoformat() if self.checked_in_at else None,
            "ticket_id": self.ticket_id,
            "bring": self.bring,
        }


@dataclass(frozen=True, slots=True)
class CheckIn:
    """A check-in: the appointment, the ticket issued, whether it came too late."""

    appointment: AppointmentView
    ticket: TicketView
    late: bool


@dataclass(frozen=True, slots=True)
class SlotPlaces:
    """One slot of a day and its free places."""

    start: datetime
    end: datetime
    capacity: int
    taken: int
    bookable: bool

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.taken)

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "capacity": self.capacity,
            "free": self.free if self.bookable else 0,
        }


def normal_code(code: str) -> str:
    """``code`` as stored: capitals without spaces or dashes; NotFound if it cannot be one."""
    cleaned = re.sub(r"[\s\-.]", "", code or "").upper()
    if not CODE_SHAPE.match(cleaned):
        raise NotFound(_("No appointment has this code."))
    return cleaned


def shown_code(code: str) -> str:
    """The code in two groups of four, as printed: ``K7MX-4RPA``."""
    return f"{code[:4]}-{code[4:]}"


def shown_status(row: Row, today: date) -> str:
    """The stored status, or ``no_show`` for one still booked after its day."""
    if row.status == Status.BOOKED and row.day < today:
        return NO_SHOW
    return str(row.status)


def appointment_view(
    catalogue: Catalogue, config: AppointmentsConfig, row: Row, today: date
) -> AppointmentView:
    service = catalogue.service_by_id(row.service_id)
    return AppointmentView(
        id=row.id,
        code=row.code,
        service=service.code,
        service_name=service.name,
        day=row.day,
        slot_start=row.slot_start,
        slot_end=row.slot_end,
        channel=row.channel,
        status=shown_status(row, today),
        booked_at=row.booked_at,
        checked_in_at=row.checked_in_at,
        ticket_id=row.ticket_id,
        bring=config.bring_for(service.code),
    )


def find(
    conn: Connection, catalogue: Catalogue, config: AppointmentsConfig, code: str, today: date
) -> AppointmentView:
    """The appointment with ``code``; NotFound if none."""
    row = conn.execute(
        select(Appointment).where(Appointment.code == normal_code(code))
    ).one_or_none()
    if row is None:
        raise NotFound(_("No appointment has this code."))
    return appointment_view(catalogue, config, row, today)


@dataclass(frozen=True, slots=True)
class ListFilter:
    """What the staff list shows: local days ``start``–``end`` and optional filters."""

    start: date
    end: date
    service_id: int | None = None
    channel: str | None = None
    status: str | None = None


def listed(
    conn: Connection,
    catalogue: Catalogue,
    config: AppointmentsConfig,
    wanted: ListFilter,
    today: date,
) -> list[AppointmentView]:
    """Appointments of the filter's days, by slot (at most ``MAX_LISTED``)."""
    query = select(Appointment).where(
        Appointment.day >= wanted.start, Appointment.day <= wanted.end
    )
    if wanted.service_id is not None:
        query = query.where(Appointment.service_id == wanted.service_id)
    if wanted.channel is not None:
        query = query.where(Appointment.channel == wanted.channel)
    if wanted.status == NO_SHOW:
        query = query.where(Appointment.status == Status.BOOKED, Appointment.day < today)
    elif wanted.status == Status.BOOKED:
        query = query.where(Appointment.status == Status.BOOKED, Appointment.day >= today)
    elif wanted.status is not None:
        query = query.where(Appointment.status == wanted.status)
    query = query.order_by(Appointment.slot_start, Appointment.id).limit(MAX_LISTED)
    return [appointment_view(catalogue, config, row, today) for row in conn.execute(query)]


def free_places(
    conn: Connection,
    config: AppointmentsConfig,
    service: str,
    service_id: int,
    day: date,
    now: datetime,
    zone: Any,
) -> list[SlotPlaces]:
    """Every slot of ``day`` for the service with its capacity and places taken; a slot
    already started is not bookable."""
    slots = day_slots(config, day, zone)
    if not slots:
        return []
    taken = dict(
        conn.execute(
            select(AppointmentSlot.slot_start, AppointmentSlot.taken).where(
                AppointmentSlot.service_id == service_id,
                AppointmentSlot.slot_start >= slots[0].start,
                AppointmentSlot.slot_start <= slots[-1].start,
            )
        ).all()
    )
    capacity = config.capacity_of(service)
    return [
        SlotPlaces(s.start, s.end, capacity, int(taken.get(s.start, 0)), s.start > now)
        for s in slots
    ]
