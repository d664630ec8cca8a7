"""The one event path: core events → bus → screens (Socket.IO) and device workers.

This is the in-process bus of embedded mode. Each published event gets a ``seq``
that increases by one, so a screen that sees a gap asks for a new snapshot.
Handlers must be quick (device workers only enqueue); a failing handler is logged
and never stops the others.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from queue_server.core.events import DomainEvent

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Envelope:
    """An event as it travels: wire name, sequence number, JSON-ready payload."""

    name: str
    seq: int
    payload: dict[str, Any]
    event: DomainEvent | None = None

    def message(self) -> dict[str, Any]:
        """The payload with its sequence number, as sent to screens."""
        return {**self.payload, "seq": self.seq}


Handler = Callable[[Envelope], None]


class EventBus:
    """In-process publish/subscribe with a global sequence number."""

    def __init__(self) -> None:
        self._handlers: list[Handler] = []
        self._lock = threading.Lock()
        self._seq = itertools.count(1)
        self._last_seq = 0

    @property
    def last_seq(self) -> int:
        """The sequence number of the latest event (0 before any)."""
        return self._last_seq

    def subscribe(self, handler: Handler) -> Callable[[], None]:
        """Call ``handler`` for every event; returns a function that unsubscribes."""
        with self._lock:
            self._handlers.append(handler)

        def unsubscribe() -> None:
            with self._lock:
                if handler in self._handlers:
                    self._handlers.remove(handler)

        return unsubscribe

    def publish(self, events: Iterable[DomainEvent]) -> list[Envelope]:
        """Number and deliver ``events`` in order; returns their envelopes."""
        delivered = []
        for event in events:
            with self._lock:
                seq = next(self._seq)
                self._last_seq = seq
                handlers = list(self._handlers)
                envelope = Envelope(event.name, seq, event.payload(), event)
                # Deliver under the lock so every handler sees events in seq order.
                for handler in handlers:
                    try:
                        handler(envelope)
                    except Exception:
                        log.exception("event handler %r failed on %s", handler, event.name)
            delivered.append(envelope)
        return delivered
