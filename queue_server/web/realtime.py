"""Socket.IO (threading mode) and the bridge from the event bus to screens."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from flask import Flask
from flask_socketio import SocketIO

from queue_server.bus import Envelope, EventBus

log = logging.getLogger(__name__)

DISPLAY_NAMESPACE = "/display"


def make_socketio(app: Flask) -> SocketIO:
    """Socket.IO bound to ``app`` (reachable as ``app.extensions["socketio"]``)."""
    return SocketIO(app, async_mode="threading", logger=False, engineio_logger=False)


SCREEN_EVENTS = frozenset({"ticket_called", "queue_changed", "counter_changed", "settings_changed"})
DEVICES_NAMESPACE = "/devices"


class ScreenFeed:
    """Bus subscriber sending screens only what they draw, numbered by its own ``seq``.

    Screens never get ``ticket_issued`` (it carries the tracking code) and fewer frames
    mean faster calls; their own ``seq`` keeps gap detection exact.
    """

    def __init__(self, socketio: SocketIO) -> None:
        self.socketio = socketio
        self._seq = 0
        self._lock = threading.Lock()

    @property
    def last_seq(self) -> int:
        return self._seq

    def __call__(self, envelope: Envelope) -> None:
        if envelope.name not in SCREEN_EVENTS:
            return
        with self._lock:  # the bus delivers in order; the lock only guards the counter
            self._seq += 1
            message = {**envelope.payload, "seq": self._seq}
        self.socketio.emit(envelope.name, message, namespace=DISPLAY_NAMESPACE)


def bridge_devices(bus: EventBus, socketio: SocketIO) -> Callable[[], None]:
    """Every bus event, with the bus ``seq``, to device workers on ``/devices``."""

    def forward(envelope: Envelope) -> None:
        socketio.emit(envelope.name, envelope.message(), namespace=DEVICES_NAMESPACE)

    return bus.subscribe(forward)
