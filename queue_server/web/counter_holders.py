"""Which officers have a counter open: their consoles' live connections, per process.

The officer console connects to ``/officer`` after choosing a counter; the connection is
counted here until it closes. Choosing a counter another officer has open is asked
about first (``POST /api/v1/session/counter`` answers 409 unless ``take_over``).
"""

from __future__ import annotations

import threading

from queue_server.web.state import xephang


class CounterHolders:
    """Open console connections: connection id → (counter, user name)."""

    def __init__(self) -> None:
        self._held: dict[str, tuple[int, str]] = {}
        self._lock = threading.Lock()

    def hold(self, sid: str, counter: int, user: str) -> None:
        with self._lock:
            self._held[sid] = (counter, user)

    def release(self, sid: str) -> None:
        with self._lock:
            self._held.pop(sid, None)

    def others(self, counter: int, user: str) -> list[str]:
        """The other users with ``counter`` open, by name."""
        with self._lock:
            return sorted(
                {name for n, name in self._held.values() if n == counter and name != user}
            )


def counter_holders() -> CounterHolders:
    """This server's registry (``Runtime.counter_holders``)."""
    return xephang().counter_holders
