"""Device workers dispatch on event types, not names: nothing is silently dropped."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from queue_server.core.bootstrap import open_queue
from queue_server.core.clock import FrozenClock
from queue_server.core.db import Database
from queue_server.core.envelope import Envelope
from queue_server.core.events import (
    EVENT_TYPES,
    CounterChanged,
    DomainEvent,
    PrintRequested,
    SettingsChanged,
    TicketCalled,
    TicketIssued,
    event_type_named,
)
from queue_server.core.operations import Queue
from queue_server.relay import Relay
from queue_server.settings import Settings
from queue_server.workers.devices import DeviceWorker, build_devices
from queue_server.workers.remote import RemoteFeed

# What the devices must act on: boards, voice, printers, rebuilding on new settings.
MUST_HANDLE = {TicketCalled, CounterChanged, SettingsChanged, TicketIssued, PrintRequested}


def _event_classes(cls: type[DomainEvent]) -> set[str]:
    """Every subclass by its qualified name (``slots=True`` leaves a pre-slots twin)."""
    found: set[str] = set()
    for sub in cls.__subclasses__():
        found |= {f"{sub.__module__}.{sub.__qualname__}", *_event_classes(sub)}
    return found


def test_the_registry_has_every_event_type_under_its_wire_name() -> None:
    import queue_server.core.ratings  # noqa: F401  (every module that defines events)

    registered = {f"{c.__module__}.{c.__qualname__}" for c in EVENT_TYPES.values()}
    assert _event_classes(DomainEvent) == registered
    assert all(name == event_type.name for name, event_type in EVENT_TYPES.items())
    assert event_type_named("ticket_called") is TicketCalled
    assert event_type_named("ticket_exploded") is None


def test_every_event_type_is_handled_or_knowingly_ignored() -> None:
    handled, ignored = set(DeviceWorker.HANDLERS), DeviceWorker.IGNORED
    assert handled >= MUST_HANDLE
    assert not handled & ignored
    assert handled | ignored == set(EVENT_TYPES.values())


def test_an_envelope_knows_its_type_in_process_and_from_the_wire() -> None:
    assert Envelope("ticket_called", 1, {}).event_type is TicketCalled
    assert Envelope("settings_changed", 2, {}).event_type is SettingsChanged
    assert Envelope("ticket_exploded", 3, {}).event_type is None


@pytest.fixture
def rig(
    settings: Settings, clock: FrozenClock, tmp_path: Path
) -> Iterator[tuple[Queue, Relay, DeviceWorker]]:
    devices = settings.devices.model_copy(update={"speaker": "virtual"})
    settings = settings.model_copy(update={"devices": devices})
    queue = open_queue(settings, clock=clock, db=Database(f"sqlite:///{tmp_path / 'q.db'}"))
    bus = Relay()
    worker = DeviceWorker(settings, build_devices(settings), history=2).start()
    bus.subscribe(worker.handle)
    yield queue, bus, worker
    worker.stop()
    queue.db.dispose()


def test_a_renamed_event_is_still_announced(
    rig: tuple[Queue, Relay, DeviceWorker], monkeypatch: pytest.MonkeyPatch
) -> None:
    """In process the worker keys on the class: a new wire name changes nothing. (Only
    ``ticket_called`` speaks; the board would also follow ``counter_changed``.)"""
    queue, bus, worker = rig
    monkeypatch.setattr(TicketCalled, "name", "ticket_announced")
    bus.publish(queue.issue("HT").envelopes)
    envelopes = queue.call_next(2).envelopes
    bus.publish(envelopes)
    assert "ticket_announced" in [e.name for e in envelopes]
    speaker = worker.devices.speaker
    assert speaker is not None
    assert speaker.wait_for(1, timeout_s=20)  # type: ignore[attr-defined]
    assert "quầy số 2" in worker.devices.speaker.played[0].text  # type: ignore[union-attr]


def test_spoken_keeps_only_the_latest_announcements(
    rig: tuple[Queue, Relay, DeviceWorker],
) -> None:
    queue, bus, worker = rig
    bus.publish(queue.issue("HT").envelopes)
    bus.publish(queue.call_next(2).envelopes)
    for _ in range(3):
        bus.publish(queue.recall(2).envelopes)
    speaker = worker.devices.speaker
    assert speaker is not None
    assert speaker.wait_for(4, timeout_s=20)  # type: ignore[attr-defined]
    assert worker.drain()
    assert worker.spoken.maxlen == 2
    assert len(worker.spoken) == 2


class RecordingWorker(DeviceWorker):
    """A device worker that also keeps what the feed handed it."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings, build_devices(settings))
        self.seen: list[Envelope] = []

    def handle(self, envelope: Envelope) -> None:
        self.seen.append(envelope)
        super().handle(envelope)


def _wire_handler(feed: RemoteFeed) -> Any:
    """The handler the feed gave python-socketio for ``/devices`` events."""
    return feed.client.handlers["/devices"]["*"]


def test_the_remote_feed_maps_every_registered_name_to_the_worker(settings: Settings) -> None:
    worker = RecordingWorker(settings)
    feed = RemoteFeed(worker, "http://127.0.0.1:9")
    handle = _wire_handler(feed)
    names = [name for name in EVENT_TYPES if name != SettingsChanged.name]  # it asks the API
    for seq, name in enumerate(names, start=1):
        handle(name, {"seq": seq})
    assert [(e.name, e.seq) for e in worker.seen] == [(n, s) for s, n in enumerate(names, 1)]
    assert [e.event_type for e in worker.seen] == [EVENT_TYPES[n] for n in names]
    assert feed.last_seq == len(names) and feed.unknown_events == 0


def test_the_remote_feed_logs_an_unknown_event_and_counts_its_seq(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    worker = RecordingWorker(settings)
    feed = RemoteFeed(worker, "http://127.0.0.1:9")
    handle = _wire_handler(feed)
    with caplog.at_level(logging.WARNING, logger="queue_server.workers.remote"):
        handle("ticket_exploded", {"seq": 1})
    assert worker.seen == []
    assert feed.unknown_events == 1 and feed.last_seq == 1
    assert "ticket_exploded" in caplog.text


def test_a_call_from_the_wire_lights_the_board(settings: Settings) -> None:
    worker = DeviceWorker(settings, build_devices(settings)).start()
    try:
        feed = RemoteFeed(worker, "http://127.0.0.1:9")
        payload = {"seq": 1, "counter": 4, "number": "A012", "recall": False}
        _wire_handler(feed)("ticket_called", payload)
        virtual = worker.devices.boards.virtual["rs485"]  # type: ignore[union-attr]
        # Modbus boards hold a number: the digits of A012
        assert virtual.wait_until(lambda boards: boards[4].text == "12", timeout=5)
    finally:
        worker.stop()
