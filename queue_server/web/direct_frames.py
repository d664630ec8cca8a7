"""Socket.IO frames written straight to each WebSocket (the gevent server only).

Engine.IO puts every packet for a client in that client's queue; the client's writer
greenlet takes it, frames it (through wsproto) and sends it: a queue hand-over, a
greenlet switch and a framing per screen per frame, about 25 µs of the server's CPU
(``bench/realtime.py --clients 1,50``). Here a packet sent to many clients is framed
once (a server's WebSocket frames are not masked, so every client gets the same bytes)
and written with one non-blocking ``write`` per client, in the greenlet that emits:
12–17 µs, most of it the ``write`` itself.

Order and whole frames are kept:

- A client goes the usual way (its queue) while anything waits in its queue, while its
  writer is sending, or when its socket would block: what is queued goes out first, and
  a slow screen never holds up the others.
- The writer's sends take the connection's lock; a frame written only in part keeps the
  lock until a greenlet has sent the rest, so nothing lands inside it.
- Only plain WebSocket connections (no extension, no long-polling) are written to.

Under gevent nothing runs between a check and the write that follows it, which is why
this is installed only in gevent mode.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from typing import Any

from flask_socketio import SocketIO
from prometheus_client.core import CounterMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector
from wsproto.frame_protocol import FrameProtocol

log = logging.getLogger(__name__)

EXTENSIONS = "HTTP_SEC_WEBSOCKET_EXTENSIONS"  # a client's offer (compression)


def text_frame(text: str) -> bytes:
    """One whole, unmasked WebSocket text frame carrying ``text``, framed by wsproto as
    Engine.IO's own sends are (once per packet, whatever the number of clients)."""
    return bytes(FrameProtocol(client=False, extensions=[]).send_data(text, fin=True))


class Connection:
    """One client's WebSocket: direct writes and the writer's sends, never interleaved."""

    def __init__(self, sock: Any) -> None:
        from gevent.lock import Semaphore

        self.sock = sock  # gevent's socket (non-blocking underneath)
        self.lock = Semaphore()
        self.busy = 0  # sends under way or waiting for the lock

    def send(self, send: Any, message: Any) -> Any:
        """The writer's send (pings, packets queued for this client), under the lock."""
        self.busy += 1
        try:
            with self.lock:
                return send(message)
        finally:
            self.busy -= 1

    def write_now(self, frame: bytes) -> bool:
        """Write ``frame`` now unless that could reorder or block; True if it is sent
        (or its rest will be, by a greenlet that keeps the lock until then)."""
        if self.busy:
            return False
        # The descriptor as it is now: -1 once closed (a closed one's number may already
        # belong to another connection).
        try:
            sent = os.write(self.sock.fileno(), frame)
        except OSError:  # would block, or broken: the queue's way decides
            return False
        if sent < len(frame):
            from gevent import spawn

            self.busy += 1
            self.lock.acquire()  # free: nothing was busy
            spawn(self._finish, memoryview(frame)[sent:])
        return True

    def _finish(self, rest: memoryview) -> None:
        try:
            self.sock.sendall(rest)
        except OSError:
            pass  # the connection broke: its reader notices and closes it
        finally:
            self.busy -= 1
            self.lock.release()


class DirectFrames:
    """Installed on ``socketio``'s Engine.IO server (gevent mode): packets are written
    straight to clients' WebSockets where :class:`Connection` allows it."""

    def __init__(self, socketio: SocketIO) -> None:
        server = socketio.server  # type: ignore[attr-defined]  # not in the stubs
        self.eio = server.eio
        self.connections: dict[str, Connection] = {}
        self.direct = 0  # packets written straight (PacketCounts exposes both counts)
        self.queued = 0  # packets that went through a client's queue
        self._packet: Any = None  # the last packet framed, and its frame
        self._frame = b""
        self._queue_send = self.eio.send_packet
        self.eio._async = {**self.eio._async, "websocket": self._websocket_class()}
        self.eio.send_packet = self.send_packet

    def _websocket_class(self) -> type:
        base = self.eio._async["websocket"]
        connections = self.connections

        class TrackedWebSocket(base):  # type: ignore[misc, valid-type]
            """Engine.IO's WebSocket, known by its session id while its handler runs."""

            app: Any  # set by Engine.IO: the handler of the connection
            connection: Connection | None = None

            def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
                handler: Any = self.app  # the Engine.IO socket's bound ``_websocket_handler``
                sid: str = getattr(getattr(handler, "__self__", None), "sid", "")
                plain = EXTENSIONS not in environ  # nothing to negotiate: no compression

                def tracked(ws: Any) -> Any:
                    # simple-websocket's connection is open (handshake done) by now.
                    sock = getattr(getattr(ws, "ws", None), "sock", None)
                    if sid and plain and sock is not None and not os.get_blocking(sock.fileno()):
                        self.connection = connections[sid] = Connection(sock)
                    try:
                        return handler(ws)
                    finally:
                        if self.connection is not None and connections.get(sid) is self.connection:
                            del connections[sid]

                self.app = tracked
                return super().__call__(environ, start_response)

            def send(self, message: Any) -> Any:
                if self.connection is None:
                    return super().send(message)
                return self.connection.send(super().send, message)

        return TrackedWebSocket

    def send_packet(self, sid: str, pkt: Any) -> None:
        """Engine.IO's ``send_packet``: straight to the WebSocket if allowed, else queued."""
        connection = self.connections.get(sid)
        socket = self.eio.sockets.get(sid)
        if (
            connection is not None
            and socket is not None
            and socket.upgraded
            and not socket.closed
            and socket.queue.empty()
            and socket.check_ping_timeout()
        ):
            if pkt is not self._packet:
                encoded = pkt.encode()
                self._packet = pkt
                self._frame = text_frame(encoded) if isinstance(encoded, str) else b""
            if self._frame and connection.write_now(self._frame):
                self.direct += 1
                return
        self.queued += 1
        self._queue_send(sid, pkt)


def install_direct_frames(socketio: SocketIO) -> DirectFrames | None:
    """:class:`DirectFrames` on ``socketio`` if it runs under gevent and its Engine.IO
    has the parts this module relies on; else None (every packet goes the usual way)."""
    eio: Any = getattr(getattr(socketio, "server", None), "eio", None)
    if getattr(eio, "async_mode", None) != "gevent":
        return None
    drivers = getattr(eio, "_async", None)
    if not (
        isinstance(drivers, dict)
        and "websocket" in drivers
        and isinstance(getattr(eio, "sockets", None), dict)
    ):
        log.warning("Engine.IO is not as expected: screens' frames go through its queues")
        return None
    return DirectFrames(socketio)


class PacketCounts(Collector):
    """``xephang_socket_packets_total{path}``: Socket.IO packets written straight to a
    WebSocket (``direct``) or through a client's queue (``queued``), read at scrape time."""

    def __init__(self, frames: DirectFrames) -> None:
        self._frames = frames

    def collect(self) -> Iterable[Metric]:
        family = CounterMetricFamily(
            "xephang_socket_packets",
            "Socket.IO packets sent since start: written straight to the WebSocket, or queued.",
            labels=["path"],
        )
        family.add_metric(["direct"], self._frames.direct)
        family.add_metric(["queued"], self._frames.queued)
        yield family
