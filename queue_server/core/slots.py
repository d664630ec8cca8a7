"""Appointment slots of a day: pure arithmetic on the ``[appointments]`` configuration.

A day's slots run from ``opens`` to ``lunch_start`` and from ``lunch_end`` to ``closes``,
``slot_minutes`` each; a slot that would cross the lunch break or the closing time is
not offered. Times are the center's local times; slots are returned in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from queue_server.core.appointment_config import AppointmentsConfig
from queue_server.core.errors import Rejected
from queue_server.i18n import _


@dataclass(frozen=True, slots=True)
class Slot:
    """One slot: its start and end in UTC."""

    start: datetime
    end: datetime


def day_slots(config: AppointmentsConfig, day: date, zone: ZoneInfo) -> list[Slot]:
    """Every slot of ``day`` (none on a closed day), in order."""
    if config.is_closed(day):
        return []
    length = timedelta(minutes=config.slot_minutes)
    slots: list[Slot] = []
    for opens, closes in ((config.opens, config.lunch_start), (config.lunch_end, config.closes)):
        start = _at(day, opens, zone)
        end_of_session = _at(day, closes, zone)
        while start + length <= end_of_session:
            slots.append(Slot(start, start + length))
            start += length
    return slots


def bookable_slot(
    config: AppointmentsConfig, start: datetime, now: datetime, zone: ZoneInfo
) -> Slot:
    """The slot starting at ``start`` if it can be booked at ``now``, else Rejected
    with the reason (closed day, lunch break, outside hours, past, too far ahead)."""
    local = start.astimezone(zone)
    day = local.date()
    if config.is_closed(day):
        raise Rejected(_("The center takes no appointments on {day}.").format(day=_day(day)))
    if config.lunch_start <= local.time() < config.lunch_end:
        raise Rejected(_("The center is on its lunch break then; choose another time."))
    slot = next((s for s in day_slots(config, day, zone) if s.start == start), None)
    if slot is None:
        hour = local.strftime("%H:%M")
        raise Rejected(_("{time} is not the start of an appointment slot.").format(time=hour))
    if slot.start <= now:
        raise Rejected(_("This slot has already started; choose a later one."))
    last_day = now.astimezone(zone).date() + timedelta(days=config.days_ahead)
    if day > last_day:
        raise Rejected(
            _("Appointments can be booked at most {days} days ahead.").format(
                days=config.days_ahead
            )
        )
    return slot


def _at(day: date, moment: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, moment, tzinfo=zone).astimezone(UTC)


def _day(day: date) -> str:
    return day.strftime("%d/%m/%Y")
