"""Live screens: hall display, kiosk, officer console and help desk (pages + Socket.IO).

Pages are plain HTML from ``display/templates`` with scripts from ``display/static``;
they hold no data of their own. Screens get the state over Socket.IO: a ``snapshot``
on every (re)connect, then bus events carrying ``seq``; a client that sees a gap asks
again with ``resync`` (acknowledged with a fresh snapshot, or with ``retry_after``
when the connection asked too often: see ``resync.py``). Commands stay HTTP POSTs.
No payload carries a ticket's tracking code (see ``TicketView.to_dict``).

Namespaces:

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

from pathlib import Path
from typing import TYPE_CHECKING, Any

import fontpkg_be_vietnam_pro
from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    jsonify,
    render_template,
    request,
    send_from_directory,
    session,
)

# ConnectionRefusedError: re-exported by Flask-SocketIO (documented), missing from its stubs
from flask_socketio import (  # type: ignore[attr-defined]
    ConnectionRefusedError,
    SocketIO,
    join_room,
)
from sqlalchemy import func, select

from queue_server.auth.roles import Principal, Role
from queue_server.auth.tokens import principal_for_token
from queue_server.core.clock import local_day
from queue_server.core.models import Ticket, TicketStatus
from queue_server.i18n import _
from queue_server.web.appointments import appointment_data
from queue_server.web.assistance import page_reasons
from queue_server.web.counter_holders import counter_holders
from queue_server.web.errors import ApiError
from queue_server.web.feedback_screens import feedback_form_data
from queue_server.web.outreach_screens import outreach_lines
from queue_server.web.paper import paper_form_data
from queue_server.web.ratings import ratings_state
from queue_server.web.realtime import (
    DEVICE_VIEWERS_ROOM,
    DEVICE_WORKERS_ROOM,
    DEVICES_NAMESPACE,
    DISPLAY_NAMESPACE,
    SCREENS_ROOM,
    bridge_batches,
)
from queue_server.web.results import CODE_ALPHABET, officer_slip_data
from queue_server.web.resume import device_frames, join_or_resume, public_frames
from queue_server.web.resync import ResyncLimiter
from queue_server.web.security import VERSION_KEY, current_principal, signed_in
from queue_server.web.sockets import socket_guard
from queue_server.web.state import xephang
from xephang import display as display_package
from xephang.display.config import ScreensConfig
from xephang.display.icons import icon
from xephang.display.texts import LANGUAGE_NAMES, texts
from xephang.langpack import language_direction, language_name

if TYPE_CHECKING:
    from queue_server.runtime import Runtime

OFFICER_NAMESPACE = "/officer"
STAFF_ROOM = "staff"
DISPLAY_ROLES = frozenset({Role.DISPLAY, Role.ADMIN})
# The kiosk listens on /display too (screen events only) to redraw its buttons live.
SCREEN_ROLES = DISPLAY_ROLES | {Role.KIOSK}
STAFF_ROLES = frozenset({Role.OFFICER, Role.HELPDESK, Role.ADMIN})
DEVICES_ROLES = DISPLAY_ROLES | {Role.DEVICE}
PACKAGE_DIR = Path(display_package.__file__).resolve().parent
FONT_DIR = Path(fontpkg_be_vietnam_pro.__file__).with_name("files")
FONT_FILES = frozenset(
    {"BeVietnamPro-Regular.ttf", "BeVietnamPro-SemiBold.ttf", "BeVietnamPro-Bold.ttf"}
)


screens = Blueprint(
    "screens",
    __name__,
    static_folder=str(PACKAGE_DIR / "static"),
    static_url_path="/screens/static",
    template_folder=str(PACKAGE_DIR / "templates"),
)


def _config() -> ScreensConfig:
    return xephang().screens


def snapshot(state: Runtime, recent: int) -> dict[str, Any]:
    """The queue snapshot with ``seq``, the last event it counts (read together)."""
    return state.queue.snapshot(recent=recent)


# ------------------------------------------------------------------------ pages
def _page_data(page: str) -> dict[str, Any]:
    """Languages, texts and catalogue facts a page's script needs."""
    settings = xephang().settings
    center = settings.center
    primary = center.language
    second = center.second_language if center.second_language != primary else None
    languages = [primary] + ([second] if second else [])
    return {
        "page": page,
        "languages": languages,
        "language_names": {code: language_name(code, LANGUAGE_NAMES) for code in languages},
        "directions": {code: language_direction(code) for code in languages},
        "texts": {code: texts(page, code) for code in languages},
        "center": {"name": center.name, "short_name": center.short_name or center.name},
        "timezone": center.timezone,
        "notice": center.notice,
        "outreach": outreach_lines(),  # the next outreach sessions (web/outreach_screens.py)
        # exactly one plays the calls: the displays, or this machine's loudspeaker
        "config": _config().model_dump()
        | {"announce": _config().announce and not settings.speaker_plays},
        "voice": settings.voice.enabled,
    }


def _render(page: str, **extra: Any) -> str:
    data = _page_data(page) | extra
    primary = data["languages"][0]
    second = data["languages"][1] if len(data["languages"]) > 1 else None
    return render_template(
        f"screens/{page}.html",
        data=data,
        lang=primary,
        t=data["texts"][primary],
        t2=_differing(data["texts"][second], data["texts"][primary]) if second else {},
        icon=icon,
    )


def _differing(second: dict[str, str], first: dict[str, str]) -> dict[str, str]:
    """The second language's texts that differ from the first (a text a language pack
    does not translate yet falls back to the first and is not shown twice)."""
    return {key: text for key, text in second.items() if text != first.get(key)}


def _services(second: str | None) -> list[dict[str, Any]]:
    return [
        {
            "code": s.code,
            "name": s.name,
            "label": s.labels.get(second, "") if second else "",
            "labels": dict(s.labels),
            "icon": s.icon,
            "helpdesk": s.helpdesk,
            "results": s.results,
        }
        for s in xephang().settings.services
        if s.active
    ]


def _priorities(*, kiosk: bool) -> list[dict[str, Any]]:
    second = xephang().settings.center.second_language
    return [
        {
            "code": p.code,
            "name": p.name,
            "label": p.labels.get(second, "") if second else "",
            "labels": dict(p.labels),
            "icon": p.icon or ("emergency" if p.emergency else None),
            "emergency": p.emergency,
        }
        for p in xephang().settings.priorities
        if p.active and (not kiosk or (p.kiosk and not p.emergency))
    ]


@screens.get("/screens/fonts/<name>")
def font(name: str) -> Response:
    """Be Vietnam Pro from its Python package (every Vietnamese letter, no download)."""
    if name not in FONT_FILES:
        abort(404)
    response = send_from_directory(FONT_DIR, name, mimetype="font/ttf", max_age=86400)
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@screens.get("/display")
def display_page() -> str:
    return _render("display")


@screens.get("/kiosk")
def kiosk_page() -> str:
    second = xephang().settings.center.second_language
    return _render(
        "kiosk",
        services=_services(second),
        priorities=_priorities(kiosk=True),
        code_keys=CODE_ALPHABET,
        **appointment_data(from_tomorrow=True),
    )


@screens.get("/officer")
def officer_page() -> str | Response:
    principal = signed_in(Role.OFFICER)
    if isinstance(principal, Response):
        return principal
    settings = xephang().settings
    counters = [{"number": c.number, "name": c.name} for c in settings.counters if c.active]
    second = settings.center.second_language
    return _render(
        "officer",
        counters=counters,
        services=_services(second),
        priorities=_priorities(kiosk=False),
        reasons=page_reasons(second),
        user=principal.name,
        **officer_slip_data(settings, xephang().queue.today()),
        **paper_form_data(),
    )


@screens.get("/helpdesk")
def helpdesk_page() -> str | Response:
    principal = signed_in(Role.HELPDESK)
    if isinstance(principal, Response):
        return principal
    second = xephang().settings.center.second_language
    return _render(
        "helpdesk",
        services=_services(second),
        priorities=_priorities(kiosk=False),
        kinds=_kinds(second),
        reasons=page_reasons(second),
        user=principal.name,
        role=principal.role.value,
        contact_days=xephang().settings.privacy.contact_days,
        visit_days=xephang().settings.privacy.visit_days,
        **feedback_form_data(),
        **appointment_data(),
        **paper_form_data(),
    )


def _kinds(second: str | None) -> list[dict[str, Any]]:
    return [
        {"code": k.code, "name": k.name, "label": k.labels.get(second, "") if second else ""}
        for k in xephang().settings.assists.active_kinds()
    ]


@screens.get("/assist")
def assist_page() -> str | Response:
    """Volunteers (and the help desk, officers) record help and answer calls for help on
    a phone; the manager sees the calls that alert them."""
    principal = signed_in(Role.VOLUNTEER, Role.HELPDESK, Role.OFFICER, Role.MANAGER)
    if isinstance(principal, Response):
        return principal
    second = xephang().settings.center.second_language
    return _render(
        "assist",
        services=_services(second),
        priorities=_priorities(kiosk=False),
        kinds=_kinds(second),
        reasons=page_reasons(second),
        user=principal.name,
        role=principal.role.value,
    )


@screens.get("/officer/summary")
def officer_summary() -> Response:
    """Tickets the signed-in officer's counter finished today, and their own ratings."""
    principal = signed_in(Role.OFFICER)
    if isinstance(principal, Response):
        raise ApiError(401, _("Sign in or send an API token."))
    state = xephang()
    number = principal.counter
    ratings = own_ratings_today(principal)
    if number is None or number not in state.queue.catalogue.counters:
        return jsonify({"counter": None, "served_today": 0, "ratings": ratings})
    counter_id = state.queue.catalogue.counters[number].id
    return jsonify(
        {"counter": number, "served_today": served_today(state, counter_id), "ratings": ratings}
    )


def own_ratings_today(principal: Principal) -> dict[str, Any]:
    """The officer's own ratings today as counts only; the breakdown only from
    ``ratings.officer_min_count`` ratings, so that no single citizen's answer shows."""
    service = ratings_state().service
    tally = service.officer_tally(principal.id)
    minimum = service.config.officer_min_count
    summary: dict[str, Any] = {"count": tally.count, "min_count": minimum}
    if tally.count >= minimum:
        summary |= tally.to_dict()
    return summary


def served_today(state: Runtime, counter_id: int) -> int:
    """How many tickets the counter finished (done) today."""
    day = local_day(state.queue.clock.now(), state.queue.options.zone)
    with state.queue.db.read() as conn:
        return int(
            conn.execute(
                select(func.count())
                .select_from(Ticket)
                .where(
                    Ticket.counter_id == counter_id,
                    Ticket.day == day,
                    Ticket.status == TicketStatus.DONE,
                )
            ).scalar_one()
        )


# --------------------------------------------------------------------- sockets
def _token_principal(auth: Any) -> Principal | None:
    token = auth.get("token") if isinstance(auth, dict) else None
    if not isinstance(token, str) or not token:
        return None
    state = xephang()
    return principal_for_token(state.queue.db, token, state.queue.clock.now())


def _session_principal() -> Principal | None:
    try:
        principal = current_principal()
    except ApiError:
        return None
    return principal if principal is not None and principal.via_session else None


def _watch(namespace: str, principal: Principal) -> None:
    """Have the socket being connected dropped once its credential ends."""
    version = session.get(VERSION_KEY) if principal.via_session else None
    socket_guard().admit(namespace, request.sid, principal, version)  # type: ignore[attr-defined]


def _serve_namespaces(socketio: SocketIO, limiter: ResyncLimiter) -> None:
    def current_snapshot(namespace: str = OFFICER_NAMESPACE) -> dict[str, Any]:
        # The latest call plus the list, with room for recalls (screens keep one per ticket).
        return snapshot(xephang(), 2 * (_config().recent_calls + 1))

    # The one /display connect handler: screens, with a credential unless the display is open.
    @socketio.on("connect", namespace=DISPLAY_NAMESPACE)
    def _display_connect(auth: Any = None) -> None:
        principal = _token_principal(auth)
        if principal is None or principal.role not in SCREEN_ROLES:
            principal = _session_principal()
        if _config().display_open:  # anyone may watch: no credential to outlive
            principal = None
        elif principal is None:
            raise ConnectionRefusedError("unauthorized")
        else:
            _watch(DISPLAY_NAMESPACE, principal)
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
        _watch(DEVICES_NAMESPACE, principal)
        room = DEVICE_WORKERS_ROOM if principal.role == Role.DEVICE else DEVICE_VIEWERS_ROOM
        frames = device_frames if room == DEVICE_WORKERS_ROOM else public_frames
        join_or_resume(DEVICES_NAMESPACE, room, auth, frames, lambda: snapshot(xephang(), 0))

    @socketio.on("connect", namespace=OFFICER_NAMESPACE)
    def _officer_connect(auth: Any = None) -> None:
        principal = _session_principal()
        if principal is None or principal.role not in STAFF_ROLES:
            raise ConnectionRefusedError("unauthorized")
        _watch(OFFICER_NAMESPACE, principal)
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


def register_screens(app: Flask, runtime: Runtime) -> None:
    """Serve the screen pages and their Socket.IO namespaces on ``app``.

    Every event (with its ``seq``) goes to the ``staff`` room of ``/officer``,
    an operation's events in one ``batch`` frame. The configuration is the runtime's
    ``screens`` (``settings.screens``).
    """
    app.register_blueprint(screens)
    _serve_namespaces(runtime.socketio, ResyncLimiter(runtime.queue.clock.now))
    bridge_batches(runtime.relay, runtime.socketio, OFFICER_NAMESPACE, to=STAFF_ROOM)
