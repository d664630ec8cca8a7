"""A client that reconnects names the last ``seq`` it has and gets what it missed.

Screens, officer consoles and device workers send ``{"after": seq}`` with their
credentials when they reconnect (to this process or another). While the relay still
keeps every event after that one, they get those events (what their namespace shows)
and ``resumed``; otherwise, or on a first connect, a ``snapshot``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_socketio import emit, join_room

from queue_server.core.envelope import Envelope
from queue_server.web.realtime import BATCH_EVENT, Events
from queue_server.web.state import xephang

Frames = Callable[[list[Envelope], int], Events]  # the envelopes missed, the client's seq


def public_frames(envelopes: list[Envelope], _prev: int) -> Events:
    """Every event as staff and display tokens get it (no tracking code)."""
    return [(envelope.name, envelope.message()) for envelope in envelopes]


def device_frames(envelopes: list[Envelope], _prev: int) -> Events:
    """Every event as a device worker gets it (with what it prints)."""
    return [(envelope.name, envelope.device_message()) for envelope in envelopes]


def join_or_resume(
    namespace: str,
    room: str,
    auth: Any,
    frames: Frames,
    take_snapshot: Callable[[], dict[str, Any]],
) -> None:
    """Join ``room``, then send what the client missed since the ``after`` it names
    (its last ``seq``) and ``resumed``; or, when those events are no longer all kept or
    it names none, a ``snapshot``. The relay holds still meanwhile, so no event slips
    between the two; later ones come through the room as for everyone.
    """
    after = auth.get("after") if isinstance(auth, dict) else None
    relay = xephang().relay
    if isinstance(after, int) and not isinstance(after, bool) and after >= 0:
        plausible = _plausible(after)
        with relay.holding_still():
            missed = relay.since(after) if plausible else None
            if missed is not None:
                join_room(room, namespace=namespace)
                emit_here(frames(missed, after))
                emit("resumed", {"seq": max(after, relay.last_seq)})
                return
    join_room(room, namespace=namespace)
    emit("snapshot", take_snapshot())


def _plausible(after: int) -> bool:
    """A client's ``after`` no later than the outbox (one from before a reset is not).
    A client from another process may be ahead of this one: this relay catches up
    first, so that it sends such a client nothing it already has."""
    relay = xephang().relay
    if after > relay.last_seq:
        relay.catch_up()
    return after <= relay.last_seq


def emit_here(events: Events) -> None:
    """``events`` to the client being served: one as itself, several as ``batch``."""
    if len(events) == 1:
        emit(*events[0])
    elif events:
        emit(BATCH_EVENT, [[name, payload] for name, payload in events])
