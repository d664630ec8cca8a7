"""Two device workers with the same devices (two server processes, or a server and
``xephang devices`` on one machine): each ticket prints once, and when the worker that
drives the printer stops without a word, the other takes over after the lease expires.

Both workers hear every event, as every server process's relay hands them over.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import cast

import pytest

from queue_server.core.operations import Queue
from queue_server.core.printjobs import jobs_for_ticket
from queue_server.relay import Relay
from queue_server.settings import Settings
from queue_server.web.devices import PrintJobRecorder
from queue_server.workers.device_keys import printer_key, speaker_key, wanted_leases
from queue_server.workers.devices import DeviceWorker, build_devices
from queue_server.workers.leased import DatabaseLink
from xephang.devices.audio.speaker import VirtualSpeaker

# Renewed every 0.67 s; a silent holder loses it 2 s after its last renewal. Every test
# here needs the holder to keep its lease while it lives: with 0.6 s a lease thread held
# up for 0.4 s (a SQLite commit waiting on a disk that other tests load) lost it once in
# CI, and the first ticket then went to nobody.
LEASE_S = 2.0
RENEW_S = LEASE_S / 3


def wait_for(condition: Callable[[], object], within_s: float = 10.0) -> None:
    deadline = time.monotonic() + within_s
    while not condition():
        assert time.monotonic() < deadline, f"not true within {within_s} s"
        time.sleep(0.01)


@pytest.fixture
def quick(settings: Settings) -> Settings:
    devices = settings.devices.model_copy(update={"lease_s": LEASE_S})
    return settings.model_copy(update={"devices": devices})


class Workers:
    def __init__(self, settings: Settings, queue: Queue) -> None:
        self.settings = settings
        self.queue = queue
        self.relay = Relay()
        self.recorder = PrintJobRecorder(queue.db)
        self.running: list[DeviceWorker] = []

    def start(self) -> DeviceWorker:
        devices = build_devices(self.settings, on_print_job=self.recorder.record, leased=True)
        worker = DeviceWorker(
            self.settings,
            devices,
            snapshot_source=lambda: self.queue.snapshot(recent=0),
            link=DatabaseLink(self.queue.db, self.queue.clock),
        ).start()
        self.relay.subscribe(worker.handle)
        self.running.append(worker)
        return worker

    def issue(self) -> int:
        outcome = self.queue.issue("HT", channel="kiosk", kiosk="kiosk-1")
        self.relay.publish(outcome.envelopes)
        return outcome.value.id

    def folder(self) -> Path:
        return Path(self.settings.data_dir) / "tickets" / "kiosk-1"

    def printed(self) -> list[str]:
        return sorted(p.name for p in self.folder().glob("*.png"))

    def stop(self) -> None:
        for worker in self.running:
            worker.stop()


@pytest.fixture
def workers(quick: Settings, queue: Queue) -> Iterator[Workers]:
    rig = Workers(quick, queue)
    yield rig
    rig.stop()


def state_of(queue: Queue, ticket_id: int) -> tuple[str, str | None] | None:
    jobs = jobs_for_ticket(queue.db, ticket_id)
    return (jobs[0].state, jobs[0].reason) if jobs else None


def test_two_workers_with_one_printer_print_each_ticket_once(workers: Workers) -> None:
    first, second = workers.start(), workers.start()
    key = printer_key(workers.settings, workers.settings.kiosks[0])
    assert first.duties is not None and second.duties is not None
    assert first.duties.drives(key) and not second.duties.drives(key)
    assert set(first.devices.spoolers) >= {"kiosk-1"} and not second.devices.spoolers
    wanted = set(wanted_leases(workers.settings, speaker=False))
    assert first.duties.keeper.held() == wanted  # the LED bus too

    tickets = [workers.issue() for _ in range(6)]
    wait_for(lambda: all(state_of(workers.queue, t) == ("confirmed", None) for t in tickets))
    assert len(workers.printed()) == 6
    for worker in (first, second):
        assert worker.drain()
    assert second.devices.spoolers == {}


def test_the_other_worker_takes_over_when_the_driver_stops_without_a_word(
    workers: Workers,
) -> None:
    first, second = workers.start(), workers.start()
    before = workers.issue()
    wait_for(lambda: state_of(workers.queue, before) == ("confirmed", None))
    started = time.monotonic()
    first.stop(release=False)  # as if killed: nobody is told, the lease stays its own
    gap = workers.issue()  # nobody drives the printer now
    key = printer_key(workers.settings, workers.settings.kiosks[0])
    assert second.duties is not None
    wait_for(lambda: second.duties is not None and second.duties.drives(key))
    # Not before the lease expired: its last renewal came at most one renewal before the stop.
    assert time.monotonic() - started >= (LEASE_S - RENEW_S) * 0.9
    after = workers.issue()
    wait_for(lambda: state_of(workers.queue, after) == ("confirmed", None))
    # The ticket of the gap is not printed late: recorded as not driven, honestly.
    wait_for(lambda: state_of(workers.queue, gap) == ("failed", "no_driver"))
    assert len(workers.printed()) == 2
    workers.running.remove(first)


def test_a_clean_stop_hands_the_devices_over_at_once(workers: Workers) -> None:
    first, second = workers.start(), workers.start()
    key = printer_key(workers.settings, workers.settings.kiosks[0])
    first.stop()
    workers.running.remove(first)
    assert second.duties is not None
    wait_for(lambda: second.duties is not None and second.duties.drives(key), LEASE_S)
    ticket = workers.issue()
    wait_for(lambda: state_of(workers.queue, ticket) == ("confirmed", None))


def test_one_worker_per_machine_announces_a_call(quick: Settings, queue: Queue) -> None:
    devices = quick.devices.model_copy(update={"speaker": "virtual"})
    rig = Workers(quick.model_copy(update={"devices": devices}), queue)
    try:
        first, second = rig.start(), rig.start()
        # A worker that has not claimed its leases yet announces nothing: wait for the claim.
        wait_for(
            lambda: any(
                w.duties is not None and w.duties.drives(speaker_key()) for w in (first, second)
            )
        )
        rig.issue()
        rig.relay.publish(queue.call_next(2).envelopes)
        speakers = [cast(VirtualSpeaker, w.devices.speaker) for w in (first, second)]
        wait_for(lambda: sum(len(s.played) for s in speakers) >= 1)
        for worker in (first, second):
            assert worker.drain()
        drivers = [w.duties is not None and w.duties.drives(speaker_key()) for w in (first, second)]
        assert sorted(drivers) == [False, True]
        assert [len(s.played) for s in speakers] == [int(d) for d in drivers]
    finally:
        rig.stop()
