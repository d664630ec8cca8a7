"""The device worker: drives printers, LED boards and the voice from bus events.

Handlers only enqueue, so publishing an event never waits on a device. One thread
applies board and printer actions in order; speech has its own thread, so a long
announcement never delays a board. After any (re)connection the worker is given a
snapshot and sets every board to its counter's current number (state, not replay).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from queue_server.core.envelope import Envelope
from queue_server.core.events import (
    CounterChanged,
    DomainEvent,
    PrintRequested,
    QueueChanged,
    SettingsChanged,
    TicketCalled,
    TicketChanged,
    TicketIssued,
    TicketRated,
)
from queue_server.settings import KioskConfig, Settings
from queue_server.workers.printouts import printout_for
from xephang.devices.audio.speaker import CommandSpeaker, Played, Speaker, VirtualSpeaker
from xephang.devices.audio.voice import Voice
from xephang.devices.led import BoardSet, BoardStatus, build_board_set
from xephang.devices.printer import PrintJob, PrintSpooler, VirtualPrinterConfig, open_printer

log = logging.getLogger(__name__)

_STOP = object()
SPOKEN_HISTORY = 100  # announcements kept in DeviceWorker.spoken


@dataclass
class DeviceSet:
    """The devices one worker owns (and the callbacks to give devices it rebuilds)."""

    boards: BoardSet | None = None
    spoolers: dict[str, PrintSpooler] = field(default_factory=dict)
    voice: Voice | None = None
    speaker: Speaker | None = None
    on_print_job: Callable[[str, PrintJob], None] | None = None
    on_board_status: Callable[[BoardStatus], None] | None = None


def build_spooler(
    settings: Settings,
    kiosk: KioskConfig,
    on_print_job: Callable[[str, PrintJob], None] | None = None,
) -> PrintSpooler | None:
    """The spooler of ``kiosk``'s printer (None without a printer)."""
    if kiosk.printer is None:
        return None
    config = kiosk.printer
    if isinstance(config, VirtualPrinterConfig) and config.folder is None:
        folder = Path(settings.data_dir) / "tickets" / kiosk.name
        config = config.model_copy(update={"folder": str(folder)})
    printer = open_printer(config)

    def changed(job: PrintJob, kiosk_name: str = kiosk.name) -> None:
        if on_print_job is not None:
            on_print_job(kiosk_name, job)

    return PrintSpooler(printer, config.retry, on_change=changed)


def build_boards(
    settings: Settings, on_board_status: Callable[[BoardStatus], None] | None = None
) -> BoardSet | None:
    """The LED boards of ``settings`` (None when there are none)."""
    if not settings.led.boards:
        return None
    return build_board_set(settings.led, on_status=on_board_status)


def build_devices(
    settings: Settings,
    *,
    on_print_job: Callable[[str, PrintJob], None] | None = None,
    on_board_status: Callable[[BoardStatus], None] | None = None,
) -> DeviceSet:
    """Open the devices configured in ``settings`` (virtual twins where configured)."""
    spoolers: dict[str, PrintSpooler] = {}
    for kiosk in settings.kiosks:
        spooler = build_spooler(settings, kiosk, on_print_job)
        if spooler is not None:
            spoolers[kiosk.name] = spooler
    voice: Voice | None = None
    speaker: Speaker | None = None
    if settings.voice.enabled and settings.devices.speaker != "none":
        try:
            voice = Voice(settings.voice, cache_dir=Path(settings.data_dir) / "voice-cache")
            if settings.devices.speaker == "command":
                speaker = CommandSpeaker(voice.renderer, settings.devices.speaker_command)
            else:
                speaker = VirtualSpeaker(voice.renderer)
        except Exception as exc:  # a broken voice pack must not stop the queue
            log.error("voice disabled: %s", exc)
    return DeviceSet(
        boards=build_boards(settings, on_board_status),
        spoolers=spoolers,
        voice=voice,
        speaker=speaker,
        on_print_job=on_print_job,
        on_board_status=on_board_status,
    )


class DeviceWorker:
    """Applies bus events to the devices of a :class:`DeviceSet`."""

    def __init__(
        self,
        settings: Settings,
        devices: DeviceSet,
        *,
        settings_source: Callable[[], Settings] | None = None,
        snapshot_source: Callable[[], dict[str, Any]] | None = None,
        on_rebuilt: Callable[[], None] | None = None,
        history: int = SPOKEN_HISTORY,
    ) -> None:
        """``settings_source`` gives the new settings on ``settings_changed`` (embedded
        worker); ``snapshot_source`` the state to show on rebuilt boards; ``spoken`` keeps
        the latest ``history`` announcements (diagnostics)."""
        self.settings = settings
        self.devices = devices
        self.settings_source = settings_source
        self.snapshot_source = snapshot_source
        self.on_rebuilt = on_rebuilt
        self.reconfigurations = 0
        self._actions: queue.Queue[Any] = queue.Queue()
        self._speech: queue.Queue[Any] = queue.Queue()
        self._threads: list[threading.Thread] = []
        self.spoken: deque[Played] = deque(maxlen=history)

    # -------------------------------------------------------------- lifecycle
    def start(self) -> DeviceWorker:
        if self.devices.boards is not None:
            self.devices.boards.start()
        for spooler in self.devices.spoolers.values():
            spooler.start()
        for target, name in ((self._run_actions, "devices"), (self._run_speech, "speech")):
            thread = threading.Thread(target=target, name=f"xephang-{name}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        self._actions.put(_STOP)
        self._speech.put(_STOP)
        for thread in self._threads:
            thread.join(timeout=5)
        for spooler in self.devices.spoolers.values():
            spooler.stop()
        if self.devices.boards is not None:
            self.devices.boards.stop()

    def drain(self, timeout: float = 5.0) -> bool:
        """Wait until every queued action was applied (for tests and shutdown)."""
        done = threading.Event()
        self._actions.put(done.set)
        return done.wait(timeout)

    # ----------------------------------------------------------------- events
    def handle(self, envelope: Envelope) -> None:
        """Bus subscriber: enqueue, never block."""
        self._actions.put(envelope)

    def resync(self, snapshot: dict[str, Any]) -> None:
        """Show every counter's current number (after a (re)connection)."""
        self._actions.put(("resync", snapshot))

    def reconfigure(self, settings: Settings) -> None:
        """Rebuild the boards and printers whose settings changed (in order with events)."""
        self._actions.put(("reconfigure", settings))

    # ---------------------------------------------------------------- threads
    def _run_actions(self) -> None:
        while (item := self._actions.get()) is not _STOP:
            try:
                if callable(item):
                    item()
                elif isinstance(item, tuple) and item[0] == "resync":
                    self._apply_snapshot(item[1])
                elif isinstance(item, tuple) and item[0] == "reconfigure":
                    self._rebuild(item[1])
                else:
                    self._apply(item)
            except Exception:
                log.exception("device action failed")

    def _run_speech(self) -> None:
        while (item := self._speech.get()) is not _STOP:
            voice, speaker = self.devices.voice, self.devices.speaker
            if voice is None or speaker is None:
                continue
            try:
                played = speaker.play(voice.announcement(*item))
            except Exception:
                log.exception("announcement failed")
                continue
            if not played.ok:
                log.warning("announcement not played: %s", played.problem)
            self.spoken.append(played)

    def _apply(self, envelope: Envelope) -> None:
        event_type = envelope.event_type
        handler = self.HANDLERS.get(event_type) if event_type is not None else None
        if handler is not None:
            handler(self, envelope)
        elif event_type is None or event_type not in self.IGNORED:
            log.warning("no device handler for event %r: ignored", envelope.name)

    # ------------------------------------------------------------ by event type
    def _on_ticket_called(self, envelope: Envelope) -> None:
        data = envelope.payload
        if self.devices.boards is not None:
            self.devices.boards.show(
                int(data["counter"]), data["number"], blink=bool(data.get("recall"))
            )
        self._speech.put((data["number"], data["counter"]))

    def _on_counter_changed(self, envelope: Envelope) -> None:
        if self.devices.boards is not None:
            self._show_counter(self.devices.boards, envelope.payload)

    def _on_settings_changed(self, _envelope: Envelope) -> None:
        if self.settings_source is not None:
            self._rebuild(self.settings_source())

    def _print(self, envelope: Envelope) -> None:
        """A ticket issued at, or asked again of, a kiosk with a printer."""
        spooler = self.devices.spoolers.get(envelope.payload.get("kiosk") or "")
        if spooler is None:
            return
        data = envelope.device_payload  # with the tracking code for the QR
        ticket = data["ticket"]
        job_id = data.get("job_id") or str(ticket["id"])
        printout = printout_for(ticket, self.settings, data.get("public_url"))
        spooler.submit(printout, job_id=job_id)

    HANDLERS: ClassVar[Mapping[type[DomainEvent], Callable[[DeviceWorker, Envelope], None]]] = {
        TicketCalled: _on_ticket_called,
        CounterChanged: _on_counter_changed,
        SettingsChanged: _on_settings_changed,
        TicketIssued: _print,
        PrintRequested: _print,
    }
    """What the devices do per event type (keyed by class: a renamed event still lands)."""
    IGNORED: ClassVar[frozenset[type[DomainEvent]]] = frozenset(
        {TicketChanged, QueueChanged, TicketRated}
    )
    """Event types the devices have nothing to do with (the boards follow ``counter_changed``)."""

    def _rebuild(self, new: Settings) -> None:
        """Swap in ``new``: LED boards on new addresses or buses, changed kiosk printers."""
        old, devices = self.settings, self.devices
        self.settings = new
        if new.led != old.led:
            if devices.boards is not None:
                devices.boards.stop()
            devices.boards = build_boards(new, devices.on_board_status)
            if devices.boards is not None:
                devices.boards.start()
                if self.snapshot_source is not None:
                    self._apply_snapshot(self.snapshot_source())
            log.info("LED boards rebuilt: %d board(s)", len(new.led.boards))
        before = {k.name: k for k in old.kiosks}
        after = {k.name: k for k in new.kiosks}
        for name in set(before) | set(after):
            if before.get(name) == after.get(name):
                continue
            spooler = devices.spoolers.pop(name, None)
            if spooler is not None:
                spooler.stop()
            kiosk = after.get(name)
            fresh = build_spooler(new, kiosk, devices.on_print_job) if kiosk else None
            if fresh is not None:
                devices.spoolers[name] = fresh.start()
            log.info("printer of kiosk %s rebuilt", name)
        self.reconfigurations += 1
        if self.on_rebuilt is not None:
            self.on_rebuilt()

    def _apply_snapshot(self, snapshot: dict[str, Any]) -> None:
        boards = self.devices.boards
        if boards is None:
            return
        for counter in snapshot.get("counters", []):
            self._show_counter(boards, counter)

    @staticmethod
    def _show_counter(boards: BoardSet, counter: dict[str, Any]) -> None:
        current = counter.get("current")
        if counter.get("status") == "open" and current:
            boards.show(int(counter["number"]), current["number"])
        else:
            boards.clear(int(counter["number"]))
