"""One working day of the demo's history, played event by event (:mod:`.history`
plays the days): arrivals, counters that call in policy order, walks to the counter,
service times, recalls, no-shows, transfers, citizens who leave, ratings."""

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from queue_server.core.clock import FrozenClock
from queue_server.core.events import TicketView
from queue_server.core.operations import Queue
from queue_server.core.ratings import NOT_SATISFIED, SATISFIED, VERY_SATISFIED, Ratings
from queue_server.demo.arrivals import Arrival, plan_day
from queue_server.demo.booking import Arrive
from queue_server.demo.helping import HelpPlayer
from queue_server.demo.outage import OutageMorning
from queue_server.demo.results import SlipPlayer

IDLE_RESPONSE_S = (10, 120)  # an idle officer notices the waiting citizen
WALK_S = (20, 90)  # from the call to the counter
WALK_ASSISTED_S = (40, 150)  # … for the elderly and people with a disability
NO_SHOW_SHARE = 0.045  # called, recalled, never came
LATE_SHARE = 0.07  # came only after a recall
RECALL_AFTER_S = (45, 90)
SERVICE_SHAPE = 4.0  # gamma shape of service times (coefficient of variation 0.5)
SERVICE_LIMITS = (45, 4)  # at least 45 s, at most 4 × the service's default
GUIDANCE_TRANSFER_SHARE = 0.3  # guidance-desk tickets sent on to a procedure
TRANSFER_SHARE = 0.02  # other tickets sent to another service
RATED_AT_COUNTER = 0.4
RATED_FROM_PHONE = 0.08  # of those not rated at the counter
RATE_AFTER_S = (8, 40)
PHONE_AFTER_S = (20 * 60, 4 * 3600)
LONG_WAIT_S = 40 * 60
NOT_SATISFIED_SHARE = (0.05, 0.3)  # after an ordinary wait, after a long one
VERY_SATISFIED_SHARE = 0.66  # of the satisfied
REASON_MIX = {
    "long_wait": 1,
    "attitude": 2,
    "unclear_guidance": 4,
    "complex_procedure": 5,
    "come_back": 3,
    "facilities": 2,
}


@dataclass(frozen=True, slots=True)
class Staff:
    """A signed-in user as the queue logs them."""

    user_id: int
    username: str

    @property
    def actor(self) -> str:
        return f"user:{self.username}"


@dataclass
class HistorySummary:
    """What :func:`play_history` did."""

    days: list[date] = field(default_factory=list)
    issued: int = 0
    served: int = 0
    no_show: int = 0
    cancelled: int = 0
    transferred: int = 0
    recalled: int = 0
    rated: int = 0
    visits: int = 0  # home visits requested
    feedback: int = 0  # feedback records (demo/feedback.py)
    slips: int = 0  # result slips given
    collected: int = 0  # result slips collected ("receive results" tickets served)
    helped: int = 0  # help records (also those closing a call for assistance)
    assistance_calls: int = 0  # calls for assistance raised
    appointments: int = 0  # booked for the played days
    closed: int = 0  # left over and closed by close_day (normally none)
    paper: int = 0  # paper tickets of the outage morning, entered afterwards
    seconds: float = 0.0


def move_clock(queue: Queue, moment: datetime) -> None:
    clock = queue.clock
    assert isinstance(clock, FrozenClock)
    clock.set(moment)


@dataclass
class _Visit:
    """What the player remembers of a ticket."""

    ticket: TicketView
    arrival: Arrival
    first_called_at: datetime | None = None


class DayPlayer:
    """One day: a queue of timed events (arrivals, walks, finishes, ratings) played in order."""

    def __init__(
        self,
        queue: Queue,
        ratings: Ratings,
        rng: random.Random,
        officers: Mapping[int, Staff],
        helpdesk: Staff | None,
        kiosk: str | None,
        summary: HistorySummary,
        helper: HelpPlayer | None = None,
    ) -> None:
        self.queue = queue
        self.ratings = ratings
        self.rng = rng
        self.officers = officers
        self.helpdesk = helpdesk
        self.kiosk = kiosk
        self.summary = summary
        self.events: list[tuple[datetime, int, Callable[[], object]]] = []
        self.order = itertools.count()
        self.now = datetime.min
        self.visits: dict[int, _Visit] = {}
        self.waiting: set[int] = set()
        self.idle: set[int] = set(queue.catalogue.counters)
        catalogue = queue.catalogue
        self.serves = {
            number: {catalogue.service_by_id(sid).code for sid in counter.service_ids}
            for number, counter in catalogue.counters.items()
        }
        served = set().union(*self.serves.values()) if self.serves else set()
        self.services = [s for s in catalogue.services.values() if s.code in served]
        self.reasons = ratings.config.reason_codes()
        self.helper = helper
        self.slips: SlipPlayer | None = None
        self.outage: OutageMorning | None = None  # the server down: paper tickets

    # ------------------------------------------------------------------ the loop
    def play(
        self,
        day: date,
        per_day: float,
        *,
        emergency: bool,
        extra: Iterable[tuple[datetime, Callable[[], object]]] = (),
        appointments: Sequence[Any] = (),
    ) -> None:
        """Play the day; ``extra``: more (when, step) pairs (calls for assistance);
        ``appointments``: the booked citizens who come (check in) this day."""
        if not self.services:  # no counter serves anything: nobody comes
            return
        for at, step in extra:
            self._schedule(at, step)
        zone = self.queue.options.zone
        categories = list(self.queue.catalogue.categories.values())
        for arrival in plan_day(
            self.rng, day, zone, self.services, categories, per_day, emergency=emergency
        ):
            self._schedule(arrival.at, partial(self._arrive, arrival))
        for at, record in self.helper.walk_ins(day, zone) if self.helper else ():
            self._schedule(at, record)
        for at, check_in in appointments:
            self._schedule(at, partial(self._come_by_appointment, check_in))
        while self.events:
            self.now, _order, action = heapq.heappop(self.events)
            move_clock(self.queue, self.now)
            action()

    def _schedule(self, at: datetime, action: Callable[[], object]) -> None:
        heapq.heappush(self.events, (at, next(self.order), action))

    def _later(self, seconds: tuple[float, float] | float, action: Callable[[], object]) -> None:
        delay = seconds if isinstance(seconds, int | float) else self.rng.uniform(*seconds)
        self._schedule(self.now + timedelta(seconds=delay), action)

    # --------------------------------------------------------------- citizens
    def _arrive(self, arrival: Arrival) -> None:
        if self.outage is not None and self.outage.takes(arrival):
            return  # no server: a paper ticket from the help desk (demo/outage.py)
        by_desk = arrival.channel == "helpdesk"
        desk = self.helpdesk if by_desk else None
        ticket = self.queue.issue(
            arrival.service,
            arrival.priority,
            channel=arrival.channel,
            actor=desk.actor if desk else (None if by_desk else self._kiosk_actor()),
            kiosk=None if by_desk else self.kiosk,
        ).value
        self.summary.issued += 1
        self.visits[ticket.id] = _Visit(ticket, arrival)
        if arrival.patience_s is not None:
            self._later(arrival.patience_s, lambda: self._leave(ticket.id))
        self._now_waiting(ticket.id, arrival.service)

    def _come_by_appointment(self, check_in: Arrive) -> None:
        """A citizen with an appointment checks in at the kiosk; the ticket waits."""
        ticket = check_in()
        self.summary.issued += 1
        self.visits[ticket.id] = _Visit(
            ticket, Arrival(self.now, ticket.service, None, "kiosk", None)
        )
        self._now_waiting(ticket.id, ticket.service)

    def _kiosk_actor(self) -> str | None:
        return f"token:{self.kiosk}" if self.kiosk else None

    def _leave(self, ticket_id: int) -> None:
        """The citizen gave up waiting; the help desk cancels the ticket."""
        if ticket_id not in self.waiting:
            return
        self.waiting.discard(ticket_id)
        self.queue.cancel(ticket_id, actor=self.helpdesk.actor if self.helpdesk else None)
        self.summary.cancelled += 1

    def _now_waiting(self, ticket_id: int, service: str) -> None:
        """A ticket waits for ``service``: an idle counter that serves it calls soon."""
        self.waiting.add(ticket_id)
        idle = sorted(n for n in self.idle if service in self.serves[n])
        if idle:
            number = self.rng.choice(idle)
            self.idle.discard(number)  # the officer looks up from the paperwork
            self._later(IDLE_RESPONSE_S, lambda: self._call(number))

    # --------------------------------------------------------------- counters
    def _call(self, number: int) -> bool:
        """``number`` presses "call next" (finishing its current ticket); True if called."""
        officer = self.officers.get(number)
        called = self.queue.call_next(
            number,
            actor=officer.actor if officer else None,
            officer_id=officer.user_id if officer else None,
        ).value
        if called is None:
            self.idle.add(number)
            return False
        self.idle.discard(number)
        self.waiting.discard(called.id)
        visit = self.visits[called.id]
        visit.first_called_at = visit.first_called_at or self.now
        fate = self.rng.random()
        if fate < NO_SHOW_SHARE:
            self._later(RECALL_AFTER_S, lambda: self._recall(number, comes=False))
        elif fate < NO_SHOW_SHARE + LATE_SHARE:
            self._later(RECALL_AFTER_S, lambda: self._recall(number, comes=True))
        else:
            assisted = visit.arrival.priority in ("elderly", "disabled")
            self._later(WALK_ASSISTED_S if assisted else WALK_S, lambda: self._serve(number))
        return True

    def _recall(self, number: int, *, comes: bool) -> None:
        self.queue.recall(number, actor=self._actor(number))
        self.summary.recalled += 1
        if comes:
            self._later(WALK_S, lambda: self._serve(number))
        else:
            self._later(RECALL_AFTER_S, lambda: self._no_show(number))

    def _no_show(self, number: int) -> None:
        self.queue.no_show(number, actor=self._actor(number))
        self.summary.no_show += 1
        self._later((5, 20), lambda: self._call(number))

    def _serve(self, number: int) -> None:
        ticket = self.queue.start_serving(number, actor=self._actor(number)).value
        service = self.queue.catalogue.services[ticket.service]
        mean = service.default_service_s
        low, high = SERVICE_LIMITS
        seconds = self.rng.gammavariate(SERVICE_SHAPE, mean / SERVICE_SHAPE)
        self._later(min(max(seconds, low), high * mean), lambda: self._end(number, ticket))

    def _end(self, number: int, ticket: TicketView) -> None:
        """The service is over: send the citizen on, or finish and call the next one."""
        target = self._transfer_target(number, ticket.service)
        if target is not None:
            self.queue.transfer(number, target, actor=self._actor(number))
            self.summary.transferred += 1
            self._now_waiting(ticket.id, target)
            self._later((10, 40), lambda: self._call(number))
            return
        self.summary.served += 1
        self._call(number)
        if self.helper is not None:
            self.helper.served(ticket, "officer")
        if self.slips is not None:
            self.slips.finished(ticket, number)
        self._maybe_rate(number, ticket)

    def _transfer_target(self, number: int, service: str) -> str | None:
        """Another service, one this counter does not serve, for a few tickets."""
        helpdesk = self.queue.catalogue.services[service].helpdesk
        share = GUIDANCE_TRANSFER_SHARE if helpdesk else TRANSFER_SHARE
        if self.rng.random() >= share:
            return None
        mine = self.serves[number]
        others = [s.code for s in self.services if s.code not in mine and not s.helpdesk]
        return self.rng.choice(others) if others else None

    def _actor(self, number: int) -> str | None:
        officer = self.officers.get(number)
        return officer.actor if officer else None

    # ----------------------------------------------------------------- ratings
    def _maybe_rate(self, number: int, ticket: TicketView) -> None:
        visit = self.visits[ticket.id]
        called = visit.first_called_at or self.now
        waited = (called - visit.arrival.at).total_seconds()
        roll = self.rng.random()
        if roll < RATED_AT_COUNTER:
            score, reasons = self._opinion(waited)
            self._later(
                RATE_AFTER_S,
                lambda: self._rated(
                    self.ratings.rate_at_counter, number, ticket.id, score, reasons
                ),
            )
        elif roll < RATED_AT_COUNTER + (1 - RATED_AT_COUNTER) * RATED_FROM_PHONE:
            score, reasons = self._opinion(waited)
            code = ticket.track_code
            self._later(
                PHONE_AFTER_S,
                lambda: self._rated(self.ratings.rate_by_track_code, code, score, reasons),
            )

    def _rated(self, rate: Callable[..., Any], *args: Any) -> None:
        rate(*args)
        self.summary.rated += 1

    def _opinion(self, waited_s: float) -> tuple[int, list[str]]:
        unhappy = NOT_SATISFIED_SHARE[1 if waited_s > LONG_WAIT_S else 0]
        if self.rng.random() < unhappy:
            return NOT_SATISFIED, self._reasons(waited_s)
        return (VERY_SATISFIED if self.rng.random() < VERY_SATISFIED_SHARE else SATISFIED), []

    def _reasons(self, waited_s: float) -> list[str]:
        codes = list(self.reasons)
        if not codes or self.rng.random() < 0.15:  # "not satisfied" without a reason
            return []
        chosen = {"long_wait"} & set(codes) if waited_s > LONG_WAIT_S else set()
        weights = [REASON_MIX.get(code, 2) for code in codes]
        chosen.update(self.rng.choices(codes, weights=weights, k=self.rng.choice((1, 1, 2))))
        return sorted(chosen)
