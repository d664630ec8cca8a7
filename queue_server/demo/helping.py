"""Help records in the demo history: who got which kind of help.

Served citizens with a priority category are often helped (forms read and written for
them, an interpreter, the dossier carried to the counter), others now and then (an
online account, paying fees online); volunteers also help a few citizens who take no
ticket. Each day draws from a random generator of its own, so adding help leaves the
rest of the history (tickets, calls, ratings) exactly as it was.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from zoneinfo import ZoneInfo

from queue_server.core.assist_config import AssistsConfig
from queue_server.core.assists import Assists
from queue_server.core.events import TicketView
from queue_server.core.operations import Queue

HELPED_SHARE = {True: 0.55, False: 0.08}  # of served citizens, with and without priority
SECOND_KIND_SHARE = 0.25  # helped in two ways
WALK_INS = (2, 8)  # citizens helped by volunteers without a ticket, per day
OPEN_HOURS = ((7, 30), (11, 0)), ((13, 30), (16, 30))
# Which help each category needs most (the rest: the kinds in general use).
LIKELY: dict[str | None, tuple[str, ...]] = {
    "elderly": ("forms", "read_write", "guidance", "online_account"),
    "disabled": ("carry_dossier", "read_write", "forms"),
    "pregnant_child": ("guidance", "online_submit"),
    "merit": ("forms", "guidance"),
    "ethnic_minority": ("interpreting", "forms", "read_write"),
    "poor_household": ("guidance", "forms", "online_payment"),
    None: ("online_account", "online_submit", "online_payment", "guidance"),
}


class HelpPlayer:
    """The help given on one demo day."""

    def __init__(self, queue: Queue, config: AssistsConfig | None, seed: int, day: date) -> None:
        self.assists = Assists(queue, config or AssistsConfig())
        self.rng = random.Random(f"{seed}/help/{day.isoformat()}")
        self.kinds = [kind.code for kind in self.assists.config.active_kinds()]
        self.categories = [c for c in LIKELY if c is not None and c in queue.catalogue.categories]
        self.recorded = 0

    def served(self, ticket: TicketView, role: str) -> None:
        """A citizen was served: maybe they were helped too (once per kind)."""
        if not self.kinds or self.rng.random() >= HELPED_SHARE[ticket.priority is not None]:
            return
        count = 2 if self.rng.random() < SECOND_KIND_SHARE else 1
        for kind in {self._kind(ticket.priority) for _ in range(count)}:
            self.assists.record(kind, role=role, ticket_id=ticket.id)
            self.recorded += 1

    def walk_ins(self, day: date, zone: ZoneInfo) -> list[tuple[datetime, Callable[[], None]]]:
        """Citizens helped by a volunteer without a ticket: (when, record) pairs."""
        if not self.kinds:
            return []
        categories = [c for c in self.categories if self.rng.random() < 0.7]
        moments = []
        for _ in range(self.rng.randint(*WALK_INS)):
            (start_h, start_m), (end_h, end_m) = self.rng.choice(OPEN_HOURS)
            start = datetime.combine(day, dt_time(start_h, start_m), zone)
            span = ((end_h - start_h) * 60 + end_m - start_m) * 60
            at = start + timedelta(seconds=self.rng.uniform(0, span))
            category = self.rng.choice([*categories, None])
            moments.append((at, self._walk_in(category)))
        return moments

    def _walk_in(self, category: str | None) -> Callable[[], None]:
        kind = self._kind(category)

        def record() -> None:
            self.assists.record(kind, role="volunteer", category=category)
            self.recorded += 1

        return record

    def _kind(self, category: str | None) -> str:
        likely = [k for k in LIKELY.get(category, ()) if k in self.kinds]
        if likely and self.rng.random() < 0.8:
            return self.rng.choice(likely)
        return self.rng.choice(self.kinds)
