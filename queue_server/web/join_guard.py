"""Close Engine.IO connections that join no Socket.IO namespace in time.

A bare ``GET /socket.io/?EIO=4&transport=websocket`` opens an Engine.IO session that
costs the server a connection until the heartbeat gives up (45 s). Every screen joins
its namespace with its token within a second of connecting; a connection that is not
in any namespace ``timeout_s`` after it opened (it sent nothing, or its token was
refused) is closed by one background task that runs only while connections wait.

Closing sends Engine.IO's and the WebSocket's close frames, then shuts the TCP socket
down: a client that never answers the close frame would otherwise keep the connection
(and the server's reader for it) until it sent something.

An attacker that opens many bare connections at once and reopens each one as soon as it
is closed would come back in one burst of handshakes every ``timeout_s`` (every request
waits behind it). Each deadline is therefore drawn between half and all of
``timeout_s``, and at most ``MAX_CLOSES_PER_SWEEP`` are closed per sweep, so the
reconnections spread out instead of arriving together.
"""

from __future__ import annotations

import contextlib
import random
import socket
import threading
import time
from typing import Any

from flask_socketio import SocketIO

SWEEP_S = 0.5
MAX_CLOSES_PER_SWEEP = 20  # 40 closes a second at most: reconnections come spread out


class JoinGuard:
    """Watches new Engine.IO sessions of ``socketio`` until they join a namespace."""

    def __init__(self, socketio: SocketIO, timeout_s: float) -> None:
        self.socketio = socketio
        self.timeout_s = timeout_s
        self._deadlines: dict[str, float] = {}
        self._lock = threading.Lock()
        self._sweeping = False
        # SocketIO.server (python-socketio's Server) is left out of the Flask-SocketIO stubs
        # as internal; these ignores mark our reliance on it.
        server = socketio.server  # type: ignore[attr-defined]  # not in the stubs
        on_connect = server.eio.handlers["connect"]

        def connect(eio_sid: str, environ: dict[str, Any], *args: Any) -> Any:
            self.watch(eio_sid)
            return on_connect(eio_sid, environ, *args)

        server.eio.on("connect", connect)

    def watch(self, eio_sid: str) -> None:
        """Close ``eio_sid`` unless it joins a namespace within ``timeout_s``."""
        with self._lock:
            spread = random.uniform(0.5, 1.0)  # spreading, not a secret
            self._deadlines[eio_sid] = time.monotonic() + self.timeout_s * spread
            if self._sweeping:
                return
            self._sweeping = True
        self.socketio.start_background_task(self._sweep)

    def joined(self, eio_sid: str) -> bool:
        """Whether ``eio_sid`` is connected to at least one namespace."""
        manager = self.socketio.server.manager  # type: ignore[attr-defined]  # not in the stubs
        for namespace in list(manager.get_namespaces()):
            sid = manager.sid_from_eio_sid(eio_sid, namespace)
            if sid is not None and manager.is_connected(sid, namespace):
                return True
        return False

    def close(self, eio_sid: str) -> None:
        """Close the Engine.IO session ``eio_sid`` and shut its TCP connection down."""
        environ = self.socketio.server.environ.get(eio_sid) or {}  # type: ignore[attr-defined]  # not in the stubs
        sock = environ.get("gunicorn.socket") or environ.get("werkzeug.socket")
        self.socketio.server.eio.disconnect(eio_sid)  # type: ignore[attr-defined]  # not in the stubs
        if isinstance(sock, socket.socket):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def _sweep(self) -> None:
        """Until nothing waits: close (a few at a time) the sessions past their deadline
        that joined nothing; forget the others."""
        while True:
            self.socketio.sleep(SWEEP_S)  # type: ignore[arg-type]  # stubs: int; takes float
            now = time.monotonic()
            with self._lock:
                due = sorted(
                    (deadline, sid) for sid, deadline in self._deadlines.items() if deadline <= now
                )[:MAX_CLOSES_PER_SWEEP]
                for _deadline, sid in due:
                    del self._deadlines[sid]
            for _deadline, sid in due:
                if not self.joined(sid):
                    self.socketio.start_background_task(self.close, sid)
            with self._lock:
                if not self._deadlines:
                    self._sweeping = False
                    return
