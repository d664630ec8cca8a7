"""Appointments (lịch hẹn) in a report: what became of the appointments of the report's
days, per service and booking channel (docs/reports.md defines each figure).

An appointment counts on its slot's local day. Every appointment booked for those days
is in ``booked``, and in exactly one of: ``on_time`` (checked in up to the slot's end
plus the grace), ``late`` (checked in later: served as a walk-in), ``no_show`` (still
booked when its day was over), ``cancelled``, or ``pending`` (booked, its day not over
yet). Only counts leave this module: no code, no time of day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select

from queue_server.core.appointment_models import Appointment
from queue_server.core.appointment_models import AppointmentStatus as Status
from queue_server.core.models import Service

CHANNELS = ("helpdesk", "kiosk", "public")
FIGURES = ("booked", "on_time", "late", "no_show", "cancelled", "pending")


@dataclass
class Outcomes:
    """What became of a group of appointments."""

    booked: int = 0
    on_time: int = 0
    late: int = 0
    no_show: int = 0
    cancelled: int = 0
    pending: int = 0

    def add(self, figure: str, count: int) -> None:
        self.booked += count
        setattr(self, figure, getattr(self, figure) + count)

    def merge(self, other: Outcomes) -> None:
        for name in FIGURES:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_json(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in FIGURES}


@dataclass
class AppointmentFigures:
    """Appointments of a report's days: ``cells`` maps (service name, channel) to their
    outcomes; ``services`` lists the service names in the catalogue's order."""

    services: list[str] = field(default_factory=list)
    cells: dict[tuple[str, str], Outcomes] = field(default_factory=dict)

    def _merged(self, keep: Any) -> Outcomes:
        total = Outcomes()
        for key, outcomes in self.cells.items():
            if keep(key):
                total.merge(outcomes)
        return total

    @property
    def total(self) -> Outcomes:
        return self._merged(lambda _key: True)

    def by_service(self, service: str) -> Outcomes:
        return self._merged(lambda key: key[0] == service)

    def by_channel(self, channel: str) -> Outcomes:
        return self._merged(lambda key: key[1] == channel)

    def as_json(self) -> dict[str, Any]:
        """Plain JSON: the totals, per service, per channel and per (service, channel)."""
        return {
            "total": self.total.as_json(),
            "by_service": {name: self.by_service(name).as_json() for name in self.services},
            "by_channel": {channel: self.by_channel(channel).as_json() for channel in CHANNELS},
            "cells": [
                {"service": service, "channel": channel, **outcomes.as_json()}
                for (service, channel), outcomes in self.cells.items()
            ],
        }


def _figure(status: str, past: bool) -> str:
    if status == Status.CHECKED_IN:
        return "on_time"
    if status == Status.LATE:
        return "late"
    if status == Status.CANCELLED:
        return "cancelled"
    return "no_show" if past else "pending"


def appointment_figures(
    conn: Connection, start: date, end: date, today: date
) -> AppointmentFigures:
    """Count the appointments of local days ``start``..``end`` in ``conn``'s transaction;
    ``today`` (the center's local day now) decides which booked ones are no-shows."""
    past = Appointment.day < today
    rows = conn.execute(
        select(Service.name, Appointment.channel, Appointment.status, past, func.count())
        .join(Service, Service.id == Appointment.service_id)
        .where(Appointment.day >= start, Appointment.day <= end)
        .group_by(Service.name, Appointment.channel, Appointment.status, past)
    ).all()
    figures = AppointmentFigures()
    for service, channel, status, is_past, count in rows:
        outcomes = figures.cells.setdefault((service, channel), Outcomes())
        outcomes.add(_figure(status, bool(is_past)), int(count))
    order = conn.execute(select(Service.name).order_by(Service.position, Service.id)).scalars()
    seen = {service for service, _channel in figures.cells}
    figures.services = [name for name in order if name in seen]
    figures.cells = dict(
        sorted(
            figures.cells.items(),
            key=lambda item: (figures.services.index(item[0][0]), CHANNELS.index(item[0][1])),
        )
    )
    return figures
