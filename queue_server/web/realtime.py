"""Socket.IO (gevent or threading mode) and the bridges from the relay to Socket.IO clients.

The bridges emit in the thread that delivers (the request's, or the relay follower's),
under the relay's lock, so every namespace gets its events in ``seq`` order. An emit only
queues a frame for each client's writer, so this is quick. Screens are served first: the
relay calls batch handlers (the screen feed) before the others. An operation's events go
in one frame (``batch``), so a call-next is one frame per screen instead of three.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any, Literal

from flask import Flask
from flask_socketio import SocketIO

from queue_server.core.envelope import Envelope
from queue_server.relay import Relay

log = logging.getLogger(__name__)

DISPLAY_NAMESPACE = "/display"
# Screens that have their snapshot or missed events: a socket still connecting is not in
# it, so that nothing reaches it twice (web/resume.py).
SCREENS_ROOM = "screens"
DEVICES_NAMESPACE = "/devices"
DEVICE_WORKERS_ROOM = "workers"  # device tokens: events with the tracking codes they print
DEVICE_VIEWERS_ROOM = "viewers"  # display and admin tokens: the public payloads
SCREEN_EVENTS = frozenset(
    {"ticket_called", "queue_changed", "counter_changed", "settings_changed", "outreach_changed"}
)
BATCH_EVENT = "batch"
WEBSOCKET_EXTENSIONS = "HTTP_SEC_WEBSOCKET_EXTENSIONS"  # a WebSocket's offer (compression)

Events = list[tuple[str, dict[str, Any]]]


def async_mode() -> Literal["gevent", "threading"]:
    """ "gevent" in a gevent-patched process (the production server), else "threading"."""
    monkey = sys.modules.get("gevent.monkey")
    if monkey is not None and monkey.is_module_patched("threading"):
        return "gevent"
    return "threading"


def make_socketio(app: Flask | None = None) -> SocketIO:
    """Socket.IO, bound to ``app`` now or later by ``init_app`` (the runtime's is bound
    by ``create_app``)."""
    return SocketIO(app, async_mode=async_mode(), logger=False, engineio_logger=False)


class SocketIOOnItsPath:
    """WSGI: requests under Socket.IO's path through its middleware (which copies the
    environ of every request it sees), every other request straight to the app.

    A WebSocket's offer of extensions (``Sec-WebSocket-Extensions``) is removed first,
    so that no connection compresses (browsers offer ``permessage-deflate``, which
    simple-websocket accepts): every frame would be compressed once per screen, and 50
    displays cost call-next more than its own work (2.32 against 0.99 ms of CPU,
    ``bench/api.py --displays 50 --paired 3``), to save a few hundred bytes on a LAN.
    """

    def __init__(self, middleware: Any) -> None:
        self.middleware = middleware
        self.app = middleware.wsgi_app  # the app the middleware wraps
        self.path = middleware.engineio_path

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO", "").startswith(self.path):
            environ.pop(WEBSOCKET_EXTENSIONS, None)
            return self.middleware(environ, start_response)
        return self.app(environ, start_response)


def emit_events(socketio: SocketIO, events: Events, namespace: str, to: str | None = None) -> None:
    """One event as itself; several as ``batch``: a list of ``[name, payload]`` pairs.

    A client takes a ``batch``'s pairs in order as if they had come one by one
    (``display/static/js/common.js``).
    """
    if len(events) == 1:
        name, payload = events[0]
        socketio.emit(name, payload, namespace=namespace, to=to)
    elif events:
        pairs = [[name, payload] for name, payload in events]
        socketio.emit(BATCH_EVENT, pairs, namespace=namespace, to=to)


class ScreenFeed:
    """Relay batch handler sending screens only what they draw.

    Screens never get ``ticket_issued``, and no payload carries a tracking code
    (``Envelope.payload`` is the public view). An operation's screen events leave in
    one frame. Each carries the global ``seq`` and ``prev``, the ``seq`` of the screen
    event before it, so a screen knows it missed one when ``prev`` is beyond what it has;
    every process computes the same ``prev`` from the same ordered outbox.
    """

    def __init__(self, socketio: SocketIO, relay: Relay) -> None:
        self.socketio = socketio
        shown = [e.seq for e in relay.recent() if e.name in SCREEN_EVENTS]
        self._prev = shown[-1] if shown else 0

    def frames(self, envelopes: list[Envelope], prev: int) -> tuple[Events, int]:
        """The screen events of ``envelopes`` chained from ``prev``; and the new ``prev``."""
        events: Events = []
        for envelope in envelopes:
            if envelope.name in SCREEN_EVENTS:
                message = {**envelope.payload, "seq": envelope.seq, "prev": prev}
                events.append((envelope.name, message))
                prev = envelope.seq
        return events, prev

    def replay(self, envelopes: list[Envelope], after: int) -> Events:
        """The screen events of ``envelopes`` for a screen that has everything to ``after``."""
        return self.frames(envelopes, after)[0]

    def __call__(self, envelopes: list[Envelope]) -> None:
        # The relay delivers in order, one batch at a time (under its lock).
        events, self._prev = self.frames(envelopes, self._prev)
        emit_events(self.socketio, events, DISPLAY_NAMESPACE, to=SCREENS_ROOM)


def bridge_devices(relay: Relay, socketio: SocketIO) -> Callable[[], None]:
    """Every event, with its ``seq``, to ``/devices``: device workers get what
    they print (the tracking code for the QR), display and admin tokens the public view."""

    def forward(envelope: Envelope) -> None:
        private, public = envelope.device_message(), envelope.message()
        socketio.emit(envelope.name, private, namespace=DEVICES_NAMESPACE, to=DEVICE_WORKERS_ROOM)
        socketio.emit(envelope.name, public, namespace=DEVICES_NAMESPACE, to=DEVICE_VIEWERS_ROOM)

    return relay.subscribe(forward)


def bridge_batches(
    relay: Relay, socketio: SocketIO, namespace: str, to: str | None = None
) -> Callable[[], None]:
    """Like :func:`bridge`, but an operation's events in one frame (``batch``)."""

    def forward(envelopes: list[Envelope]) -> None:
        events = [(envelope.name, envelope.message()) for envelope in envelopes]
        emit_events(socketio, events, namespace, to)

    return relay.subscribe_batches(forward)
