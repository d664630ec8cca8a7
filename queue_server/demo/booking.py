"""Appointments in the demo history: slots booked for each day, and who came when.

Each day, before the center opens, a few citizens have booked a slot (by phone at the
help desk, at the kiosk on an earlier visit, or on the public page). Most come a little
before their slot and check in at the kiosk; some come after the slot and its grace
(their ticket is an ordinary walk-in); a few never come; a few cancel. Each day draws
from a random generator of its own, so the draws of the rest of the history (arrivals,
calls, ratings) are not consumed.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from queue_server.core.appointment_config import AppointmentsConfig
from queue_server.core.appointments import Appointments
from queue_server.core.errors import QueueError
from queue_server.core.events import TicketView
from queue_server.core.operations import Queue
from queue_server.core.slots import day_slots

BOOKINGS = (3, 9)  # appointments per day
BOOKED_AT = time(6, 45)  # local: the bookings are in before the center opens
SERVICES = {"HT": 4, "CT": 3, "BTXH": 2, "DD": 2, "NCC": 1, "CTR": 2}
CHANNELS = {"helpdesk": 4, "public": 4, "kiosk": 2}
FATES = {"on_time": 74, "late": 8, "no_show": 10, "cancel": 8}
EARLY_S = (0, 25 * 60)  # on time: this long before the slot starts
LATE_S = (5 * 60, 40 * 60)  # late: this long after the slot's end and grace

Arrive = Callable[[], TicketView]


class BookingPlayer:
    """The appointments of one demo day."""

    def __init__(
        self, queue: Queue, config: AppointmentsConfig | None, seed: int, day: date
    ) -> None:
        self.appointments = Appointments(queue, config or AppointmentsConfig())
        self.queue = queue
        self.rng = random.Random(f"{seed}/appointments/{day.isoformat()}")
        self.booked = 0

    def book(
        self, day: date, zone: ZoneInfo, at: Callable[[datetime], None]
    ) -> list[tuple[datetime, Arrive]]:
        """Book the day's appointments (the clock set by ``at``); returns the check-ins
        to play: (when, check in → the ticket issued)."""
        config = self.appointments.config
        services = [
            s for s in SERVICES if s in self.queue.catalogue.services and config.capacity_of(s) > 0
        ]
        slots = day_slots(config, day, zone)
        if not services or not slots:
            return []
        at(datetime.combine(day, BOOKED_AT, zone))
        arrivals: list[tuple[datetime, Arrive]] = []
        grace = timedelta(minutes=config.grace_minutes)
        for _ in range(self.rng.randint(*BOOKINGS)):
            service = self.rng.choices(services, weights=[SERVICES[s] for s in services])[0]
            slot = self.rng.choice(slots)
            channel = self.rng.choices(list(CHANNELS), weights=list(CHANNELS.values()))[0]
            fate = self.rng.choices(list(FATES), weights=list(FATES.values()))[0]
            try:
                booked = self.appointments.book(service, slot.start, channel=channel).value
            except QueueError:  # that slot is full: the citizen took another day
                continue
            self.booked += 1
            if fate == "cancel":
                self.appointments.cancel(booked.code)
            elif fate == "on_time":
                early = timedelta(seconds=self.rng.uniform(*EARLY_S))
                arrivals.append((slot.start - early, self._check_in(booked.code)))
            elif fate == "late":  # within the same opening hours, else not at all
                come = slot.end + grace + timedelta(seconds=self.rng.uniform(*LATE_S))
                if come.astimezone(zone).time() < _session_end(config, slot.start, zone):
                    arrivals.append((come, self._check_in(booked.code)))
        return arrivals

    def _check_in(self, code: str) -> Arrive:
        def check_in() -> TicketView:
            return self.appointments.check_in(code, kiosk=None).value.ticket

        return check_in


def _session_end(config: AppointmentsConfig, start: datetime, zone: ZoneInfo) -> time:
    """When the morning or afternoon of a slot starting at ``start`` ends (local)."""
    return (
        config.lunch_start if start.astimezone(zone).time() < config.lunch_start else config.closes
    )
