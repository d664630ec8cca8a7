"""Socket.IO (threading mode) and the bridge from the event bus to Socket.IO clients.

Bus handlers run in the thread that published (the request's), under the bus lock. The
ones here only put what they will send on the :class:`SocketSender`'s queue; its one
thread emits in that order, so every namespace gets its events in ``seq`` order and the
request answers without waiting for the frames. Screens are queued first (the bus calls
batch handlers before the others): they show the citizen where to go.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask_socketio import SocketIO

from queue_server.bus import Envelope, EventBus

log = logging.getLogger(__name__)

DISPLAY_NAMESPACE = "/display"
DEVICES_NAMESPACE = "/devices"
SCREEN_EVENTS = frozenset({"ticket_called", "queue_changed", "counter_changed"})
BATCH_EVENT = "batch"


def make_socketio(app: Flask) -> SocketIO:
    """Socket.IO bound to ``app`` (reachable as ``app.extensions["socketio"]``)."""
    return SocketIO(app, async_mode="threading", logger=False, engineio_logger=False)


@dataclass(frozen=True, slots=True)
class Emission:
    """One ``socketio.emit`` waiting in the sender's queue."""

    event: str
    data: dict[str, Any] | list[list[Any]]
    namespace: str
    to: str | None = None


class SocketSender:
    """The one thread that emits bus events to Socket.IO clients, in the order queued.

    ``send`` only enqueues, so it is quick and safe under the bus lock; ``flush`` waits
    until what was queued has gone out (for tests).
    """

    def __init__(self, socketio: SocketIO) -> None:
        self.socketio = socketio
        self._queue: queue.SimpleQueue[Emission] = queue.SimpleQueue()
        self._done = threading.Condition()
        self._queued = 0  # emissions handed to send()
        self._sent = 0  # emissions finished (sent or failed)
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def send(self, emission: Emission) -> None:
        """Queue ``emission``; the sender thread starts with the first one."""
        self._start()
        with self._done:
            self._queued += 1
        self._queue.put(emission)

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything queued before this call has been emitted."""
        with self._done:
            target = self._queued
            return self._done.wait_for(lambda: self._sent >= target, timeout)

    def _start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        with self._start_lock:  # lazily, so a forked gunicorn worker gets its own thread
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="xephang-socket-sender", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        while True:
            self._emit(self._queue.get())
            with self._done:
                self._sent += 1
                self._done.notify_all()

    def _emit(self, emission: Emission) -> None:
        try:
            self.socketio.emit(
                emission.event, emission.data, namespace=emission.namespace, to=emission.to
            )
        except Exception:
            log.exception("emitting %s to %s failed", emission.event, emission.namespace)


class ScreenFeed:
    """Bus subscriber sending screens only what they draw, numbered by its own ``seq``.

    Screens never get ``ticket_issued`` (it carries the tracking code). An operation's
    screen events leave in one frame (see :func:`batch_emission`): a call-next is one
    frame per screen instead of three. Their own ``seq`` keeps gap detection exact; it
    is taken here, under the bus lock, so it follows the bus order.
    """

    def __init__(self, sender: SocketSender) -> None:
        self.sender = sender
        self._seq = 0
        self._lock = threading.Lock()

    @property
    def last_seq(self) -> int:
        return self._seq

    def __call__(self, envelopes: list[Envelope]) -> None:
        shown = [e for e in envelopes if e.name in SCREEN_EVENTS]
        if not shown:
            return
        with self._lock:  # the bus delivers in order; the lock only guards the counter
            events = []
            for envelope in shown:
                self._seq += 1
                events.append((envelope.name, {**envelope.payload, "seq": self._seq}))
            self.sender.send(batch_emission(events, DISPLAY_NAMESPACE))


def batch_emission(
    events: list[tuple[str, dict[str, Any]]], namespace: str, to: str | None = None
) -> Emission:
    """One event as itself; several as ``batch``: a list of ``[name, payload]`` pairs.

    A client handles ``batch`` by taking its pairs in order as if they had come one by
    one (``display/static/js/common.js``).
    """
    if len(events) == 1:
        name, payload = events[0]
        return Emission(name, payload, namespace, to)
    return Emission(BATCH_EVENT, [list(pair) for pair in events], namespace, to)


def bridge(
    bus: EventBus, sender: SocketSender, namespace: str, to: str | None = None
) -> Callable[[], None]:
    """Every bus event, with the bus ``seq``, to ``namespace`` (or its room ``to``)."""

    def forward(envelope: Envelope) -> None:
        sender.send(Emission(envelope.name, envelope.message(), namespace, to))

    return bus.subscribe(forward)


def bridge_batches(
    bus: EventBus, sender: SocketSender, namespace: str, to: str | None = None
) -> Callable[[], None]:
    """Like :func:`bridge`, but an operation's events in one frame (``batch``)."""

    def forward(envelopes: list[Envelope]) -> None:
        events = [(envelope.name, envelope.message()) for envelope in envelopes]
        sender.send(batch_emission(events, namespace, to))

    return bus.subscribe_batches(forward)
