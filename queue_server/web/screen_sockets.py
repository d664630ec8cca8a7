"""The screens' Socket.IO namespaces: who may connect, which rooms they join, and the
snapshot that starts (or the frames that resume) each connection.

A screen gets a ``snapshot`` on every (re)connect, then bus events carrying ``seq``; a
client that sees a gap asks again with ``resync`` (acknowledged with a fresh snapshot, or
with ``retry_after`` when the connection asked too often: see ``resync.py``). No payload
carries a ticket's tracking code (see ``TicketView.to_dict``).

- ``/display``: a display (or admin) API token sent as ``auth={"token": …}``, a
  signed-in staff member, or anyone when ``ScreensConfig.display_open`` is set.
  Events reach it through the app's ``realtime.ScreenFeed``.
- ``/officer``: signed-in officers, help-desk staff and admins (session cookie).
  The server puts each client in the ``staff`` room and its counter's room.
- ``/devices``: device worker tokens (room ``workers``: the print events with the
  tracking code for the QR) and display or admin tokens (room ``viewers``: the same
  events without it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import request, session

# ConnectionRefusedError: re-exported by Flask-SocketIO (documented), missing from its stubs
from flask_socketio import (  # type: ignore[attr-defined]
    ConnectionRefusedError,
    SocketIO,
    join_room,
)

from queue_server.auth.roles import Principal, Role
from queue_server.auth.tokens import principal_for_token
from queue_server.web.counter_holders import counter_holders
from queue_server.web.errors import ApiError
from queue_server.web.realtime import (
    DEVICE_VIEWERS_ROOM,
    DEVICE_WORKERS_ROOM,
    DEVICES_NAMESPACE,
    DISPLAY_NAMESPACE,
    SCREENS_ROOM,
)
from queue_server.web.resume import device_frames, join_or_resume, public_frames
from queue_server.web.resync import ResyncLimiter
from queue_server.web.security import VERSION_KEY, current_principal
from queue_server.web.sockets import socket_guard
from queue_server.web.state import xephang

if TYPE_CHECKING:
    from queue_server.runtime import Runtime

OFFICER_NAMESPACE = "/officer"
STAFF_ROOM = "staff"
DISPLAY_ROLES = frozenset({Role.DISPLAY, Role.ADMIN})
# The kiosk listens on /display too (screen events only) to redraw its buttons live.
SCREEN_ROLES = DISPLAY_ROLES | {Role.KIOSK}
STAFF_ROLES = frozenset({Role.OFFICER, Role.HELPDESK, Role.ADMIN})
DEVICES_ROLES = DISPLAY_ROLES | {Role.DEVICE}


def snapshot(state: Runtime, recent: int) -> dict[str, Any]:
    """The queue snapshot with ``seq``, the last event it counts (read together)."""
    return state.queue.snapshot(recent=recent)


def _token_principal(auth: Any) -> Principal | None:
    token = auth.get("token") if isinstance(auth, dict) else None
    if not isinstance(token, str) or not token:
        return None
    state = xephang()
    return principal_for_token(state.queue.db, token, state.queue.clock.now())


def session_principal() -> Principal | None:
    """The signed-in staff member of the socket being connected (session cookie), if any."""
    try:
        principal = current_principal()
    except ApiError:
        return None
    return principal if principal is not None and principal.via_session else None


def watch_socket(namespace: str, principal: Principal) -> None:
    """Have the socket being connected dropped once its credential ends."""
    version = session.get(VERSION_KEY) if principal.via_session else None
    socket_guard().admit(namespace, request.sid, principal, version)  # type: ignore[attr-defined]


def serve_screen_sockets(socketio: SocketIO, limiter: ResyncLimiter) -> None:
    """Serve ``/display``, ``/devices`` and ``/officer`` on ``socketio``; ``limiter``
    bounds how often a connection may ask for ``resync``."""

    def current_snapshot(namespace: str = OFFICER_NAMESPACE) -> dict[str, Any]:
        # The latest call plus the list, with room for recalls (screens keep one per ticket).
        return snapshot(xephang(), 2 * (xephang().screens.recent_calls + 1))

    # The one /display connect handler: screens, with a credential unless the display is open.
    @socketio.on("connect", namespace=DISPLAY_NAMESPACE)
    def _display_connect(auth: Any = None) -> None:
        principal = _token_principal(auth)
        if principal is None or principal.role not in SCREEN_ROLES:
            principal = session_principal()
        if xephang().screens.display_open:  # anyone may watch: no credential to outlive
            principal = None
        elif principal is None:
            raise ConnectionRefusedError("unauthorized")
        else:
            watch_socket(DISPLAY_NAMESPACE, principal)
        join_or_resume(
            DISPLAY_NAMESPACE,
            SCREENS_ROOM,
            auth,
            xephang().screen_feed.replay,
            lambda: current_snapshot(DISPLAY_NAMESPACE),
        )

    @socketio.on("connect", namespace=DEVICES_NAMESPACE)
    def _devices_connect(auth: Any = None) -> None:
        """Device workers in their own process: every event, with its ``seq``.

        Only a device token gets the tracking codes (to print the QR); a display or
        admin token gets the same events without them.
        """
        principal = _token_principal(auth)
        if principal is None or principal.role not in DEVICES_ROLES:
            raise ConnectionRefusedError("unauthorized")
        watch_socket(DEVICES_NAMESPACE, principal)
        room = DEVICE_WORKERS_ROOM if principal.role == Role.DEVICE else DEVICE_VIEWERS_ROOM
        frames = device_frames if room == DEVICE_WORKERS_ROOM else public_frames
        join_or_resume(DEVICES_NAMESPACE, room, auth, frames, lambda: snapshot(xephang(), 0))

    @socketio.on("connect", namespace=OFFICER_NAMESPACE)
    def _officer_connect(auth: Any = None) -> None:
        principal = session_principal()
        if principal is None or principal.role not in STAFF_ROLES:
            raise ConnectionRefusedError("unauthorized")
        watch_socket(OFFICER_NAMESPACE, principal)
        if principal.counter is not None:
            join_room(f"counter:{principal.counter}", namespace=OFFICER_NAMESPACE)
            counter_holders().hold(request.sid, principal.counter, principal.name)  # type: ignore[attr-defined]
        join_or_resume(OFFICER_NAMESPACE, STAFF_ROOM, auth, public_frames, current_snapshot)

    @socketio.on("disconnect", namespace=OFFICER_NAMESPACE)
    def _officer_disconnect(*_args: Any) -> None:
        counter_holders().release(request.sid)  # type: ignore[attr-defined]

    for namespace in (DISPLAY_NAMESPACE, OFFICER_NAMESPACE):

        def _resync(*_args: Any, namespace: str = namespace) -> dict[str, Any]:
            """A client saw a gap in ``seq``: the acknowledgement is a new snapshot,
            or ``{"retry_after": s}`` when this connection asked too often."""
            wait = limiter.hit(f"{namespace}:{request.sid}")  # type: ignore[attr-defined]
            if wait:
                return {"retry_after": wait}
            return current_snapshot(namespace)

        socketio.on_event("resync", _resync, namespace=namespace)
