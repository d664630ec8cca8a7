"""Sockets do not outlive their credentials.

Each namespace's connect handler passes the socket to :meth:`SocketGuard.admit` with
the credential that let it in: an API token, or a signed-in user with the
``session_version`` of their cookie. :meth:`SocketGuard.sweep` reads every such
credential in two queries (one for users, one for tokens) and disconnects the sockets
whose token was revoked or has expired, or whose user was disabled or had their
sessions ended (sign-out, role or password change).

The sweep runs in-process right after the admin pages revoke or change something, and
every ``api.socket_check_s`` seconds in a background task (started with the first
socket, ended when none is left or the runtime stops the guard), so that a revocation
made by another process, such as ``xephang token revoke``, is noticed within seconds.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from flask_socketio import SocketIO
from sqlalchemy import select

from queue_server.auth.roles import Principal
from queue_server.core.clock import Clock
from queue_server.core.db import Database
from queue_server.core.models import ApiToken, User
from queue_server.web.state import xephang

log = logging.getLogger(__name__)

# A socket is pending while its connect handler runs; the manager reports it connected
# only afterwards. An admitted socket the manager does not know after this long is gone.
GONE_AFTER_S = 30.0


@dataclass(frozen=True, slots=True)
class Credential:
    """What let a socket in: a token, or a user's session at ``version``."""

    kind: str  # "token" or "user"
    id: int
    version: int | None = None


@dataclass(frozen=True, slots=True)
class _Admitted:
    credential: Credential
    at: float  # monotonic time of the connect


class SocketGuard:
    """The credential of each connected socket, and the sweep that drops stale ones."""

    def __init__(
        self,
        socketio: SocketIO,
        db: Database,
        clock: Clock,
        interval_s: float,
        *,
        background: bool = True,
    ) -> None:
        self.socketio = socketio
        self.db = db
        self.clock = clock
        self.interval_s = interval_s
        self.background = background
        self._sockets: dict[tuple[str, str], _Admitted] = {}  # (namespace, sid) →
        self._lock = threading.Lock()
        self._running = False
        self._started = False

    def start(self) -> None:
        """Allow the background sweep (it starts with the first socket)."""
        with self._lock:
            self._started = True

    def stop(self) -> None:
        """End the background sweep at its next wake-up, and start no new one."""
        with self._lock:
            self._started = False

    @property
    def sweeping(self) -> bool:
        """Whether the background sweep runs."""
        with self._lock:
            return self._running

    def admit(
        self, namespace: str, sid: str, principal: Principal, version: int | None = None
    ) -> None:
        """Remember the socket's credential (a user's ``version`` from their session)."""
        credential = Credential(principal.kind, principal.id, version)
        with self._lock:
            self._sockets[(namespace, sid)] = _Admitted(credential, time.monotonic())
            start = self.background and self._started and not self._running
            self._running = self._running or start
        if start:
            self.socketio.start_background_task(self._run)

    def watched(self) -> int:
        """How many sockets are watched."""
        with self._lock:
            return len(self._sockets)

    def sweep(self) -> int:
        """Disconnect every socket whose credential no longer holds; returns how many."""
        with self._lock:
            sockets = dict(self._sockets)
        if not sockets:
            return 0
        stale = self._stale({a.credential for a in sockets.values()})
        manager = self.socketio.server.manager  # type: ignore[attr-defined]  # not in the stubs
        now = time.monotonic()
        dropped: list[tuple[str, str]] = []
        ended = 0
        for (namespace, sid), admitted in sockets.items():
            if admitted.credential in stale:
                self.socketio.server.disconnect(sid, namespace=namespace)  # type: ignore[attr-defined]  # not in the stubs
                dropped.append((namespace, sid))
                ended += 1
            elif now - admitted.at > GONE_AFTER_S and not manager.is_connected(sid, namespace):
                dropped.append((namespace, sid))
        with self._lock:
            for key in dropped:
                self._sockets.pop(key, None)
        if ended:
            log.info("disconnected %d socket(s) whose credential ended", ended)
        return ended

    def _stale(self, credentials: set[Credential]) -> set[Credential]:
        """The credentials that no longer let a socket in (two queries at most)."""
        user_ids = {c.id for c in credentials if c.kind == "user"}
        token_ids = {c.id for c in credentials if c.kind == "token"}
        users: dict[int, int] = {}
        tokens: set[int] = set()
        now = self.clock.now()
        with self.db.read() as conn:
            if user_ids:
                rows = conn.execute(
                    select(User.id, User.session_version).where(
                        User.id.in_(user_ids), User.active.is_(True)
                    )
                )
                users = {row.id: row.session_version for row in rows}
            if token_ids:
                rows = conn.execute(
                    select(ApiToken.id, ApiToken.expires_at).where(
                        ApiToken.id.in_(token_ids), ApiToken.revoked_at.is_(None)
                    )
                )
                tokens = {row.id for row in rows if row.expires_at is None or now < row.expires_at}
        return {
            c
            for c in credentials
            if (c.kind == "user" and users.get(c.id, -1) != c.version)
            or (c.kind == "token" and c.id not in tokens)
        }

    def _run(self) -> None:
        """Sweep every ``interval_s`` while any socket is watched."""
        while True:
            self.socketio.sleep(self.interval_s)  # type: ignore[arg-type]  # stubs: int; takes float
            with self._lock:
                if not self._started:
                    self._running = False
                    return
            try:
                self.sweep()
            except Exception:  # a database hiccup: try again next time
                log.exception("checking the sockets' credentials failed")
            with self._lock:
                if not self._sockets:
                    self._running = False
                    return


def socket_guard() -> SocketGuard:
    """The app's guard (in a request or socket handler)."""
    return xephang().socket_guard
