"""Appointments (lịch hẹn): book a slot, check in at the center, cancel.

An appointment is a service, a slot and a code; never a name or a phone number. Each
command is one short transaction writing an :class:`AppointmentChanged` event through
the outbox. A booking takes a place in its slot with one statement that increments the
slot's row only while it is below the capacity, so of two bookings for the last place
exactly one wins, on SQLite and PostgreSQL alike.

Check-in (on the slot's day) issues a ticket: up to the slot's end plus the grace it is
an appointment ticket due at the slot's start (:mod:`queue_server.core.policy`;
docs/priority.md, rule 5);
later the appointment is marked late and the ticket is an ordinary walk-in.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError

from queue_server.core import issuing
from queue_server.core.appointment_config import AppointmentsConfig
from queue_server.core.appointment_models import Appointment, AppointmentSlot
from queue_server.core.appointment_models import AppointmentStatus as Status
from queue_server.core.appointment_views import (
    AppointmentView,
    CheckIn,
    ListFilter,
    SlotPlaces,
    appointment_view,
    find,
    free_places,
    listed,
    normal_code,
)
from queue_server.core.catalogue import ServiceInfo
from queue_server.core.clock import local_day
from queue_server.core.context import Outcome, QueueContext
from queue_server.core.errors import InvalidState, NotFound, Rejected
from queue_server.core.events import AppointmentChanged, DomainEvent, SlipPrintRequested
from queue_server.core.outbox import recorded
from queue_server.core.printjobs import SLIP_JOB_PREFIX
from queue_server.core.slots import Slot, bookable_slot
from queue_server.i18n import _

CHANNELS = ("helpdesk", "kiosk", "public")
CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY3479"  # no 0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B
CODE_LENGTH = 8  # 22^8 ≈ 5·10^10 codes: not guessable behind a rate limit
CODE_TRIES = 5


def new_code() -> str:
    """A fresh appointment code, e.g. ``"K7MX4RPA"`` (shown as ``K7MX-4RPA``)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Appointments:
    """Booking, check-in and cancelling appointments of one center."""

    def __init__(self, queue: QueueContext, config: AppointmentsConfig | None = None) -> None:
        self.queue = queue
        self.config = config or AppointmentsConfig()

    # ---------------------------------------------------------------- commands
    def book(
        self,
        service_code: str,
        start: datetime,
        *,
        channel: str,
        kiosk: str | None = None,
        public_url: str | None = None,
    ) -> Outcome[AppointmentView]:
        """Take a place in the slot of ``service_code`` starting at ``start`` (UTC); with
        a ``kiosk``, its printer prints the slip (QR code to ``public_url`` if given)."""
        if channel not in CHANNELS:
            raise Rejected(_("Unknown booking channel: {channel}").format(channel=channel))
        service = self.bookable_service(service_code)
        capacity = self.config.capacity_of(service.code)
        slot = bookable_slot(self.config, start, self.queue.clock.now(), self.queue.options.zone)
        printer = (kiosk, public_url) if kiosk else None
        return recorded(
            self.queue.db, lambda: self._store(service, slot, channel, capacity, printer)
        )

    def check_in(
        self,
        code: str,
        *,
        actor: str | None = None,
        kiosk: str | None = None,
        public_url: str | None = None,
    ) -> Outcome[CheckIn]:
        """Issue the appointment's ticket now (on its day): due at the slot's start, or
        an ordinary walk-in when past the slot's end and the grace."""
        found = normal_code(code)
        return recorded(self.queue.db, lambda: self._check_in(found, actor, kiosk, public_url))

    def cancel(self, code: str) -> Outcome[AppointmentView]:
        """Cancel a booked appointment and free its place."""
        found = normal_code(code)
        return recorded(self.queue.db, lambda: self._cancel(found))

    # ------------------------------------------------------------------- reads
    def find(self, code: str) -> AppointmentView:
        """The appointment with ``code`` (the slip); NotFound if none."""
        with self.queue.db.read() as conn:
            return find(conn, self.queue.catalogue, self.config, code, self.queue.today())

    def listing(self, wanted: ListFilter) -> list[AppointmentView]:
        """The staff list: appointments of the filter's days, by slot."""
        with self.queue.db.read() as conn:
            return listed(conn, self.queue.catalogue, self.config, wanted, self.queue.today())

    def slots(self, service_code: str, day: date) -> list[SlotPlaces]:
        """The slots of ``day`` for the service with their free places (none: closed)."""
        service = self.bookable_service(service_code)
        with self.queue.db.read() as conn:
            return free_places(
                conn,
                self.config,
                service.code,
                service.id,
                day,
                self.queue.clock.now(),
                self.queue.options.zone,
            )

    def bookable_service(self, service_code: str) -> ServiceInfo:
        """The service, if appointments are on and it takes them."""
        if not self.config.enabled:
            raise Rejected(_("This center does not take appointments."))
        service = self.queue.service_info(service_code)
        if self.config.capacity_of(service.code) <= 0:
            raise Rejected(
                _("{service} takes no appointments; take a ticket on the day.").format(
                    service=service.name
                )
            )
        return service

    # ----------------------------------------------------------------- helpers
    def _store(
        self,
        service: ServiceInfo,
        slot: Slot,
        channel: str,
        capacity: int,
        printer: tuple[str, str | None] | None,
    ) -> Outcome[AppointmentView]:
        now = self.queue.clock.now()
        zone = self.queue.options.zone
        with self.queue.db.write() as conn:
            if not _take_place(conn, service.id, slot.start, capacity):
                raise InvalidState(_("This slot is full; choose another time."))
            values = {
                "service_id": service.id,
                "day": local_day(slot.start, zone),
                "slot_start": slot.start,
                "slot_end": slot.end,
                "channel": channel,
                "status": Status.BOOKED,
                "booked_at": now,
            }
            _new_id, code = _insert_with_code(conn, values)
            row = _row(conn, code)
        view = appointment_view(self.queue.catalogue, self.config, row, self.queue.today())
        events: list[DomainEvent] = [_event(service.code, row, now)]
        if printer is not None:
            events.append(_slip_print(view, *printer, now))
        return Outcome(view, events)

    def _check_in(
        self, code: str, actor: str | None, kiosk: str | None, public_url: str | None
    ) -> Outcome[CheckIn]:
        ctx = self.queue
        now = ctx.clock.now()
        today = ctx.today()
        with ctx.db.write() as conn:
            row = _row(conn, code)
            _check_can_check_in(row, today)
            late = now > row.slot_end + timedelta(minutes=self.config.grace_minutes)
            service = ctx.catalogue.service_by_id(row.service_id)
            issued = issuing.issue(
                ctx,
                service.code,
                channel="appointment",
                actor=actor,
                kiosk=kiosk,
                public_url=public_url,
                due_at=None if late else row.slot_start,
            )
            status = Status.LATE if late else Status.CHECKED_IN
            _set_status(conn, row, status, checked_in_at=now, ticket_id=issued.value.id)
            row = _row(conn, code)
        view = appointment_view(ctx.catalogue, self.config, row, today)
        events: list[DomainEvent] = [*issued.events, _event(service.code, row, now)]
        return Outcome(CheckIn(view, issued.value, late), events)

    def _cancel(self, code: str) -> Outcome[AppointmentView]:
        ctx = self.queue
        now = ctx.clock.now()
        today = ctx.today()
        with ctx.db.write() as conn:
            row = _row(conn, code)
            if row.status != Status.BOOKED or row.day < today:
                raise InvalidState(_cannot(row, today))
            _set_status(conn, row, Status.CANCELLED, cancelled_at=now)
            conn.execute(
                update(AppointmentSlot)
                .where(
                    AppointmentSlot.service_id == row.service_id,
                    AppointmentSlot.slot_start == row.slot_start,
                )
                .values(taken=AppointmentSlot.taken - 1)
            )
            row = _row(conn, code)
        service = ctx.catalogue.service_by_id(row.service_id)
        view = appointment_view(ctx.catalogue, self.config, row, today)
        return Outcome(view, [_event(service.code, row, now)])


def _upsert(insert_of: Any) -> Any:
    table = AppointmentSlot.__table__
    statement = insert_of(table).values(
        service_id=bindparam("service_id"), slot_start=bindparam("slot_start"), taken=1
    )
    return statement.on_conflict_do_update(
        index_elements=[table.c.service_id, table.c.slot_start],
        set_={"taken": table.c.taken + 1},
        where=table.c.taken < bindparam("capacity"),
    ).returning(table.c.taken)


_TAKE_PLACE = {"postgresql": _upsert(postgresql.insert), "sqlite": _upsert(sqlite.insert)}


def _take_place(conn: Connection, service_id: int, start: datetime, capacity: int) -> bool:
    """Take one place of the slot unless it is full (one statement: the row's lock or
    SQLite's single writer makes the check and the increment one step)."""
    taken = conn.execute(
        _TAKE_PLACE[conn.dialect.name],
        {"service_id": service_id, "slot_start": start, "capacity": capacity},
    ).scalar_one_or_none()
    return taken is not None and taken <= capacity


def _insert_with_code(conn: Connection, values: dict[str, object]) -> tuple[int, str]:
    """Store the appointment under a fresh code (another on the rare collision)."""
    for _try in range(CODE_TRIES):
        code = new_code()
        try:
            with conn.begin_nested():
                new_id = conn.execute(
                    insert(Appointment).values({**values, "code": code}).returning(Appointment.id)
                ).scalar_one()
            return int(new_id), code
        except IntegrityError:
            continue
    raise InvalidState(_("No free appointment code was found; try again."))


def _row(conn: Connection, code: str) -> Row:
    row = conn.execute(select(Appointment).where(Appointment.code == code)).one_or_none()
    if row is None:
        raise NotFound(_("No appointment has this code."))
    return row


def _set_status(conn: Connection, row: Row, status: Status, **values: object) -> None:
    changed = conn.execute(
        update(Appointment)
        .where(Appointment.id == row.id, Appointment.status == row.status)
        .values(status=status, **values)
    ).rowcount
    if changed != 1:  # SQLite serialises writers; PostgreSQL: another request just did
        raise InvalidState(_("This appointment was just changed; look it up again."))


def _check_can_check_in(row: Row, today: date) -> None:
    if row.status != Status.BOOKED or row.day != today:
        raise InvalidState(_cannot(row, today))


def _cannot(row: Row, today: date) -> str:
    """Why a booked-only action (check-in, cancel) is refused for ``row`` now."""
    if row.status in (Status.CHECKED_IN, Status.LATE):
        return _("This appointment has already been checked in.")
    if row.status == Status.CANCELLED:
        return _("This appointment was cancelled.")
    if row.day < today:
        return _("This appointment was on {day} and has passed.").format(
            day=row.day.strftime("%d/%m/%Y")
        )
    return _("This appointment is on {day}: check in on that day.").format(
        day=row.day.strftime("%d/%m/%Y")
    )


def slip_job_id(appointment_id: int) -> str:
    """The print job of an appointment's slip (tickets' jobs are numbers)."""
    return f"{SLIP_JOB_PREFIX}{appointment_id}"


def _slip_print(
    view: AppointmentView, kiosk: str, public_url: str | None, now: datetime
) -> SlipPrintRequested:
    return SlipPrintRequested(
        appointment_id=view.id,
        kiosk=kiosk,
        job_id=slip_job_id(view.id),
        service=view.service,
        service_name=view.service_name,
        slot_start=view.slot_start,
        slot_end=view.slot_end,
        appointment_code=view.code,
        bring=view.bring,
        public_url=public_url,
        at=now,
    )


def _event(service: str, row: Row, now: datetime) -> AppointmentChanged:
    return AppointmentChanged(
        appointment_id=row.id,
        service=service,
        slot_start=row.slot_start,
        channel=row.channel,
        status=row.status,
        ticket_id=row.ticket_id,
        at=now,
    )
