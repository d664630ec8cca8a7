"""The virtual twin: keeps every ticket as a PNG and can fake printer faults."""

from __future__ import annotations

import re
import threading
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from .config import VirtualPrinterConfig
from .printer import Printer
from .printout import Printout
from .status import (
    COVER_OPEN,
    OFFLINE,
    PAPER_LOW,
    PAPER_OUT,
    READY,
    Outcome,
    PrinterState,
    PrinterStatus,
    PrintOutcome,
)

HISTORY_LENGTH = 100  # tickets kept in memory (the PNG files stay in the folder)

_REASONS = {
    PrinterState.ONLINE: READY,
    PrinterState.PAPER_NEAR_END: PAPER_LOW,
    PrinterState.PAPER_OUT: PAPER_OUT,
    PrinterState.COVER_OPEN: COVER_OPEN,
    PrinterState.OFFLINE: OFFLINE,
}


@dataclass(frozen=True)
class VirtualTicket:
    """A ticket the virtual printer "printed"."""

    printout: Printout
    image: Image.Image
    payload_size: int
    path: Path | None


class VirtualPrinter(Printer):
    """Renders like a real printer, writes ``NNNNN-<number>.png`` files into ``folder``.

    ``printed`` keeps the latest ``history`` tickets; ``count`` counts them all.
    """

    def __init__(
        self, config: VirtualPrinterConfig | None = None, *, history: int = HISTORY_LENGTH
    ) -> None:
        self.config = config or VirtualPrinterConfig()
        self.folder = Path(self.config.folder) if self.config.folder else None
        self.printed: deque[VirtualTicket] = deque(maxlen=history)
        self.count = 0
        self._state = PrinterState.ONLINE
        self._lock = threading.Condition()

    def set_state(self, state: PrinterState) -> None:
        """Fake a condition (paper out, offline, …); ONLINE to recover."""
        with self._lock:
            self._state = state

    def status(self) -> PrinterStatus:
        with self._lock:
            state = self._state
        return PrinterStatus(state, _REASONS.get(state, OFFLINE), "virtual")

    def print_ticket(self, printout: Printout) -> PrintOutcome:
        status = self.status()
        if not status.can_print:
            return PrintOutcome(Outcome.FAILED, status.failure_reason(), status)
        ticket = self.render(printout)
        payload = self.encode(ticket)
        image = ticket.preview()
        with self._lock:
            path = None
            if self.folder is not None:
                self.folder.mkdir(parents=True, exist_ok=True)
                safe = re.sub(r"[^A-Za-z0-9_-]", "_", printout.number)
                path = self.folder / f"{self.count + 1:05d}-{safe}.png"
                image.save(path)
            self.printed.append(VirtualTicket(printout, image, len(payload), path))
            self.count += 1
            self._lock.notify_all()
        return PrintOutcome(Outcome.CONFIRMED, None, status, len(payload))

    def wait_for_prints(self, count: int, timeout: float = 5.0) -> bool:
        """Block until ``count`` tickets were printed (or ``timeout``)."""
        with self._lock:
            return self._lock.wait_for(lambda: self.count >= count, timeout)
