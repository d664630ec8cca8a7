"""The demo's outage morning: the server was down from opening until 08:30.

The citizens who came then took paper tickets at the help desk (printed in advance,
``xephang paper print``); officers served them in order and wrote the times. At 09:15
each officer entered their counter's tickets (docs/outages.md). Arrival times come
from the day's plan (the citizens who would have used the kiosk); the rest from a
random generator of its own, so the other days of the history do not change.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TypeVar

from queue_server.core.operations import Queue
from queue_server.core.paper import PaperEntry, PaperTickets
from queue_server.demo.arrivals import Arrival

T = TypeVar("T")

OUTAGE_HOURS = ((7, 30), (8, 30))  # local: opening until the server is back
ENTERED_AT = timedelta(minutes=45)  # after the server is back
WALK_S = (30, 150)
PRINTED = 50  # paper tickets printed per service before the outage
SERVICE_SHAPE = 4.0


@dataclass
class OutageMorning:
    """Paper tickets of one morning: collected from the day's arrivals, then entered."""

    queue: Queue
    day: date
    officers: Mapping[int, object]
    seed: int
    entries: list[tuple[PaperEntry, int]] = field(default_factory=list)  # (entry, counter)
    skipped: list[Arrival] = field(default_factory=list)

    @property
    def window(self) -> tuple[datetime, datetime]:
        zone = self.queue.options.zone
        (h1, m1), (h2, m2) = OUTAGE_HOURS
        start = datetime(self.day.year, self.day.month, self.day.day, h1, m1, tzinfo=zone)
        return start, start.replace(hour=h2, minute=m2)

    def takes(self, arrival: Arrival) -> bool:
        """Whether ``arrival`` came while the server was down (a paper ticket instead)."""
        start, end = self.window
        if start <= arrival.at < end:
            self.skipped.append(arrival)
            return True
        return False

    def after(self, steps: Sequence[tuple[datetime, T]]) -> list[tuple[datetime, T]]:
        """``steps`` that need the server, those of the outage moved to its end."""
        end = self.window[1]
        return [(max(at, end), step) for at, step in steps]

    def steps(self) -> list[tuple[datetime, Callable[[], None]]]:
        """The (when, step) pair for the day's player: entering the tickets once the
        server is back (every paper citizen has come by then)."""
        return [(self.window[1] + ENTERED_AT, self.enter)]

    def _serve(self) -> None:
        """Serve the paper tickets in order at the counters, as written on them."""
        rng = random.Random(self.seed * 31 + self.day.toordinal())
        paper = PaperTickets(self.queue)
        catalogue = self.queue.catalogue
        free: dict[int, datetime] = {}
        numbers: dict[str, int] = {}
        for arrival in self.skipped:
            service = catalogue.services[arrival.service]
            counters = [n for n, c in catalogue.counters.items() if service.id in c.service_ids]
            if not counters:
                continue
            start = self.window[0]
            counter = min(counters, key=lambda n: free.get(n, start))
            walked = arrival.at + timedelta(seconds=rng.uniform(*WALK_S))
            called = max(walked, free.get(counter, start))
            mean = service.default_service_s
            served_s = max(45.0, rng.gammavariate(SERVICE_SHAPE, mean / SERVICE_SHAPE))
            finished = called + timedelta(seconds=served_s)
            free[counter] = finished
            numbers[service.code] = numbers.get(service.code, 0) + 1
            entry = PaperEntry(
                number=str(numbers[service.code]),
                service=service.code,
                category=arrival.priority,
                issued_at=_minute(arrival.at),
                called_at=_minute(called),
                finished_at=_minute(finished) + timedelta(minutes=1),
                counter=counter,
            )
            self.entries.append((entry, counter))
        for code in numbers:  # printed before the outage
            paper.reserve(code, PRINTED, actor="system:demo")

    def enter(self) -> None:
        """Each counter's officer enters its paper tickets (the help desk, if none)."""
        self._serve()
        paper = PaperTickets(self.queue)
        for entry, counter in self.entries:
            officer = self.officers.get(counter)
            actor = getattr(officer, "actor", "system:demo")
            paper.enter(entry, actor=actor, officer_id=getattr(officer, "user_id", None))


def _minute(moment: datetime) -> datetime:
    """As written on paper: to the minute."""
    return moment.replace(second=0, microsecond=0)
