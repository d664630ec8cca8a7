"""Calls for assistance, live: the ``/assistance`` Socket.IO namespace.

Signed-in help desk staff, volunteers, officers and admins join the room
``assistance`` and get every ``assistance_*`` event; managers join ``assistance:manager``
and get only the calls whose reason alerts them (an upset citizen). Each gets a
``snapshot`` of the calls open or taken on every (re)connect, or, when it names the
last ``seq`` it has, the events it missed and ``resumed`` (``web/resume.py``). Like the
hall display's feed, each event carries ``prev``, the ``seq`` of the event before it in
that room, so a page sees a gap and asks for a new snapshot with ``resync``. These
events never reach ``/display`` (the hall and the kiosks): ``ScreenFeed`` sends only
screen events there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask import Flask, request

# ConnectionRefusedError: re-exported by Flask-SocketIO (documented), missing from its stubs
from flask_socketio import ConnectionRefusedError, SocketIO  # type: ignore[attr-defined]

from queue_server.auth.roles import Role
from queue_server.core.envelope import Envelope
from queue_server.core.events import ASSISTANCE_EVENTS
from queue_server.relay import Relay
from queue_server.web.assistance import assistance_desk
from queue_server.web.realtime import Events, emit_events
from queue_server.web.resume import join_or_resume
from queue_server.web.resync import ResyncLimiter
from queue_server.web.screen_sockets import session_principal, watch_socket

if TYPE_CHECKING:
    from queue_server.runtime import Runtime

NAMESPACE = "/assistance"
HELPERS_ROOM = "assistance"
MANAGER_ROOM = "assistance:manager"
HELPER_ROLES = frozenset({Role.HELPDESK, Role.VOLUNTEER, Role.OFFICER, Role.ADMIN})
FEEDS = "xephang.assistance_feeds"

Wanted = Callable[[Envelope], bool]


def for_helpers(envelope: Envelope) -> bool:
    return envelope.name in ASSISTANCE_EVENTS


def for_manager(envelope: Envelope) -> bool:
    return for_helpers(envelope) and bool(envelope.payload.get("call", {}).get("manager"))


class AssistanceFeed:
    """Relay batch handler: the events ``wanted`` for one room, chained by ``prev``
    (every process computes the same chain from the same ordered outbox)."""

    def __init__(self, socketio: SocketIO, relay: Relay, room: str, wanted: Wanted) -> None:
        self.socketio = socketio
        self.room = room
        self.wanted = wanted
        shown = [e.seq for e in relay.recent() if wanted(e)]
        self._prev = shown[-1] if shown else 0

    def frames(self, envelopes: list[Envelope], prev: int) -> tuple[Events, int]:
        events: Events = []
        for envelope in envelopes:
            if self.wanted(envelope):
                events.append(
                    (envelope.name, {**envelope.payload, "seq": envelope.seq, "prev": prev})
                )
                prev = envelope.seq
        return events, prev

    def replay(self, envelopes: list[Envelope], after: int) -> Events:
        return self.frames(envelopes, after)[0]

    def __call__(self, envelopes: list[Envelope]) -> None:
        events, self._prev = self.frames(envelopes, self._prev)
        emit_events(self.socketio, events, NAMESPACE, to=self.room)


def snapshot(manager: bool) -> dict[str, Any]:
    """The calls open or taken (a manager's: those that alert the manager) and ``seq``."""
    data = assistance_desk().snapshot()
    if manager:
        data["calls"] = [call for call in data["calls"] if call["manager"]]
    return data


def register_assistance(app: Flask, runtime: Runtime) -> None:
    """Feed the two rooms from the relay and serve the namespace."""
    socketio, relay = runtime.socketio, runtime.relay
    feeds = {
        HELPERS_ROOM: AssistanceFeed(socketio, relay, HELPERS_ROOM, for_helpers),
        MANAGER_ROOM: AssistanceFeed(socketio, relay, MANAGER_ROOM, for_manager),
    }
    for feed in feeds.values():
        relay.subscribe_batches(feed)
    app.extensions[FEEDS] = feeds
    limiter = ResyncLimiter(runtime.queue.clock.now)

    def room_of(role: Role) -> str:
        return MANAGER_ROOM if role == Role.MANAGER else HELPERS_ROOM

    @socketio.on("connect", namespace=NAMESPACE)
    def _connect(auth: Any = None) -> None:
        principal = session_principal()
        if principal is None or principal.role not in HELPER_ROLES | {Role.MANAGER}:
            raise ConnectionRefusedError("unauthorized")
        watch_socket(NAMESPACE, principal)
        room = room_of(principal.role)
        manager = room == MANAGER_ROOM
        join_or_resume(NAMESPACE, room, auth, feeds[room].replay, lambda: snapshot(manager))

    @socketio.on("resync", namespace=NAMESPACE)
    def _resync(*_args: Any) -> dict[str, Any]:
        """A fresh snapshot, or ``{"retry_after": s}`` when asked too often."""
        wait = limiter.hit(f"{NAMESPACE}:{request.sid}")  # type: ignore[attr-defined]
        if wait:
            return {"retry_after": wait}
        principal = session_principal()
        return snapshot(principal is not None and principal.role == Role.MANAGER)
