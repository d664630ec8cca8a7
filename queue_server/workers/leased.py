"""A device worker's duties towards the center: leases, status reports, unprinted jobs.

Every ``lease_s / 3`` seconds the lease thread claims the worker's devices (renewing
those it holds, :class:`queue_server.core.leasekeeper.LeaseKeeper`), has the worker
start the devices it gained and stop those it lost, reports the status of the devices
it drives, and records as failed (``no_driver``) the tickets it saw for a printer that
nobody drove. The :class:`CenterLink` is the database for a server's own worker
(:class:`DatabaseLink`) or the server's API for ``xephang devices``
(``queue_server.workers.center_api``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from queue_server.core.clock import Clock
from queue_server.core.db import Database
from queue_server.core.devicereports import store_reports
from queue_server.core.leasekeeper import LeaseKeeper, LeaseStore
from queue_server.core.leases import Claim, LeaseState, claim_leases, release_leases
from queue_server.core.printjobs import record_missing
from queue_server.settings import Settings
from queue_server.workers.device_keys import wanted_leases

log = logging.getLogger(__name__)

UNHELD_HISTORY = 1000  # tickets remembered for a printer this worker does not drive


class CenterLink(LeaseStore, Protocol):
    """What a device worker tells the center besides its print jobs."""

    def report_status(
        self, reporter: str, interval_s: float, reports: dict[str, Any], gone: Sequence[str]
    ) -> None: ...

    def record_missing(self, jobs: Sequence[tuple[str, str]]) -> None: ...


class DatabaseLink:
    """A server's own worker: leases and reports straight in the database."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def claim(self, holder: str, ttl_s: float, claims: Sequence[Claim]) -> list[LeaseState]:
        return claim_leases(self.db, holder, claims, ttl_s, self.clock.now())

    def release(self, holder: str, keys: Sequence[str]) -> None:
        release_leases(self.db, holder, keys, self.clock.now())

    def report_status(
        self, reporter: str, interval_s: float, reports: dict[str, Any], gone: Sequence[str]
    ) -> None:
        store_reports(self.db, reporter, reports, interval_s, self.clock.now(), gone)

    def record_missing(self, jobs: Sequence[tuple[str, str]]) -> None:
        record_missing(self.db, jobs, self.clock.now())


class LeaseDuties:
    """The lease thread of one worker. ``sync`` starts and stops the worker's devices to
    match the leases held (run on the worker's action thread); ``reports`` gives the
    status of the devices it drives."""

    def __init__(
        self,
        link: CenterLink,
        settings: Settings,
        holder: str,
        *,
        speaker: bool,
        sync: Callable[[], None],
        reports: Callable[[], dict[str, Any]],
    ) -> None:
        self.link = link
        self.lease_s = settings.devices.lease_s
        self.period_s = self.lease_s / 3
        self.keeper = LeaseKeeper(link, holder, self.lease_s)
        self.speaker = speaker
        self.sync = sync
        self.reports = reports
        self.rounds = 0
        self._reported: set[str] = set()
        self._unheld: deque[tuple[str, str, float]] = deque(maxlen=UNHELD_HISTORY)
        self._unheld_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.want(settings)

    @property
    def holder(self) -> str:
        return self.keeper.holder

    def want(self, settings: Settings) -> None:
        self.keeper.want(wanted_leases(settings, speaker=self.speaker))

    def drives(self, key: str | None) -> bool:
        return key is not None and self.keeper.holds(key)

    # -------------------------------------------------------------- lifecycle
    def first_round(self) -> None:
        """Claim once and start what was gained (on the caller's thread, before the
        worker's threads run)."""
        self.keeper.round()
        self.sync()

    def start(self, run_sync: Callable[[Callable[[], None]], bool]) -> None:
        """Run the lease thread; ``run_sync(f)`` runs ``f`` on the worker's action
        thread and waits for it."""
        self._stop.clear()

        def loop() -> None:
            self.report()
            while not self._stop.wait(self.period_s):
                self.tick(run_sync)

        self._thread = threading.Thread(target=loop, name="xephang-leases", daemon=True)
        self._thread.start()

    def tick(self, run_sync: Callable[[Callable[[], None]], bool]) -> None:
        """One period: claim and renew, start or stop devices, report, record."""
        if self.keeper.round():
            run_sync(self.sync)
        self.rounds += 1
        self.report()
        self.record_unprinted()

    def stop_thread(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def finish(self, release: bool) -> None:
        """After the devices stopped: give the leases up and withdraw the reports
        (``release`` false: as if the process had died, for tests)."""
        if not release:
            return
        self.keeper.release_all()
        self._send_reports({}, list(self._reported))

    # ---------------------------------------------------------------- reports
    def report(self) -> None:
        """The status of the devices driven now; those no longer driven are withdrawn."""
        current = self.reports()
        gone = sorted(self._reported - set(current))
        self._send_reports(current, gone)

    def _send_reports(self, current: dict[str, Any], gone: Sequence[str]) -> None:
        try:
            self.link.report_status(self.holder, self.period_s, current, gone)
        except Exception as exc:  # the center does not answer: next period
            log.warning("device status not reported: %s", exc)
            return
        self._reported = set(current)

    # ------------------------------------------------- tickets nobody printed
    def not_printed(self, job_id: str, kiosk: str) -> None:
        """A ticket for a printer of this worker's settings that it does not drive."""
        with self._unheld_lock:
            self._unheld.append((job_id, kiosk, time.monotonic()))

    def record_unprinted(self) -> None:
        """Tickets seen more than ``lease_s`` ago for a printer nobody drove then are
        recorded as failed (``no_driver``), unless their printer's driver recorded
        them; a driver that was alive records them itself within that time."""
        limit = time.monotonic() - self.lease_s
        with self._unheld_lock:
            due = [(job, kiosk) for job, kiosk, seen in self._unheld if seen <= limit]
            kept = [entry for entry in self._unheld if entry[2] > limit]
            self._unheld.clear()
            self._unheld.extend(kept)
        if not due:
            return
        try:
            self.link.record_missing(due)
        except Exception as exc:
            log.warning("could not record %d unprinted ticket(s): %s", len(due), exc)
