"""Bus events drive the virtual LED boards, the virtual printer and the voice."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from queue_server.core.bootstrap import open_queue
from queue_server.core.clock import FrozenClock
from queue_server.core.db import Database
from queue_server.core.operations import Queue
from queue_server.relay import Relay
from queue_server.settings import Settings
from queue_server.workers.devices import DeviceWorker, build_devices


@pytest.fixture
def rig(
    settings: Settings, clock: FrozenClock, tmp_path: Path
) -> Iterator[tuple[Queue, Relay, DeviceWorker]]:
    devices = settings.devices.model_copy(update={"speaker": "virtual"})
    settings = settings.model_copy(update={"devices": devices})
    queue = open_queue(settings, clock=clock, db=Database(f"sqlite:///{tmp_path / 'q.db'}"))
    bus = Relay()
    worker = DeviceWorker(settings, build_devices(settings)).start()
    bus.subscribe(worker.handle)
    yield queue, bus, worker
    worker.stop()
    queue.db.dispose()


def showing(worker: DeviceWorker) -> dict[int, str | None]:
    assert worker.devices.boards is not None
    return worker.devices.boards.virtual["rs485"].showing()


def test_call_shows_number_on_the_counter_board(rig: tuple[Queue, Relay, DeviceWorker]) -> None:
    queue, bus, worker = rig
    bus.publish(queue.issue("HT").envelopes)
    bus.publish(queue.call_next(2).envelopes)
    assert worker.drain()
    virtual = worker.devices.boards.virtual["rs485"]  # type: ignore[union-attr]
    assert virtual.wait_until(lambda boards: boards[2].text == "1", timeout=5)
    assert showing(worker)[3] in (None, "")


def test_finish_and_pause_clear_the_board(rig: tuple[Queue, Relay, DeviceWorker]) -> None:
    queue, bus, worker = rig
    bus.publish(queue.issue("CT").envelopes)
    bus.publish(queue.call_next(3).envelopes)
    virtual = worker.devices.boards.virtual["rs485"]  # type: ignore[union-attr]
    assert virtual.wait_until(lambda boards: boards[3].text == "1", timeout=5)
    bus.publish(queue.finish(3).envelopes)
    assert virtual.wait_until(lambda boards: not boards[3].text, timeout=5)


def test_resync_sets_every_board_from_a_snapshot(rig: tuple[Queue, Relay, DeviceWorker]) -> None:
    queue, _bus, worker = rig
    for service in ("HT", "CT", "DD"):
        queue.issue(service)
    queue.call_next(2)
    queue.call_next(3)
    queue.call_next(5)
    worker.resync(queue.snapshot())
    virtual = worker.devices.boards.virtual["rs485"]  # type: ignore[union-attr]
    assert virtual.wait_until(
        lambda b: (b[2].text, b[3].text, b[5].text) == ("1", "1", "1"), timeout=5
    )


def test_kiosk_ticket_is_printed_as_png(rig: tuple[Queue, Relay, DeviceWorker]) -> None:
    queue, bus, worker = rig
    bus.publish(queue.issue("HT", "elderly", kiosk="kiosk-1").envelopes)
    spooler = worker.devices.spoolers["kiosk-1"]
    printer = spooler.printer
    assert printer.wait_for_prints(1, timeout=10)  # type: ignore[attr-defined]
    printed = printer.printed[0]  # type: ignore[attr-defined]
    assert printed.printout.number == "B001"
    assert printed.printout.priority_label == "Người cao tuổi"
    assert printed.printout.service_name_alt == "Civil status"
    assert printed.path is not None and printed.path.exists()


def test_ticket_without_kiosk_is_not_printed(rig: tuple[Queue, Relay, DeviceWorker]) -> None:
    queue, bus, worker = rig
    bus.publish(queue.issue("HT", channel="cli").envelopes)
    assert worker.drain()
    assert worker.devices.spoolers["kiosk-1"].printer.count == 0  # type: ignore[attr-defined]


def test_calls_are_announced_in_vietnamese(rig: tuple[Queue, Relay, DeviceWorker]) -> None:
    queue, bus, worker = rig
    bus.publish(queue.issue("HT").envelopes)
    bus.publish(queue.call_next(2).envelopes)
    bus.publish(queue.recall(2).envelopes)
    speaker = worker.devices.speaker
    assert speaker is not None
    assert speaker.wait_for(2, timeout_s=10)  # type: ignore[attr-defined]
    texts = [played.text for played in speaker.played]  # type: ignore[attr-defined]
    assert all("B001" in text and "3" not in text for text in texts)
    assert "quầy số 2" in texts[0]


def _announced(worker: DeviceWorker, count: int, timeout: float = 20) -> bool:
    """Wait (polling with a deadline) until ``count`` announcements were played or tried."""
    deadline, pause = time.monotonic() + timeout, threading.Event()
    while len(worker.spoken) < count and time.monotonic() < deadline:
        pause.wait(0.05)
    return len(worker.spoken) >= count


def command_worker(settings: Settings, command: tuple[str, ...]) -> DeviceWorker:
    update = {"speaker": "command", "speaker_command": command}
    settings = settings.model_copy(update={"devices": settings.devices.model_copy(update=update)})
    return DeviceWorker(settings, build_devices(settings)).start()


def test_calls_play_through_the_configured_command(
    settings: Settings, clock: FrozenClock, tmp_path: Path
) -> None:
    played = tmp_path / "played"
    played.mkdir()
    worker = command_worker(settings, ("cp", "-t", str(played)))  # "plays" by copying the WAV
    queue = open_queue(settings, clock=clock, db=Database(f"sqlite:///{tmp_path / 'q.db'}"))
    try:
        bus = Relay()
        bus.subscribe(worker.handle)
        bus.publish(queue.issue("HT").envelopes)
        bus.publish(queue.call_next(2).envelopes)
        assert _announced(worker, 1)
        assert worker.spoken[0].ok and "quầy số 2" in worker.spoken[0].text
        assert [p.suffix for p in played.iterdir()] == [".wav"]
    finally:
        worker.stop()
        queue.db.dispose()


def test_a_failing_player_is_logged_and_the_queue_goes_on(
    settings: Settings, clock: FrozenClock, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    worker = command_worker(settings, ("false",))
    queue = open_queue(settings, clock=clock, db=Database(f"sqlite:///{tmp_path / 'q.db'}"))
    try:
        bus = Relay()
        bus.subscribe(worker.handle)
        bus.publish(queue.issue("HT").envelopes)
        with caplog.at_level(logging.WARNING, logger="queue_server.workers.speech"):
            bus.publish(queue.call_next(2).envelopes)
            assert _announced(worker, 1)
        assert not worker.spoken[0].ok
        assert "announcement not played" in caplog.text
        virtual = worker.devices.boards.virtual["rs485"]  # type: ignore[union-attr]
        assert virtual.wait_until(lambda boards: boards[2].text == "1", timeout=5)
    finally:
        worker.stop()
        queue.db.dispose()
