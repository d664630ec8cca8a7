"""Print jobs for one printer in a background thread, with retries and reprints.

``submit()`` only appends to a queue, so a dead or hanging printer never slows the
caller. Every state change is handed to ``on_change`` from a separate notifier thread,
in order, so the server can persist it.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Unpack

from .config import RetryPolicy
from .jobs import JobChanges, JobState, PrintJob, SpoolerStatus
from .notifier import Notifier
from .printer import Printer
from .printout import Printout
from .status import FailureReason, Outcome, PrinterStatus, PrintOutcome

log = logging.getLogger(__name__)


_RECOVERABLE = {
    FailureReason.OFFLINE,
    FailureReason.PAPER_OUT,
    FailureReason.COVER_OPEN,
    FailureReason.TIMEOUT,
}


JOB_HISTORY = 1000  # finished jobs a spooler remembers (for job(), jobs(), reprint())


def _utc_now() -> datetime:
    return datetime.now(UTC)


class PrintSpooler:
    """One spooler per printer: a worker thread prints, a notifier thread reports.

    A job older than ``policy.abandon_after_s`` is abandoned (``expired``) when its turn
    comes, and jobs still waiting when the spooler stops are abandoned (``abandoned``):
    a ticket is never printed long after the citizen left the kiosk.
    """

    def __init__(
        self,
        printer: Printer,
        policy: RetryPolicy | None = None,
        on_change: Callable[[PrintJob], None] | None = None,
        on_status: Callable[[PrinterStatus], None] | None = None,
        now: Callable[[], datetime] = _utc_now,
        history: int = JOB_HISTORY,
    ) -> None:
        """``history``: jobs kept in memory; beyond it the oldest finished ones are
        forgotten (the server keeps every job's record in its database)."""
        self.now = now
        self.history = history
        self.printer = printer
        self.policy = policy or printer.config.retry
        self.on_change = on_change
        self.on_status = on_status
        self._jobs: dict[str, PrintJob] = {}
        self._pending: list[str] = []
        self._recovery: list[str] = []
        self._next_try: dict[str, float] = {}
        self._printer_status: PrinterStatus | None = None
        self._status_wanted = True  # ask the printer once on start: known before a job
        self._cond = threading.Condition()
        self._ids = itertools.count(1)
        self._running = False
        self._worker: threading.Thread | None = None
        self._notifier = Notifier[PrintJob | PrinterStatus](self._deliver, "print-notify")

    # lifecycle
    def start(self) -> PrintSpooler:
        self._running = True
        self._worker = threading.Thread(target=self._work, name="print-spooler", daemon=True)
        self._worker.start()
        self._notifier.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop after the ticket being printed (bounded by the printer's timeouts).

        Jobs still waiting, or waiting for the printer's recovery, are abandoned (and
        reported) rather than left queued for ever.
        """
        with self._cond:
            self._running = False
            self._cond.notify_all()
        if self._worker:
            self._worker.join(timeout)
        with self._cond:
            left, self._pending, self._recovery = [*self._pending, *self._recovery], [], []
            for job_id in left:
                self._update(
                    job_id,
                    state=JobState.FAILED,
                    reason=FailureReason.ABANDONED,
                    detail="the spooler stopped before it was printed",
                    awaiting_recovery=False,
                )
        self._notifier.stop(timeout)

    # public API
    def submit(self, printout: Printout, job_id: str | None = None) -> PrintJob:
        """Queue a ticket and return at once."""
        return self._enqueue(printout, job_id, reprint=False)

    def reprint(self, job_id: str) -> PrintJob:
        """Print the ticket of an earlier job again, as a new job (``<id>-r<n>``)."""
        with self._cond:
            original = self._jobs[job_id]
            count = sum(1 for key in self._jobs if key.startswith(f"{job_id}-r"))
        return self._enqueue(original.printout, f"{job_id}-r{count + 1}", reprint=True)

    def job(self, job_id: str) -> PrintJob:
        with self._cond:
            return self._jobs[job_id]

    def jobs(self) -> list[PrintJob]:
        with self._cond:
            return list(self._jobs.values())

    def status(self) -> SpoolerStatus:
        with self._cond:
            return SpoolerStatus(self._printer_status, len(self._pending), len(self._recovery))

    def wait_for(
        self, job_id: str, predicate: Callable[[PrintJob], bool], timeout: float = 5.0
    ) -> PrintJob:
        """Block until the job exists and satisfies ``predicate``; returns it (checked by
        the caller). Raises ``KeyError`` if no such job was submitted within ``timeout``."""
        with self._cond:

            def ready() -> bool:
                job = self._jobs.get(job_id)
                return job is not None and predicate(job)

            self._cond.wait_for(ready, timeout)
            return self._jobs[job_id]

    def wait_done(self, job_id: str, timeout: float = 5.0) -> PrintJob:
        return self.wait_for(job_id, lambda job: job.done, timeout)

    # internals
    def _enqueue(self, printout: Printout, job_id: str | None, reprint: bool) -> PrintJob:
        now = self.now()
        with self._cond:
            job_id = job_id or f"job-{next(self._ids)}"
            if job_id in self._jobs:
                raise ValueError(f"duplicate print job id {job_id!r}")
            job = PrintJob(
                job_id, printout, JobState.QUEUED, reprint=reprint, created_at=now, updated_at=now
            )
            self._jobs[job_id] = job
            self._pending.append(job_id)
            self._next_try[job_id] = time.monotonic()
            self._forget_finished()
            self._cond.notify_all()
        self._notifier.put(job)
        return job

    def _forget_finished(self) -> None:
        """Keep at most ``history`` jobs: the oldest finished ones go (lock held)."""
        excess = len(self._jobs) - self.history
        if excess <= 0:
            return
        busy = set(self._pending) | set(self._recovery)
        finished = (k for k, job in self._jobs.items() if job.done and k not in busy)
        for job_id in list(itertools.islice(finished, excess)):
            del self._jobs[job_id]
            self._next_try.pop(job_id, None)

    def _update(self, job_id: str, **changes: Unpack[JobChanges]) -> PrintJob:
        """Change a job (lock held by caller) and schedule the notification."""
        job = replace(self._jobs[job_id], updated_at=self.now(), **changes)
        self._jobs[job_id] = job
        self._notifier.put(job)
        self._cond.notify_all()
        return job

    def _deliver(self, event: PrintJob | PrinterStatus) -> None:
        """Hand a change to its callback (on the notifier's thread)."""
        try:
            if isinstance(event, PrintJob) and self.on_change:
                self.on_change(event)
            elif isinstance(event, PrinterStatus) and self.on_status:
                self.on_status(event)
        except Exception:
            log.exception("print job callback failed")

    def _set_printer_status(self, status: PrinterStatus | None) -> None:
        if status is None:
            return
        with self._cond:
            previous, self._printer_status = self._printer_status, status
        if previous is None or previous.state is not status.state:
            self._notifier.put(status)

    def _next_action(self) -> tuple[str, str | None]:
        """Wait for something to do: ("print", id), ("poll", None), ("status", None) or
        ("stop", None)."""
        with self._cond:
            while self._running:
                if self._status_wanted:
                    self._status_wanted = False
                    return "status", None
                now = time.monotonic()
                if self._pending:
                    head = self._pending[0]
                    if self._expire(head):
                        continue
                    wait = self._next_try[head] - now
                    if wait <= 0:
                        return "print", head
                elif self._recovery:
                    wait = self.policy.recovery_poll_s
                    if self._cond.wait(wait):
                        continue
                    return "poll", None
                else:
                    wait = None
                self._cond.wait(wait)
            return "stop", None

    def _work(self) -> None:
        while True:
            action, job_id = self._next_action()
            if action == "stop":
                return
            if action == "poll":
                self._poll_recovery()
                continue
            if action == "status":
                self._check_status()
                continue
            assert job_id is not None
            self._attempt(job_id)

    def _attempt(self, job_id: str) -> None:
        with self._cond:
            job = self._update(job_id, attempts=self._jobs[job_id].attempts + 1)
        try:
            outcome = self.printer.print_ticket(job.printout)
        except Exception as exc:  # a driver bug must not kill the spooler
            log.exception("printer driver failed")
            outcome = PrintOutcome(Outcome.FAILED, FailureReason.ERROR, None, 0, str(exc))
        self._set_printer_status(outcome.status)
        with self._cond:
            if job_id not in self._pending:  # abandoned by stop() while printing
                return
            if outcome.outcome is not Outcome.FAILED:
                self._pending.remove(job_id)
                if outcome.bytes_sent:
                    self._update(job_id, state=JobState.SENT, reason=None, detail="")
                final = JobState.CONFIRMED if outcome.confirmed else JobState.SENT
                self._update(
                    job_id, state=final, reason=None, detail=outcome.detail, awaiting_recovery=False
                )
                if outcome.confirmed:
                    self._requeue_recovered()
                return
            reason = outcome.reason or FailureReason.ERROR
            if outcome.bytes_sent:
                self._update(job_id, state=JobState.SENT)
            if job.attempts < self.policy.attempts:
                self._next_try[job_id] = time.monotonic() + self.policy.delay_before(
                    job.attempts + 1
                )
                self._update(job_id, state=JobState.QUEUED, reason=reason, detail=outcome.detail)
                return
            self._pending.remove(job_id)
            waiting = self._may_reprint_later(job, reason)
            if waiting:
                self._recovery.append(job_id)
            self._update(
                job_id,
                state=JobState.FAILED,
                reason=reason,
                detail=outcome.detail,
                awaiting_recovery=waiting,
            )

    def _age(self, job: PrintJob) -> float:
        return (self.now() - job.created_at).total_seconds()

    def _expire(self, job_id: str) -> bool:
        """Abandon a waiting job that is too old to print (lock held); True if so."""
        job = self._jobs[job_id]
        if self._age(job) < self.policy.abandon_after_s:
            return False
        self._pending.remove(job_id)
        self._update(
            job_id,
            state=JobState.FAILED,
            reason=FailureReason.EXPIRED,
            detail=f"not printed within {self.policy.abandon_after_s:g} s",
            awaiting_recovery=False,
        )
        return True

    def _may_reprint_later(self, job: PrintJob, reason: FailureReason) -> bool:
        if not self.policy.reprint_on_recovery or reason not in _RECOVERABLE:
            return False
        return self._age(job) < min(self.policy.reprint_max_age_s, self.policy.abandon_after_s)

    def _check_status(self) -> None:
        try:
            status = self.printer.status()
        except Exception:  # a driver bug must not kill the spooler
            log.exception("printer status query failed")
            return
        self._set_printer_status(status)

    def _poll_recovery(self) -> None:
        status = self.printer.status()
        self._set_printer_status(status)
        with self._cond:
            if status.can_print:
                self._requeue_recovered()
            else:
                self._expire_recovery()

    def _expire_recovery(self) -> None:
        """Give up reprinting tickets that became too old (lock held)."""
        limit = min(self.policy.reprint_max_age_s, self.policy.abandon_after_s)
        for job_id in list(self._recovery):
            job = self._jobs[job_id]
            if self._age(job) >= limit:
                self._recovery.remove(job_id)
                self._update(job_id, awaiting_recovery=False)

    def _requeue_recovered(self) -> None:
        """The printer works again: put failed tickets back, oldest first (lock held)."""
        self._expire_recovery()
        if not self._recovery:
            return
        recovered, self._recovery = self._recovery, []
        now = time.monotonic()
        for job_id in recovered:
            self._next_try[job_id] = now
            self._update(job_id, state=JobState.QUEUED, attempts=0, awaiting_recovery=False)
        self._pending[:0] = recovered
