"""The device worker rebuilds what an admin change touched, from the new settings."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from queue_server.core.bootstrap import open_queue
from queue_server.core.clock import FrozenClock
from queue_server.core.context import Outcome
from queue_server.core.db import Database
from queue_server.core.events import SettingsChanged
from queue_server.core.outbox import recorded
from queue_server.relay import Relay
from queue_server.settings import Settings
from queue_server.workers.devices import DeviceWorker, build_devices


def test_settings_changed_moves_a_board_and_swaps_a_printer(
    settings: Settings, clock: FrozenClock, tmp_path: Path
) -> None:
    queue = open_queue(settings, clock=clock, db=Database(f"sqlite:///{tmp_path / 'q.db'}"))
    bus = Relay()
    current = {"settings": settings}
    worker = DeviceWorker(
        settings,
        build_devices(settings),
        settings_source=lambda: current["settings"],
        snapshot_source=lambda: queue.snapshot(recent=0),
    ).start()
    bus.subscribe(worker.handle)
    try:
        bus.publish(queue.issue("HT").envelopes)
        bus.publish(queue.call_next(2).envelopes)
        old_spooler = worker.devices.spoolers["kiosk-1"]
        boards = settings.section("led.boards")
        boards[1]["address"] = 42
        kiosks = settings.section("kiosks")
        kiosks[0]["printer"]["dot_width"] = 384
        current["settings"] = settings.with_sections({"led.boards": boards, "kiosks": kiosks})

        changed = SettingsChanged(sections=("kiosks", "led.boards"), at=datetime.now(UTC))
        bus.publish(recorded(queue.db, lambda: Outcome(None, [changed])).envelopes)

        assert worker.drain()
        assert worker.devices.boards is not None
        virtual = worker.devices.boards.virtual["rs485"]
        assert virtual.wait_until(lambda b: 42 in b and b[42].text == "1", timeout=5)
        assert 2 not in virtual.boards  # the old address is no longer driven
        spooler = worker.devices.spoolers["kiosk-1"]
        assert spooler is not old_spooler and spooler.printer.config.dot_width == 384
        assert worker.reconfigurations == 1
    finally:
        worker.stop()
        queue.db.dispose()
