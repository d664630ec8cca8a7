"""Home visits in the demo history: requests by phone, visits a few days later, outcomes.

At the end of each working day the help desk notes a request or two that came by phone
and schedules each on one of the next working days with one officer; the visits due
that day get their outcome (mostly done, sometimes not at home, cancelled or moved to
another day). Visits due after the last played day stay scheduled, for the help desk's
panel. Everything draws from a random generator of its own, so the rest of the history
stays exactly as it was. Phone numbers are made up (and kept with consent, as always).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from zoneinfo import ZoneInfo

from queue_server.core.clock import FrozenClock
from queue_server.core.operations import Queue
from queue_server.core.visits import Appointment, HomeVisits, VisitRequest

REQUESTS_PER_DAY = (0, 2)
AFTER_WORK = dt_time(16, 45)  # when the day's visits are written up and calls noted
CATEGORIES = ("elderly", "disabled", "poor_household", "merit", None)
SERVICES = ("HT", "CT", "BTXH")
OUTCOMES = ("done_dossier", "done_advice", "not_home", "cancelled", "rescheduled")
OUTCOME_WEIGHTS = (0.5, 0.25, 0.1, 0.05, 0.1)
WINDOWS = (("08:00", "10:00"), ("09:30", "11:00"), ("14:00", "16:00"))


class VisitPlayer:
    """The home visits of a whole demo history (visits span days)."""

    def __init__(self, queue: Queue, officers: Sequence[int], seed: int, actor: str) -> None:
        self.queue = queue
        self.visits = HomeVisits(queue)
        self.officers = list(officers)
        self.rng = random.Random(f"{seed}/visits")
        self.actor = actor
        self.due: dict[date, list[int]] = {}
        self.requested = 0
        self.closed = 0

    def end_of_day(self, day: date, zone: ZoneInfo, working: Sequence[date]) -> None:
        """Record the outcomes of ``day``'s visits, then note and schedule new requests;
        ``working`` are the working days from ``day`` on (the history's and later)."""
        if not self.officers:
            return
        clock = self.queue.clock
        assert isinstance(clock, FrozenClock)
        clock.set(max(clock.now(), datetime.combine(day, AFTER_WORK, zone)))
        for visit_id in self.due.pop(day, []):
            self._outcome(visit_id, working)
        for _ in range(self.rng.randint(*REQUESTS_PER_DAY)):
            self._request(working)

    def _outcome(self, visit_id: int, working: Sequence[date]) -> None:
        outcome = self.rng.choices(OUTCOMES, OUTCOME_WEIGHTS)[0]
        if outcome == "rescheduled":
            later = self.rng.choice(working[1:4])
            self.visits.record_outcome(visit_id, outcome, self.actor, new_day=later)
            self.due.setdefault(later, []).append(visit_id)
            return
        self.visits.record_outcome(visit_id, outcome, self.actor)
        self.closed += 1

    def _request(self, working: Sequence[date]) -> None:
        wanted = VisitRequest(
            phone=f"09{self.rng.randrange(10**8):08d}",
            consent=True,
            service=self.rng.choice(SERVICES),
            address=f"Số {self.rng.randint(1, 90)} ngõ {self.rng.randint(1, 40)}",
            hamlet=f"Tổ {self.rng.randint(1, 14)}",
            category=self.rng.choice(CATEGORIES),
            preferred_days=tuple(sorted(self.rng.sample(range(1, 7), 2))),
        )
        visit = self.visits.register(wanted, self.actor).value
        self.requested += 1
        day = self.rng.choice(working[1:4])
        start, end = self.rng.choice(WINDOWS)
        officer = self.rng.choice(self.officers)
        self.visits.schedule(visit.id, Appointment(day, start, end, (officer,)), self.actor)
        self.due.setdefault(day, []).append(visit.id)


def working_days_from(day: date, count: int, weekdays: range) -> list[date]:
    """``day`` and the working days after it, ``count`` in all."""
    days = [day]
    while len(days) < count:
        day += timedelta(days=1)
        if day.weekday() in weekdays:
            days.append(day)
    return days
