"""Socket.IO (threading mode) and the bridge from the event bus to screens."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask_socketio import SocketIO, emit

from queue_server.bus import Envelope, EventBus

log = logging.getLogger(__name__)

DISPLAY_NAMESPACE = "/display"


def make_socketio(app: Flask) -> SocketIO:
    """Socket.IO bound to ``app`` (reachable as ``app.extensions["socketio"]``)."""
    return SocketIO(app, async_mode="threading", logger=False, engineio_logger=False)


def serve_display_namespace(socketio: SocketIO, snapshot: Callable[[], dict[str, Any]]) -> None:
    """Accept screens on ``/display`` and send each a ``snapshot`` on every (re)connect."""

    @socketio.on("connect", namespace=DISPLAY_NAMESPACE)
    def _connect(_auth: Any = None) -> None:
        emit("snapshot", snapshot())


def bridge_bus(bus: EventBus, socketio: SocketIO) -> Callable[[], None]:
    """Emit every bus event to ``/display`` (name = event name, data = message)."""

    def emit(envelope: Envelope) -> None:
        socketio.emit(envelope.name, envelope.message(), namespace=DISPLAY_NAMESPACE)

    return bus.subscribe(emit)
