"""Virtual boards on a real serial port: the far end of a socat pair or a second adapter.

Reads what a bus writes, decodes it with a :class:`VirtualBus` and answers like real
boards would (Modbus units echo their writes), so a whole installation can be tried
without any LED hardware.
"""

from __future__ import annotations

import logging
import threading

from xephang.devices.led.bus import SerialLike
from xephang.devices.led.virtual import VirtualBus

log = logging.getLogger(__name__)


class BoardSimulator:
    """Runs ``twin`` on ``port`` in a thread until :meth:`stop`."""

    def __init__(self, twin: VirtualBus, port: SerialLike) -> None:
        self.twin = twin
        self.port = port
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"led-simulator-{twin.name}", daemon=True
        )

    def start(self) -> BoardSimulator:
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout)
        self.port.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                data = self.port.read(max(1, self.port.in_waiting))  # waits up to its timeout
                if not data:
                    continue
                self.twin.feed(data)
                if replies := self.twin.take_replies(len(self.twin.replies)):
                    self.port.write(replies)
                    self.port.flush()
            except Exception as exc:
                log.info("LED simulator %s stopped: %s", self.twin.name, exc)
                return
