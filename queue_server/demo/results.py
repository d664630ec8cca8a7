"""Result slips in the demo history: slips given, a few dates postponed, results collected.

During the day, officers give a slip for part of the tickets they finish (most of the
land and social-protection dossiers, few certifications, none for guidance). Each
morning from 07:00, before the center's queue opens at 07:30, a few results due that
day are postponed, and citizens
whose results are ready come with their code: a "receive results" ticket each, served at
the results service's counter one after another and finished before 07:30. Each day
draws from a random generator of its own and the morning ends with that counter idle,
so the rest of the history (tickets, calls, ratings, help) is exactly as without slips.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from datetime import time as dt_time

from sqlalchemy import select

from queue_server.core.events import TicketView
from queue_server.core.operations import Queue
from queue_server.core.results import ResultRules, ResultSlips
from queue_server.core.slip_tables import ResultSlip

# Share of finished tickets given a slip, per service code (others: DEFAULT_SHARE).
SLIP_SHARE = {"HT": 0.3, "CT": 0.03, "BTXH": 0.6, "DD": 0.8, "NCC": 0.6, "HKD": 0.5, "CTR": 0.3}
DEFAULT_SHARE = 0.2
POSTPONE_SHARE = 0.12  # of the results due on a day
POSTPONE_DAYS = (1, 3)  # working days later
COME_SHARE = 0.6  # of the citizens whose result is ready, on a given day
MORNING = (dt_time(7, 0), dt_time(7, 28))  # collections, before the queue opens
SERVICE_SHAPE = 4.0
STEP_S = (10, 40)  # from one collection to the next citizen's arrival


class SlipPlayer:
    """The result slips of one demo day."""

    def __init__(self, queue: Queue, rules: ResultRules, seed: int, day: date) -> None:
        self.queue = queue
        self.slips = ResultSlips(queue, rules)
        self.rules = rules
        self.day = day
        self.rng = random.Random(f"{seed}/slips/{day.isoformat()}")
        self.given = 0
        self.collected = 0
        self.counter = self._counter(rules.results_service)

    def finished(self, ticket: TicketView, counter: int) -> None:
        """A ticket was finished at ``counter``: maybe a slip for its result."""
        if ticket.service == self.rules.results_service or ticket.service not in self.rules.days:
            return
        if self.queue.catalogue.services[ticket.service].helpdesk:  # guidance: no dossier
            return
        if self.rng.random() >= SLIP_SHARE.get(ticket.service, DEFAULT_SHARE):
            return
        self.slips.issue(ticket.id, counter=counter)
        self.given += 1

    def morning(self, officer: tuple[str | None, int | None]) -> tuple[int, int]:
        """Postpone some results due today, then serve the citizens who come to collect
        theirs; returns (tickets issued, served): every one is served."""
        if self.counter is None:
            return 0, 0
        zone = self.queue.options.zone
        start = datetime.combine(self.day, MORNING[0], zone)
        end = datetime.combine(self.day, MORNING[1], zone)
        self._set(start)
        for code, ready_on in self._open_slips():
            if ready_on == self.day and self.rng.random() < POSTPONE_SHARE:
                later = self.rules.config.add_working_days(
                    ready_on, self.rng.randint(*POSTPONE_DAYS)
                )
                reason = self.rng.choice(self.rules.config.reasons).code
                self.slips.postpone(code, later, reason)
        now = start
        served = 0
        for code, _ready_on in self._open_slips():
            if self.rng.random() >= COME_SHARE:
                continue
            now += timedelta(seconds=self.rng.uniform(*STEP_S))
            took = self._service_s()
            if now + timedelta(seconds=took + 30) > end:
                break
            self._collect(code, now, took, officer)
            now += timedelta(seconds=took + 30)
            served += 1
        return served, served

    # ----------------------------------------------------------------- helpers
    def _collect(
        self, code: str, at: datetime, took: float, officer: tuple[str | None, int | None]
    ) -> None:
        actor, officer_id = officer
        number = self.counter
        assert number is not None
        self._set(at)
        ticket = self.slips.collect(code, channel="kiosk", actor="demo").value.ticket
        self._set(at + timedelta(seconds=self.rng.uniform(5, 15)))
        self.queue.call_ticket(number, ticket.id, actor=actor, officer_id=officer_id)
        self._set(at + timedelta(seconds=30))
        self.queue.start_serving(number, actor=actor)
        self._set(at + timedelta(seconds=30 + took))
        self.queue.finish(number, actor=actor)
        self.collected += 1

    def _service_s(self) -> float:
        mean = self._mean_s()
        return min(max(self.rng.gammavariate(SERVICE_SHAPE, mean / SERVICE_SHAPE), 45), 3 * mean)

    def _mean_s(self) -> float:
        code = self.rules.results_service
        service = self.queue.catalogue.services.get(code or "")
        return float(service.default_service_s) if service else 120.0

    def _open_slips(self) -> list[tuple[str, date]]:
        """Uncollected slips ready by today, oldest promise first."""
        with self.queue.db.read() as conn:
            rows = conn.execute(
                select(ResultSlip.code, ResultSlip.ready_on)
                .where(ResultSlip.collect_ticket_id.is_(None), ResultSlip.ready_on <= self.day)
                .order_by(ResultSlip.ready_on, ResultSlip.id)
            ).all()
        return [(row.code, row.ready_on) for row in rows]

    def _counter(self, service: str | None) -> int | None:
        """The first counter serving the results service (None: no such counter)."""
        catalogue = self.queue.catalogue
        info = catalogue.services.get(service or "")
        if info is None:
            return None
        return next(
            (n for n, c in sorted(catalogue.counters.items()) if info.id in c.service_ids), None
        )

    def _set(self, moment: datetime) -> None:
        clock = self.queue.clock
        set_to = getattr(clock, "set", None)
        if set_to is not None:
            set_to(moment)
