"""Calls for assistance in the demo history: who asked for help, and how fast it came.

A few times a day an elderly citizen presses "Tôi cần hỗ trợ" on the kiosk, or an officer
asks for help at the counter (a wheelchair, sign language, an interpreter, forms, now and
then an upset citizen for the manager). A volunteer or the help desk takes the call after
a short while and closes it with the help given (a help record); a few calls are
cancelled before anyone comes. Each day draws from a random generator of its own, so
the rest of the history (tickets, calls, ratings, other help) stays as it was.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from zoneinfo import ZoneInfo

from queue_server.core.assist_config import AssistsConfig
from queue_server.core.assistance import AssistanceDesk
from queue_server.core.assistance_config import AssistanceConfig
from queue_server.core.assists import Assists
from queue_server.core.operations import Queue
from queue_server.demo.helping import OPEN_HOURS

CALLS_PER_DAY = (1, 5)
KIOSK_SHARE = 0.55
CANCEL_SHARE = 0.08  # the citizen no longer needs help before anyone comes
TAKE_S = (15, 240)  # from the call to a helper taking it
HELP_S = (120, 900)  # from taking it to closing it
COUNTER_REASONS = {"wheelchair": 3, "sign_language": 2, "interpreter": 3, "forms": 5, "upset": 1}
HELPERS = (("volunteer", "Hoa"), ("volunteer", "Nam"), ("helpdesk", "Thu"))
MANAGER = ("manager", "Hùng")

Scheduled = list[tuple[datetime, Callable[[], None]]]


class CallPlayer:
    """The calls for assistance of one demo day."""

    def __init__(
        self,
        queue: Queue,
        assists: AssistsConfig | None,
        config: AssistanceConfig | None,
        seed: int,
        day: date,
    ) -> None:
        self.desk = AssistanceDesk(Assists(queue, assists or AssistsConfig()), config)
        self.rng = random.Random(f"{seed}/assistance/{day.isoformat()}")
        self.counters = sorted(queue.catalogue.counters)
        active = {r.code for r in self.desk.config.active_reasons()}
        self.reasons = {code: w for code, w in COUNTER_REASONS.items() if code in active}
        self.raised = 0
        self.closed = 0

    def plan(self, day: date, zone: ZoneInfo, kiosk: str | None) -> Scheduled:
        """(when, step) pairs: each call raised, then taken and closed (or cancelled)."""
        steps: Scheduled = []
        for _ in range(self.rng.randint(*CALLS_PER_DAY)):
            (start_h, start_m), (end_h, end_m) = self.rng.choice(OPEN_HOURS)
            start = datetime.combine(day, dt_time(start_h, start_m), zone)
            span = ((end_h - start_h) * 60 + end_m - start_m) * 60
            at = start + timedelta(seconds=self.rng.uniform(0, span))
            steps += self._call(at, kiosk)
        return steps

    def _call(self, at: datetime, kiosk: str | None) -> Scheduled:
        from_kiosk = kiosk is not None and self.rng.random() < KIOSK_SHARE
        if from_kiosk or not self.reasons or not self.counters:
            reason, counter = None, None
        else:
            codes = list(self.reasons)
            reason = self.rng.choices(codes, weights=[self.reasons[c] for c in codes])[0]
            counter = self.rng.choice(self.counters)
        cancelled = self.rng.random() < CANCEL_SHARE
        taken = at + timedelta(seconds=self.rng.uniform(*TAKE_S))
        done = taken + timedelta(seconds=self.rng.uniform(*HELP_S))
        role, name = MANAGER if reason == "upset" else self.rng.choice(HELPERS)
        taker = f"user:{role}-{name}"
        state: dict[str, int] = {}

        def raise_call() -> None:
            if counter is None:
                outcome = self.desk.raise_call("kiosk", raised_by=f"token:{kiosk}", kiosk=kiosk)
            else:
                raiser = f"user:counter-{counter}"
                outcome = self.desk.raise_call("counter", reason, raised_by=raiser, counter=counter)
            if outcome.value.created:  # not a second press while one is open
                state["id"] = outcome.value.id
                self.raised += 1

        def take_or_cancel() -> None:
            if "id" not in state:
                return
            call = self.desk.get(state["id"])
            if cancelled:
                self.desk.cancel(call.id, by=self._raiser(call.origin, call.counter, kiosk))
                del state["id"]
            else:
                self.desk.accept(call.id, taker=taker, role=role, name=name)

        def close() -> None:
            if "id" in state:
                self.desk.close(state["id"], closer=taker, role=role)
                self.closed += 1

        return [(at, raise_call), (taken, take_or_cancel), (done, close)]

    @staticmethod
    def _raiser(origin: str, counter: int | None, kiosk: str | None) -> str:
        return f"token:{kiosk}" if origin == "kiosk" else f"user:counter-{counter}"
