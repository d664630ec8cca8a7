"""Live screens: hall display, kiosk, officer console and help desk (pages + Socket.IO).

Pages are plain HTML from ``display/templates`` with scripts from ``display/static``,
drawn by :func:`~queue_server.web.screen_render.render_screen`; they hold no data of their
own. Screens get the state over Socket.IO (``screen_sockets.py``: a snapshot on every
(re)connect, then bus events); commands stay HTTP POSTs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import fontpkg_be_vietnam_pro
from flask import Blueprint, Flask, Response, abort, jsonify, send_from_directory
from sqlalchemy import func, select

from queue_server.auth.roles import Principal, Role
from queue_server.core.clock import local_day
from queue_server.core.models import Ticket, TicketStatus
from queue_server.i18n import _
from queue_server.web.appointments import appointment_data
from queue_server.web.assistance import page_reasons
from queue_server.web.errors import ApiError
from queue_server.web.feedback_screens import feedback_form_data
from queue_server.web.paper import paper_form_data
from queue_server.web.ratings import ratings_state
from queue_server.web.realtime import bridge_batches
from queue_server.web.results import CODE_ALPHABET, officer_slip_data
from queue_server.web.resync import ResyncLimiter
from queue_server.web.screen_render import (
    help_kinds,
    render_screen,
    screen_priorities,
    screen_services,
)
from queue_server.web.screen_sockets import OFFICER_NAMESPACE, STAFF_ROOM, serve_screen_sockets
from queue_server.web.security import signed_in
from queue_server.web.state import xephang
from xephang import display as display_package

if TYPE_CHECKING:
    from queue_server.runtime import Runtime

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
    return render_screen("display")


@screens.get("/kiosk")
def kiosk_page() -> str:
    second = xephang().settings.center.second_language
    return render_screen(
        "kiosk",
        services=screen_services(second),
        priorities=screen_priorities(kiosk=True),
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
    return render_screen(
        "officer",
        counters=counters,
        services=screen_services(second),
        priorities=screen_priorities(kiosk=False),
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
    return render_screen(
        "helpdesk",
        services=screen_services(second),
        priorities=screen_priorities(kiosk=False),
        kinds=help_kinds(second),
        reasons=page_reasons(second),
        user=principal.name,
        role=principal.role.value,
        contact_days=xephang().settings.privacy.contact_days,
        visit_days=xephang().settings.privacy.visit_days,
        **feedback_form_data(),
        **appointment_data(),
        **paper_form_data(),
    )


@screens.get("/assist")
def assist_page() -> str | Response:
    """Volunteers (and the help desk, officers) record help and answer calls for help on
    a phone; the manager sees the calls that alert them."""
    principal = signed_in(Role.VOLUNTEER, Role.HELPDESK, Role.OFFICER, Role.MANAGER)
    if isinstance(principal, Response):
        return principal
    second = xephang().settings.center.second_language
    return render_screen(
        "assist",
        services=screen_services(second),
        priorities=screen_priorities(kiosk=False),
        kinds=help_kinds(second),
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


def register_screens(app: Flask, runtime: Runtime) -> None:
    """Serve the screen pages and their Socket.IO namespaces on ``app``.

    Every event (with its ``seq``) goes to the ``staff`` room of ``/officer``,
    an operation's events in one ``batch`` frame. The configuration is the runtime's
    ``screens`` (``settings.screens``).
    """
    app.register_blueprint(screens)
    serve_screen_sockets(runtime.socketio, ResyncLimiter(runtime.queue.clock.now))
    bridge_batches(runtime.relay, runtime.socketio, OFFICER_NAMESPACE, to=STAFF_ROOM)
