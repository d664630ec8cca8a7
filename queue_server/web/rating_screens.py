"""The counter's rating tablet (``/rate/<n>``) and the public tracking page (``/track/<code>``).

Socket.IO namespace ``/rate``: a rating token (``auth={"token": …}``) of counter n puts
the tablet in the room ``counter:<n>``; it gets ``state`` (the ticket awaiting a rating,
if any) on every (re)connect, ``ask`` when the officer finishes a ticket there,
``rated`` when a ticket of that counter was rated (from either side) and
``settings_changed`` when an admin changed settings (a renamed counter). Scores never
travel on the socket; the rating itself is an HTTP POST.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Flask, Response, make_response, request, url_for

# ConnectionRefusedError: re-exported by Flask-SocketIO (documented), missing from its stubs
from flask_socketio import (  # type: ignore[attr-defined]
    ConnectionRefusedError,
    SocketIO,
    emit,
    join_room,
)

from queue_server.auth.roles import Role
from queue_server.auth.tokens import principal_for_token
from queue_server.core.envelope import Envelope
from queue_server.core.errors import NotFound
from queue_server.core.events import SettingsChanged, TicketChanged
from queue_server.core.models import TicketStatus
from queue_server.core.ratings import TicketRated
from queue_server.web.api.tickets import TRACK_CODE, public_track_view
from queue_server.web.feedback_screens import citizen_form_data
from queue_server.web.ratings import RatingsState, counter_state, ratings_state
from queue_server.web.result_pages import slip_data
from queue_server.web.results import result_slips
from queue_server.web.screen_render import render_screen
from queue_server.web.sockets import socket_guard
from queue_server.web.state import xephang

if TYPE_CHECKING:
    from queue_server.runtime import Runtime

RATE_NAMESPACE = "/rate"

rating_pages = Blueprint("rating_pages", __name__)


def counter_room(number: int) -> str:
    return f"counter:{number}"


def _reasons(languages: list[str]) -> list[dict[str, Any]]:
    config = ratings_state().service.config
    return [
        {"code": r.code, "labels": {lang: r.label(lang) for lang in languages}}
        for r in config.reasons
    ]


def _rating_data(languages: list[str]) -> dict[str, Any]:
    config = ratings_state().service.config
    return {
        "reasons": _reasons(languages),
        "timeout_s": config.timeout_s,
        "thanks_s": config.thanks_s,
        "refresh_s": config.track_refresh_s,
    }


def _languages() -> list[str]:
    center = xephang().settings.center
    second = center.second_language if center.second_language != center.language else None
    return [center.language] + ([second] if second else [])


@rating_pages.get("/rate/<int:number>")
def rate_page(number: int) -> Response:
    """The tablet at counter ``number`` (open it once with ``?token=…``)."""
    counter = xephang().queue.catalogue.counters.get(number)
    if counter is None:
        return make_response(render_screen("rate", missing=True), 404)
    return make_response(
        render_screen(
            "rate",
            missing=False,
            counter={"number": counter.number, "name": counter.name},
            ratings=_rating_data(_languages()),
            feedback_max=xephang().settings.feedback.max_chars,
        )
    )


@rating_pages.get("/track/<track_code>")
def track_page(track_code: str) -> Response:
    """Where a ticket is, and its rating once served. The printed QR code opens it."""
    try:
        if not TRACK_CODE.match(track_code):
            raise NotFound("")
        ticket = xephang().queue.ticket_by_track_code(track_code)
    except NotFound:
        return make_response(render_screen("track", missing=True), 404)
    rating = ratings_state().service.track_state(track_code)
    view = public_track_view(ticket) | {"issued_at": ticket.issued_at.isoformat()}
    counters = {c.number: c.name for c in xephang().queue.catalogue.counters.values()}
    return make_response(
        render_screen(
            "track",
            missing=False,
            code=track_code,
            ticket=view,
            rating_state=rating,
            counters=counters,
            ratings=_rating_data(_languages()),
            **citizen_form_data(),
            slip=_slip(ticket.id),
        )
    )


def _slip(ticket_id: int) -> dict[str, Any] | None:
    """The ticket's result slip, if one was given: for its holder only."""
    slip = result_slips().for_ticket(ticket_id)
    if slip is None:
        return None
    return {**slip_data(slip), "url": url_for("result_pages.slip_page", code=slip.code)}


def _serve_namespace(socketio: SocketIO) -> None:
    @socketio.on("connect", namespace=RATE_NAMESPACE)
    def _connect(auth: Any = None) -> None:
        token = auth.get("token") if isinstance(auth, dict) else None
        state = xephang()
        principal = None
        if isinstance(token, str) and token:
            principal = principal_for_token(state.queue.db, token, state.queue.clock.now())
        if principal is None or principal.role != Role.RATING or principal.counter is None:
            raise ConnectionRefusedError("unauthorized")
        socket_guard().admit(RATE_NAMESPACE, request.sid, principal)  # type: ignore[attr-defined]
        join_room(counter_room(principal.counter), namespace=RATE_NAMESPACE)
        emit("state", counter_state(ratings_state().service, principal.counter))


def _finished_at_counter(data: dict[str, Any]) -> bool:
    ticket = data["ticket"]
    return bool(
        data["action"] == "finish"
        and ticket["status"] == TicketStatus.DONE
        and ticket["counter"] is not None
    )


def _bridge(state: Runtime, ratings: RatingsState, socketio: SocketIO) -> None:
    """Finishes and ratings of a counter's tickets to that counter's tablet; settings
    changes to every tablet."""

    def forward(envelope: Envelope) -> None:
        kind, data = envelope.event_type, envelope.payload
        if kind is TicketChanged and _finished_at_counter(data):
            at = datetime.fromisoformat(data["at"])
            pending = ratings.service.pending_for_finished(data["ticket"], at)
            message: dict[str, Any] = {"pending": pending.to_dict(), "at": data["at"]}
            room = counter_room(data["ticket"]["counter"])
            socketio.emit("ask", message, namespace=RATE_NAMESPACE, to=room)
        elif kind is TicketRated and data["counter"] is not None:
            message = {"ticket_id": data["ticket_id"], "at": data["at"]}
            socketio.emit(
                "rated", message, namespace=RATE_NAMESPACE, to=counter_room(data["counter"])
            )
        elif kind is SettingsChanged:
            socketio.emit(envelope.name, envelope.payload, namespace=RATE_NAMESPACE)

    state.relay.subscribe(forward)


def register_rating_screens(app: Flask, runtime: Runtime) -> None:
    """Serve the tablet and tracking pages and the ``/rate`` namespace on ``app``."""
    app.register_blueprint(rating_pages)
    _serve_namespace(runtime.socketio)
    _bridge(runtime, runtime.ratings, runtime.socketio)
