"""Appointments (lịch hẹn) configuration: the ``[appointments]`` section of the center's TOML.

Working hours are the center's (morning and afternoon with the lunch break between),
cut into slots of ``slot_minutes``; each slot takes ``capacity`` bookings per service
(a service may set its own). Weekdays in ``closed_weekdays`` (1 Monday … 7 Sunday) and
the dates in ``holidays`` take no bookings. ``bring`` is the text on the slip saying
what to bring, per service code (``default_bring`` for the others).
"""

from __future__ import annotations

import unicodedata
from datetime import date, time
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator


def _nfc(value: Any) -> Any:
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


Bring = Annotated[str, BeforeValidator(_nfc), Field(min_length=1, max_length=400)]
SERVICE_CODE = r"^[A-Za-z0-9_-]{1,20}$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ServiceSlots(_Model):
    """One service's own capacity per slot and what to bring (unset: the defaults)."""

    service: Annotated[str, Field(pattern=SERVICE_CODE)]
    capacity: Annotated[int, Field(ge=0, le=100)] | None = None
    bring: Bring | None = None


class AppointmentsConfig(_Model):
    """Appointments (docs/configuration.md, section ``[appointments]``)."""

    enabled: bool = True
    opens: time = time(7, 30)
    lunch_start: time = time(11, 30)
    lunch_end: time = time(13, 30)
    closes: time = time(17, 0)
    slot_minutes: int = Field(30, ge=5, le=240)
    capacity: int = Field(2, ge=0, le=100)  # bookings per slot and service
    grace_minutes: int = Field(15, ge=0, le=240)  # after the slot's end, still on time
    days_ahead: int = Field(30, ge=1, le=365)  # how far ahead a slot may be booked
    closed_weekdays: tuple[Annotated[int, Field(ge=1, le=7)], ...] = (7,)
    holidays: tuple[date, ...] = Field(default=(), max_length=200)
    public_rate_per_minute: int = Field(5, ge=1, le=10_000)  # public bookings per address
    default_bring: Bring = "Căn cước công dân và giấy tờ liên quan đến thủ tục."
    services: tuple[ServiceSlots, ...] = Field(default=(), max_length=100)

    @model_validator(mode="after")
    def _hours(self) -> AppointmentsConfig:
        if not self.opens < self.lunch_start <= self.lunch_end < self.closes:
            raise ValueError(
                "opens, lunch_start, lunch_end, closes: must be in this order "
                "(lunch_start = lunch_end for no lunch break)"
            )
        seen: set[str] = set()
        for index, entry in enumerate(self.services):
            if entry.service in seen:
                raise ValueError(f"services[{index}].service: {entry.service!r} is used twice")
            seen.add(entry.service)
        return self

    def _entry(self, service: str) -> ServiceSlots | None:
        return next((entry for entry in self.services if entry.service == service), None)

    def capacity_of(self, service: str) -> int:
        """Bookings one slot of ``service`` takes."""
        entry = self._entry(service)
        return self.capacity if entry is None or entry.capacity is None else entry.capacity

    def bring_for(self, service: str) -> str:
        """What to bring for ``service`` (printed on the slip)."""
        entry = self._entry(service)
        return self.default_bring if entry is None or entry.bring is None else entry.bring

    def is_closed(self, day: date) -> bool:
        """A weekend (as configured) or a holiday: no bookings."""
        return day.isoweekday() in self.closed_weekdays or day in self.holidays
