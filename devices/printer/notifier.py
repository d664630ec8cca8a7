"""Events handed to a callback in order, from a thread of its own: how a print spooler
reports its jobs' and printer's changes, so that a slow callback (the server writing the
change to its database) never holds up printing."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

E = TypeVar("E")
_STOP = object()


class Notifier(Generic[E]):
    """Calls ``deliver`` with each event put, in order, on a daemon thread ``name``."""

    def __init__(self, deliver: Callable[[E], None], name: str) -> None:
        self._deliver = deliver
        self._name = name
        self._events: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
        self._thread.start()

    def put(self, event: E) -> None:
        """Deliver ``event`` after those put before it (kept until :meth:`start`)."""
        self._events.put(event)

    def stop(self, timeout: float) -> None:
        """End the thread once the events put before are delivered (``timeout`` s at most)."""
        self._events.put(_STOP)
        if self._thread:
            self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            event = self._events.get()
            if event is _STOP:
                return
            self._deliver(event)  # type: ignore[arg-type]  # everything else was put as an E
