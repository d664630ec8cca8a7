"""The Flask application factory: the web app on a built :class:`~queue_server.runtime.Runtime`."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from flask import Flask, Response, g, request
from werkzeug.routing import IntegerConverter, Map

from queue_server.i18n import set_language
from queue_server.web.admin import register_admin
from queue_server.web.api import register_api
from queue_server.web.api.common import SEQ_HEADER
from queue_server.web.appointment_pages import appointment_pages
from queue_server.web.appointments import appointments_api
from queue_server.web.assistance import assistance_api
from queue_server.web.assistance_live import register_assistance
from queue_server.web.assists import assists_api
from queue_server.web.bodies import MAX_ID
from queue_server.web.clock import register_clock
from queue_server.web.contacts import contacts_api
from queue_server.web.device_api import device_api
from queue_server.web.devices import register_devices
from queue_server.web.direct_frames import PacketCounts, install_direct_frames
from queue_server.web.errors import register_error_handlers
from queue_server.web.feedback import feedback_api
from queue_server.web.feedback_screens import feedback_pages
from queue_server.web.health import ops
from queue_server.web.join_guard import JoinGuard
from queue_server.web.language import LANGUAGES, remember_choice, request_language
from queue_server.web.login import pages
from queue_server.web.outreach import outreach_api
from queue_server.web.paper import paper_api
from queue_server.web.printing import printing_api
from queue_server.web.proxies import ForwardedFrom, TrustedProxies
from queue_server.web.rating_screens import register_rating_screens
from queue_server.web.ratings import register_ratings_api
from queue_server.web.realtime import SocketIOOnItsPath, bridge_devices
from queue_server.web.result_pages import result_pages
from queue_server.web.results import results_api
from queue_server.web.screens import register_screens
from queue_server.web.sessions import CookieSessions
from queue_server.web.start import start
from queue_server.web.state import EXTENSION
from queue_server.web.visit_pages import visit_pages
from queue_server.web.visits import visits_api

if TYPE_CHECKING:
    from queue_server.runtime import Runtime


class TolerantResponse(Response):
    """A body with text UTF-8 cannot hold (a lone surrogate left in old data) is sent
    with ``?`` in its place: one bad stored value must not make a screen fail."""

    def set_data(self, value: bytes | str) -> None:
        if isinstance(value, str):
            value = value.encode("utf-8", "replace")
        super().set_data(value)


class DatabaseInt(IntegerConverter):
    """``<int:…>`` in a route: a whole number the database's ids can reach (32-bit), so an id
    beyond it is "not found" (404) rather than an overflow deep in the driver."""

    def __init__(self, url_map: Map, max: int = MAX_ID, **options: Any) -> None:
        super().__init__(url_map, max=max, **options)


def create_app(runtime: Runtime) -> Flask:
    """Build the web app on ``runtime``: REST API, pages, Socket.IO and its relay bridges.

    No side effects beyond wiring: the runtime was built (database, lock) before and is
    started after (workers); see :mod:`queue_server.runtime`.
    """
    if runtime.socketio.server is not None:  # type: ignore[attr-defined]  # not in the stubs
        raise RuntimeError("this runtime already has its web app")
    settings = runtime.settings
    app = Flask(__name__)
    app.response_class = TolerantResponse
    app.session_interface = CookieSessions()
    app.url_map.converters["int"] = DatabaseInt
    app.config.update(
        TESTING=runtime.testing,
        SECRET_KEY=runtime.secret_key,
        MAX_CONTENT_LENGTH=settings.api.max_body_bytes,
        MAX_FORM_MEMORY_SIZE=settings.api.max_body_bytes,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.api.session_hours),
        # The cookie is sent only when the session changes (sign-in, the counter chosen):
        # an answer to a request read before the change would otherwise put the old
        # session back (an officer's counter lost). The sign-in lasts session_hours.
        SESSION_REFRESH_EACH_REQUEST=False,
        JSON_SORT_KEYS=False,
    )
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions[EXTENSION] = runtime

    register_error_handlers(app)
    register_api(app)
    app.register_blueprint(contacts_api)
    app.register_blueprint(assists_api)
    app.register_blueprint(paper_api)
    app.register_blueprint(visits_api)
    app.register_blueprint(visit_pages)
    app.register_blueprint(outreach_api)
    app.register_blueprint(feedback_api)
    app.register_blueprint(feedback_pages)
    app.register_blueprint(results_api)
    app.register_blueprint(result_pages)
    app.register_blueprint(assistance_api)
    app.register_blueprint(appointments_api)
    app.register_blueprint(appointment_pages)
    app.register_blueprint(printing_api)
    app.register_blueprint(device_api)
    app.register_blueprint(ops)
    app.register_blueprint(pages)
    app.register_blueprint(start)

    @app.before_request
    def _start() -> None:
        g.started = time.perf_counter()
        language = request_language(runtime.settings.center.language, LANGUAGES)
        g.language_token = set_language(language)

    @app.after_request
    def _finish(response: Response) -> Response:
        started = g.get("started")
        if started is not None:
            route = request.url_rule.rule if request.url_rule else "(unmatched)"
            runtime.metrics.observe(request.method, route, time.perf_counter() - started)
        remember_choice(response, LANGUAGES)
        if g.get("event_seq"):
            response.headers[SEQ_HEADER] = str(g.event_seq)
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    @app.teardown_request
    def _reset_language(_exc: BaseException | None) -> None:
        token = g.pop("language_token", None)
        if token is not None:
            token.var.reset(token)

    socketio = runtime.socketio
    socketio.init_app(app)
    app.wsgi_app = SocketIOOnItsPath(app.wsgi_app)  # type: ignore[method-assign]
    JoinGuard(socketio, settings.server.socket_join_timeout_s)
    if direct_frames := install_direct_frames(socketio):
        runtime.metrics.registry.register(PacketCounts(direct_frames))
    bridge_devices(runtime.relay, socketio)
    register_screens(app, runtime)
    register_assistance(app, runtime)
    register_ratings_api(app)
    register_rating_screens(app, runtime)
    register_admin(app)
    register_clock(app)
    register_devices(app)
    # Outermost, so that Socket.IO's handlers see the client's address as well.
    proxies = TrustedProxies(settings.server.trusted_proxies)
    app.wsgi_app = ForwardedFrom(app.wsgi_app, proxies)  # type: ignore[method-assign]
    return app
