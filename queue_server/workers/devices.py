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
from typing import Any, ClassVar

from queue_server.core.envelope import Envelope
from queue_server.core.events import (
    AppointmentChanged,
    AssistanceAccepted,
    AssistanceCancelled,
    AssistanceClosed,
    AssistanceRequested,
    AssistRecorded,
    CounterChanged,
    DomainEvent,
    FeedbackChanged,
    OutreachChanged,
    PaperTicketEntered,
    PrintRequested,
    QueueChanged,
    ResultSlipCollected,
    ResultSlipIssued,
    ResultSlipPostponed,
    SettingsChanged,
    SiteImported,
    SlipPrintRequested,
    TicketCalled,
    TicketChanged,
    TicketIssued,
    TicketRated,
    VisitClosed,
    VisitRequested,
    VisitScheduled,
)
from queue_server.core.leases import new_holder
from queue_server.settings import Settings
from queue_server.workers.device_keys import bus_key, printer_key, speaker_key
from queue_server.workers.device_set import (
    DeviceSet,
    build_boards,
    build_devices,
    build_spooler,
)
from queue_server.workers.device_status import board_reports, printer_status
from queue_server.workers.leased import CenterLink, LeaseDuties
from queue_server.workers.printouts import printout_for, slip_printout_for
from queue_server.workers.speech import Call, SpeechQueue
from xephang.devices.audio.speaker import Played
from xephang.devices.led import BoardSet

__all__ = ["DeviceSet", "DeviceWorker", "build_boards", "build_devices", "build_spooler"]

log = logging.getLogger(__name__)

_STOP = object()
SPOKEN_HISTORY = 100  # announcements kept in DeviceWorker.spoken


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
        link: CenterLink | None = None,
        holder: str | None = None,
    ) -> None:
        """``settings_source`` gives the new settings on ``settings_changed`` (embedded
        worker); ``snapshot_source`` the state to show on rebuilt boards; ``spoken`` keeps
        the latest ``history`` announcements (diagnostics). With a ``link`` the worker
        drives only the devices whose lease it holds (``devices`` built ``leased``)."""
        self.settings = settings
        self.devices = devices
        self.settings_source = settings_source
        self.snapshot_source = snapshot_source
        self.on_rebuilt = on_rebuilt
        self.reconfigurations = 0
        self._actions: queue.Queue[Any] = queue.Queue()
        self._threads: list[threading.Thread] = []
        self.spoken: deque[Played] = deque(maxlen=history)
        self.speech = SpeechQueue(self._announce, self.spoken)
        self._stopped = False
        self.duties: LeaseDuties | None = None
        if link is not None:
            self.duties = LeaseDuties(
                link,
                settings,
                holder or new_holder(),
                speaker=devices.speaker is not None,
                sync=self._sync_devices,
                reports=self.status_reports,
            )

    # -------------------------------------------------------------- lifecycle
    def start(self) -> DeviceWorker:
        if self.duties is not None:
            self.duties.first_round()  # opens the devices it holds
        else:
            if self.devices.boards is not None:
                self.devices.boards.start()
            for spooler in self.devices.spoolers.values():
                spooler.start()
        thread = threading.Thread(target=self._run_actions, name="xephang-devices", daemon=True)
        thread.start()
        self._threads.append(thread)
        self.speech.start()
        if self.duties is not None:
            self.duties.start(self._run_on_actions)
        return self

    def stop(self, *, release: bool = True) -> None:
        """Stop the devices; then give their leases up (``release`` false: keep them
        until they lapse, as a process that died would). Stopping twice does nothing."""
        if self._stopped:
            return
        self._stopped = True
        if self.duties is not None:
            self.duties.stop_thread()
        self._actions.put(_STOP)
        self.speech.stop()
        for thread in self._threads:
            thread.join(timeout=5)
        for spooler in self.devices.spoolers.values():
            spooler.stop()
        if self.devices.boards is not None:
            self.devices.boards.stop()
        if self.duties is not None:
            self.duties.finish(release)

    def _run_on_actions(self, action: Callable[[], None], timeout: float = 10.0) -> bool:
        """Run ``action`` on the action thread, in order with events, and wait for it."""
        done = threading.Event()

        def run() -> None:
            try:
                action()
            finally:
                done.set()

        self._actions.put(run)
        return done.wait(timeout)

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

    def _announce(self, call: Call) -> Played | None:
        """Play one call to its end (on the speech thread: one call at a time)."""
        voice, speaker = self.devices.voice, self.devices.speaker
        if voice is None or speaker is None:
            return None
        return speaker.play(voice.announcement(*call))

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
        if self.duties is None or self.duties.drives(speaker_key()):
            self.speech.put((data["number"], data["counter"]))

    def _on_counter_changed(self, envelope: Envelope) -> None:
        if self.devices.boards is not None:
            self._show_counter(self.devices.boards, envelope.payload)

    def _on_settings_changed(self, _envelope: Envelope) -> None:
        if self.settings_source is not None:
            self._rebuild(self.settings_source())

    def _print(self, envelope: Envelope) -> None:
        """A ticket issued at, or asked again of, a kiosk with a printer."""
        kiosk = envelope.payload.get("kiosk") or ""
        data = envelope.device_payload  # with the tracking code for the QR
        ticket = data["ticket"]
        job_id = data.get("job_id") or str(ticket["id"])
        spooler = self.devices.spoolers.get(kiosk)
        if self.duties is not None and not self.duties.drives(self._printer_key(kiosk)):
            if self._printer_key(kiosk) is not None:  # another worker's, or nobody's
                self.duties.not_printed(job_id, kiosk)
            return
        if spooler is None:
            return
        printout = printout_for(ticket, self.settings, data.get("public_url"))
        spooler.submit(printout, job_id=job_id)

    def _print_slip(self, envelope: Envelope) -> None:
        """An appointment booked at a kiosk with a printer: its slip. Unlike a ticket's
        job, a slip's job nobody drives is not recorded (the kiosk says so itself)."""
        kiosk = envelope.payload.get("kiosk") or ""
        data = envelope.device_payload  # with the appointment's code
        spooler = self.devices.spoolers.get(kiosk)
        if self.duties is not None and not self.duties.drives(self._printer_key(kiosk)):
            return
        if spooler is None:
            return
        printout = slip_printout_for(data, self.settings, data.get("public_url"))
        spooler.submit(printout, job_id=str(data["job_id"]))

    def _printer_key(self, kiosk_name: str) -> str | None:
        kiosk = next((k for k in self.settings.kiosks if k.name == kiosk_name), None)
        return printer_key(self.settings, kiosk) if kiosk is not None else None

    HANDLERS: ClassVar[Mapping[type[DomainEvent], Callable[[DeviceWorker, Envelope], None]]] = {
        TicketCalled: _on_ticket_called,
        CounterChanged: _on_counter_changed,
        SettingsChanged: _on_settings_changed,
        TicketIssued: _print,
        PrintRequested: _print,
        SlipPrintRequested: _print_slip,
    }
    """What the devices do per event type (keyed by class: a renamed event still lands)."""
    IGNORED: ClassVar[frozenset[type[DomainEvent]]] = frozenset(
        {
            TicketChanged,
            QueueChanged,
            TicketRated,
            AssistRecorded,
            VisitRequested,
            VisitScheduled,
            VisitClosed,
            FeedbackChanged,
            ResultSlipIssued,
            ResultSlipPostponed,
            ResultSlipCollected,
            AssistanceRequested,
            AssistanceAccepted,
            AssistanceClosed,
            AssistanceCancelled,
            AppointmentChanged,
            OutreachChanged,
            PaperTicketEntered,  # history: never on a board, never spoken
            SiteImported,
        }
    )
    """Event types the devices have nothing to do with (the boards follow ``counter_changed``)."""

    def _rebuild(self, new: Settings) -> None:
        """Swap in ``new``: LED boards on new addresses or buses, changed kiosk printers."""
        if self.duties is not None:
            self._rebuild_leased(new)
            return
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

    def _rebuild_leased(self, new: Settings) -> None:
        """Swap in ``new`` and stop the devices whose settings changed; the leases of
        the new devices are claimed and those held are opened again."""
        assert self.duties is not None
        old, devices = self.settings, self.devices
        self.settings = new
        if new.led != old.led and devices.boards is not None:
            devices.boards.stop()
            devices.boards = None
        before = {k.name: k for k in old.kiosks}
        after = {k.name: k for k in new.kiosks}
        for name in [n for n in devices.spoolers if before.get(n) != after.get(n)]:
            devices.spoolers.pop(name).stop()
        self.duties.want(new)
        self.duties.keeper.round()
        self._sync_devices()
        self.reconfigurations += 1
        if self.on_rebuilt is not None:
            self.on_rebuilt()

    def _sync_devices(self) -> None:
        """Open the devices whose lease is held and not yet open; stop those whose
        lease is not (on the action thread, or before it runs)."""
        assert self.duties is not None
        settings, devices, held = self.settings, self.devices, self.duties.keeper.held()
        for kiosk in settings.kiosks:
            driven = printer_key(settings, kiosk) in held
            if driven and kiosk.name not in devices.spoolers:
                spooler = build_spooler(settings, kiosk, devices.on_print_job)
                if spooler is not None:
                    devices.spoolers[kiosk.name] = spooler.start()
            elif not driven and kiosk.name in devices.spoolers:
                devices.spoolers.pop(kiosk.name).stop()  # its waiting jobs: abandoned
        buses = {b.name for b in settings.led.buses if bus_key(settings, b) in held}
        if buses != set(devices.boards.buses if devices.boards else ()):
            if devices.boards is not None:
                devices.boards.stop()
            devices.boards = build_boards(settings, devices.on_board_status, buses)
            if devices.boards is not None:
                devices.boards.start()
                if self.snapshot_source is not None:
                    self._apply_snapshot(self.snapshot_source())
        if self.on_rebuilt is not None:
            self.on_rebuilt()

    def status_reports(self) -> dict[str, dict[str, Any]]:
        """The status of every device this worker drives now."""
        language = self.settings.center.language
        reports = {
            f"printer:{kiosk}": printer_status(spooler, language)
            for kiosk, spooler in list(self.devices.spoolers.items())
        }
        return reports | board_reports(self.devices.boards)

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
