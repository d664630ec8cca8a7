"""The spooler: never blocks the caller, retries, reports every state, reprints."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from xephang.devices.printer import (
    FailureReason,
    JobState,
    PrinterState,
    PrintJob,
    PrintSpooler,
    RetryPolicy,
    TicketPrintout,
    open_printer,
)
from xephang.devices.printer.fake_network import FakeMode, FakeNetworkPrinter


class Recorder:
    """Collects on_change calls."""

    def __init__(self) -> None:
        self.events: list[PrintJob] = []
        self.lock = threading.Lock()

    def __call__(self, job: PrintJob) -> None:
        with self.lock:
            self.events.append(job)

    def states(self, job_id: str) -> list[JobState]:
        with self.lock:
            states = [e.state for e in self.events if e.id == job_id]
        return [s for i, s in enumerate(states) if i == 0 or states[i - 1] is not s]


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


def _spooler(
    make_config, fake: FakeNetworkPrinter, recorder: Recorder, **policy: object
) -> PrintSpooler:
    values = {"attempts": 2, "backoff_initial_s": 0.01, "recovery_poll_s": 0.02, **policy}
    config = make_config(fake, retry=RetryPolicy.model_validate(values))
    return PrintSpooler(open_printer(config), on_change=recorder).start()


@pytest.fixture
def running(make_config, fake: FakeNetworkPrinter, recorder: Recorder) -> Iterator[PrintSpooler]:
    spooler = _spooler(make_config, fake, recorder)
    yield spooler
    spooler.stop()


def test_job_goes_queued_sent_confirmed(
    running: PrintSpooler, fake: FakeNetworkPrinter, recorder: Recorder, printout: TicketPrintout
) -> None:
    job = running.submit(printout, job_id="t-1")
    assert job.state is JobState.QUEUED
    done = running.wait_done("t-1")
    assert done.state is JobState.CONFIRMED and done.attempts == 1
    assert fake.wait_for_tickets(1)
    running.stop()  # flushes the notifier
    assert recorder.states("t-1") == [JobState.QUEUED, JobState.SENT, JobState.CONFIRMED]


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        (FakeMode.OFF, FailureReason.OFFLINE),
        (FakeMode.PAPER_OUT, FailureReason.PAPER_OUT),
        (FakeMode.COVER_OPEN, FailureReason.COVER_OPEN),
        (FakeMode.SILENT, FailureReason.TIMEOUT),
    ],
)
def test_dead_printer_never_blocks_submit(
    running: PrintSpooler,
    fake: FakeNetworkPrinter,
    printout: TicketPrintout,
    mode: FakeMode,
    reason: FailureReason,
) -> None:
    fake.set_mode(mode)
    started = time.perf_counter()
    for i in range(5):
        running.submit(printout, job_id=f"t-{i}")
    assert time.perf_counter() - started < 0.05
    for i in range(5):
        job = running.wait_done(f"t-{i}", timeout=10)
        assert job.state is JobState.FAILED
        assert job.reason is reason
        assert job.attempts == 2
    assert fake.tickets == []


def test_reprint_on_recovery_prints_when_the_printer_is_back(
    make_config, fake: FakeNetworkPrinter, recorder: Recorder, printout: TicketPrintout
) -> None:
    spooler = _spooler(make_config, fake, recorder, reprint_on_recovery=True)
    try:
        fake.set_mode(FakeMode.PAPER_OUT)
        spooler.submit(printout, job_id="t-1")
        failed = spooler.wait_for("t-1", lambda j: j.state is JobState.FAILED)
        assert failed.reason is FailureReason.PAPER_OUT and failed.awaiting_recovery
        assert spooler.status().awaiting_recovery == 1
        fake.set_mode(FakeMode.OK)
        assert spooler.wait_done("t-1").state is JobState.CONFIRMED
        assert fake.wait_for_tickets(1)
    finally:
        spooler.stop()
    assert recorder.states("t-1")[-3:] == [JobState.QUEUED, JobState.SENT, JobState.CONFIRMED]


def test_without_reprint_on_recovery_the_job_stays_failed(
    running: PrintSpooler, fake: FakeNetworkPrinter, printout: TicketPrintout
) -> None:
    fake.set_mode(FakeMode.OFF)
    running.submit(printout, job_id="t-1")
    assert running.wait_done("t-1").state is JobState.FAILED
    fake.set_mode(FakeMode.OK)
    running.submit(printout, job_id="t-2")
    assert running.wait_done("t-2").state is JobState.CONFIRMED
    assert running.job("t-1").state is JobState.FAILED
    assert len(fake.tickets) == 1


def test_retry_succeeds_when_the_printer_recovers_in_time(
    make_config, fake: FakeNetworkPrinter, recorder: Recorder, printout: TicketPrintout
) -> None:
    spooler = _spooler(make_config, fake, recorder, attempts=5, backoff_initial_s=0.2)
    try:
        fake.set_mode(FakeMode.COVER_OPEN)
        spooler.submit(printout, job_id="t-1")
        spooler.wait_for("t-1", lambda j: j.reason is FailureReason.COVER_OPEN)
        fake.set_mode(FakeMode.OK)
        job = spooler.wait_done("t-1")
        assert job.state is JobState.CONFIRMED and job.attempts >= 2
    finally:
        spooler.stop()


def test_reprint_creates_a_new_job(
    running: PrintSpooler, fake: FakeNetworkPrinter, printout: TicketPrintout
) -> None:
    running.submit(printout, job_id="t-1")
    running.wait_done("t-1")
    again = running.reprint("t-1")
    assert again.id == "t-1-r1" and again.reprint
    assert running.wait_done("t-1-r1").state is JobState.CONFIRMED
    assert fake.wait_for_tickets(2)
    assert fake.tickets[0].image.tobytes() == fake.tickets[1].image.tobytes()


def test_paper_near_end_is_surfaced_in_status(
    running: PrintSpooler, fake: FakeNetworkPrinter, printout: TicketPrintout
) -> None:
    fake.set_mode(FakeMode.PAPER_NEAR_END)
    running.submit(printout, job_id="t-1")
    assert running.wait_done("t-1").state is JobState.CONFIRMED
    status = running.status()
    assert status.paper_near_end
    assert status.printer is not None and status.printer.state is PrinterState.PAPER_NEAR_END
    assert status.printer.message("vi") == "Máy in sắp hết giấy"


def test_duplicate_job_id_is_rejected(running: PrintSpooler, printout: TicketPrintout) -> None:
    running.submit(printout, job_id="t-1")
    with pytest.raises(ValueError):
        running.submit(printout, job_id="t-1")


def test_backoff_grows_and_is_capped() -> None:
    policy = RetryPolicy(backoff_initial_s=1, backoff_factor=2, backoff_max_s=5)
    assert [policy.delay_before(n) for n in range(1, 6)] == [0, 1, 2, 4, 5]


class ManualClock:
    """The spooler's wall clock, moved by the test."""

    def __init__(self) -> None:
        self.at = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.at


def test_jobs_too_old_are_abandoned_not_printed_in_a_burst(
    make_config, fake: FakeNetworkPrinter, recorder: Recorder, printout: TicketPrintout
) -> None:
    clock = ManualClock()
    config = make_config(fake, retry=RetryPolicy(attempts=2, abandon_after_s=300))
    spooler = PrintSpooler(open_printer(config), on_change=recorder, now=clock)
    for i in range(5):  # queued while the printer was away
        spooler.submit(printout, job_id=f"old-{i}")
    clock.at += timedelta(seconds=301)
    spooler.submit(printout, job_id="fresh")
    spooler.start()
    try:
        assert spooler.wait_done("fresh").state is JobState.CONFIRMED
        for i in range(5):
            old = spooler.wait_done(f"old-{i}")
            assert old.state is JobState.FAILED and old.reason is FailureReason.EXPIRED
            assert old.attempts == 0
        assert fake.wait_for_tickets(1)
    finally:
        spooler.stop()
    assert len(fake.tickets) == 1  # only the fresh ticket
    assert recorder.states("old-0") == [JobState.QUEUED, JobState.FAILED]


def test_jobs_left_when_the_spooler_stops_are_abandoned_and_reported(
    make_config, fake: FakeNetworkPrinter, recorder: Recorder, printout: TicketPrintout
) -> None:
    fake.set_mode(FakeMode.OFF)
    spooler = _spooler(make_config, fake, recorder, attempts=5, backoff_initial_s=60)
    spooler.submit(printout, job_id="t-1")
    spooler.wait_for("t-1", lambda job: job.attempts == 1 and job.reason is not None)
    spooler.stop()
    job = spooler.job("t-1")
    assert job.state is JobState.FAILED and job.reason is FailureReason.ABANDONED
    assert recorder.events[-1].id == "t-1"
    assert recorder.events[-1].reason is FailureReason.ABANDONED
    assert spooler.status().pending == 0


def test_the_spooler_forgets_the_oldest_finished_jobs(
    make_config, fake: FakeNetworkPrinter, recorder: Recorder, printout: TicketPrintout
) -> None:
    config = make_config(fake, retry=RetryPolicy(backoff_initial_s=60))  # a failure waits
    spooler = PrintSpooler(open_printer(config), on_change=recorder, history=2).start()
    try:
        for i in range(4):
            spooler.submit(printout, job_id=f"t-{i}")
            assert spooler.wait_done(f"t-{i}").state is JobState.CONFIRMED
        assert [job.id for job in spooler.jobs()] == ["t-2", "t-3"]
        fake.set_mode(FakeMode.OFF)  # unfinished jobs are never forgotten
        for i in range(4, 7):
            spooler.submit(printout, job_id=f"t-{i}")
        assert {"t-4", "t-5", "t-6"} <= {job.id for job in spooler.jobs()}
    finally:
        spooler.stop()
