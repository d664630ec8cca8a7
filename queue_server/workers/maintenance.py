"""The server's maintenance thread: runs the daily maintenance when it is due.

Never inside a request: one background thread per server process checks at start-up
(a missed run is made then) and at each scheduled moment; the claim in the database
(``queue_server.core.maintenance.claim``) keeps several processes from running it
together. Events of closing leftover tickets are published on the bus after commit.
"""

from __future__ import annotations

import logging
import threading

from queue_server.core.maintenance import (
    MaintenancePlan,
    MaintenanceResult,
    maintain_if_due,
    next_moment,
)
from queue_server.core.operations import Queue
from queue_server.relay import Relay

log = logging.getLogger(__name__)

RETRY_AFTER_S = 300.0  # after a failed run
LONGEST_WAIT_S = 3600.0  # look again at least hourly (the clock may have been set)


class MaintenanceWorker:
    """Runs :func:`maintain_if_due` at start-up and at each scheduled moment."""

    def __init__(self, queue: Queue, plan: MaintenancePlan, relay: Relay) -> None:
        self.queue = queue
        self.plan = plan
        self.relay = relay
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_if_due(self) -> MaintenanceResult | None:
        """One check: run the maintenance if it is due; the result if it ran."""
        with self._lock:
            outcome = maintain_if_due(self.queue, self.plan)
        self.relay.publish(outcome.envelopes)
        if outcome.value is not None:
            log.info("daily maintenance done: %s", outcome.value.counts())
        return outcome.value

    def seconds_to_next(self) -> float:
        """How long to wait for the next scheduled moment (at most an hour)."""
        now = self.queue.clock.now()
        left = (next_moment(now, self.queue.options.zone, self.plan.hour) - now).total_seconds()
        return min(max(left, 1.0), LONGEST_WAIT_S)

    def start(self) -> None:
        if self._thread is not None or not self.plan.enabled:
            return
        self._thread = threading.Thread(target=self._loop, name="xephang-maintenance", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_if_due()
                wait = self.seconds_to_next()
            except Exception:
                log.exception("daily maintenance failed; trying again in %.0f s", RETRY_AFTER_S)
                wait = RETRY_AFTER_S
            self._stop.wait(wait)
