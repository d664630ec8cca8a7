"""The one event path: core events → bus → screens (Socket.IO) and device workers.

This is the in-process bus of embedded mode. Each published event gets a ``seq``
that increases by one, so a screen that sees a gap asks for a new snapshot. The events
of one ``publish`` (one operation) get consecutive numbers; batch handlers receive
them together, so a screen can get them in one frame. Handlers must be quick (device
workers only enqueue; a Socket.IO emit only queues a frame per client); a failing
handler is logged and never stops the others.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from queue_server.core.events import DomainEvent, event_type_named

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Envelope:
    """An event as it travels: wire name, sequence number, JSON-ready public payload."""

    name: str
    seq: int
    payload: dict[str, Any]
    event: DomainEvent | None = None

    @property
    def event_type(self) -> type[DomainEvent] | None:
        """The event's class; for an envelope received over the wire, the class its name
        is registered under in ``core/events.py`` (None: no event type has that name)."""
        return type(self.event) if self.event is not None else event_type_named(self.name)

    def message(self) -> dict[str, Any]:
        """The payload with its sequence number, as sent to screens."""
        return {**self.payload, "seq": self.seq}

    @property
    def device_payload(self) -> dict[str, Any]:
        """The payload as the device worker gets it: with what it prints (the ticket's
        tracking code for the QR). An envelope received over the wire is already so."""
        return self.event.device_payload() if self.event is not None else self.payload

    def device_message(self) -> dict[str, Any]:
        """:attr:`device_payload` with the sequence number (``/devices`` workers)."""
        return {**self.device_payload, "seq": self.seq}


Handler = Callable[[Envelope], None]
BatchHandler = Callable[[list[Envelope]], None]
HeldEvents = list[tuple["EventBus", list[DomainEvent]]]

_held: ContextVar[HeldEvents | None] = ContextVar("xephang_held_events", default=None)


@contextmanager
def holding_events() -> Iterator[HeldEvents]:
    """Events published inside are kept back (this thread only): the caller publishes
    them with :func:`publish_held` once the transaction that made them has committed."""
    held: HeldEvents = []
    token = _held.set(held)
    try:
        yield held
    finally:
        _held.reset(token)


def publish_held(held: HeldEvents) -> None:
    """Publish events kept back by :func:`holding_events`, in order."""
    for bus, events in held:
        bus.publish(events)


class EventBus:
    """In-process publish/subscribe with a global sequence number."""

    def __init__(self) -> None:
        self._handlers: list[Handler] = []
        self._batch_handlers: list[BatchHandler] = []
        self._lock = threading.Lock()
        self._seq = itertools.count(1)
        self._last_seq = 0

    @property
    def last_seq(self) -> int:
        """The sequence number of the latest event (0 before any)."""
        return self._last_seq

    def subscribe(self, handler: Handler) -> Callable[[], None]:
        """Call ``handler`` for every event; returns a function that unsubscribes."""
        return self._add(self._handlers, handler)

    def subscribe_batches(self, handler: BatchHandler) -> Callable[[], None]:
        """Call ``handler`` once per ``publish`` with its envelopes (never empty).

        Batch handlers run before the per-event handlers: screens are the most urgent.
        """
        return self._add(self._batch_handlers, handler)

    def _add(self, handlers: list[Any], handler: Any) -> Callable[[], None]:
        with self._lock:
            handlers.append(handler)

        def unsubscribe() -> None:
            with self._lock:
                if handler in handlers:
                    handlers.remove(handler)

        return unsubscribe

    def publish(self, events: Iterable[DomainEvent]) -> list[Envelope]:
        """Number and deliver ``events`` in order; returns their envelopes (none while
        :func:`holding_events` keeps them back)."""
        held = _held.get()
        if held is not None:
            held.append((self, list(events)))
            return []
        # Number and deliver under the lock, so every handler sees events in seq order
        # and one operation's events stay together.
        with self._lock:
            envelopes = [Envelope(e.name, next(self._seq), e.payload(), e) for e in events]
            if not envelopes:
                return envelopes
            self._last_seq = envelopes[-1].seq
            for batch_handler in list(self._batch_handlers):
                self._call(batch_handler, envelopes, envelopes[0].name)
            handlers = list(self._handlers)
            for envelope in envelopes:
                for handler in handlers:
                    self._call(handler, envelope, envelope.name)
        return envelopes

    @staticmethod
    def _call(handler: Callable[[Any], None], argument: Any, name: str) -> None:
        try:
            handler(argument)
        except Exception:
            log.exception("event handler %r failed on %s", handler, name)
