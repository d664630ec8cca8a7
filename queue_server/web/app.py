"""The Flask application factory."""

from __future__ import annotations

import os
import secrets
import time
from datetime import timedelta
from pathlib import Path

from flask import Flask, Response, g, request

from queue_server.bus import EventBus
from queue_server.core.bootstrap import open_center
from queue_server.core.maintenance import MaintenancePlan
from queue_server.core.operations import Queue
from queue_server.core.overrides import apply_saved
from queue_server.core.serverlock import ServerLock
from queue_server.i18n import set_language
from queue_server.settings import Settings, load_settings
from queue_server.web.admin import register_admin
from queue_server.web.api import api
from queue_server.web.contacts import contacts_api
from queue_server.web.devices import register_devices
from queue_server.web.errors import register_error_handlers
from queue_server.web.health import ops
from queue_server.web.join_guard import JoinGuard
from queue_server.web.language import LANGUAGES, remember_choice, request_language
from queue_server.web.login import pages
from queue_server.web.metrics import Metrics
from queue_server.web.printing import printing_api
from queue_server.web.ratelimit import RateLimiter
from queue_server.web.rating_screens import register_rating_screens
from queue_server.web.ratings import register_ratings_api
from queue_server.web.realtime import ScreenFeed, bridge_devices, make_socketio
from queue_server.web.screens import register_screens
from queue_server.web.sockets import SocketGuard
from queue_server.web.start import start
from queue_server.web.state import XephangState
from queue_server.workers.maintenance import MaintenanceWorker

DEFAULT_CONFIG = Path(__file__).resolve().parents[2] / "config" / "demo.toml"


def _settings_from_environment() -> Settings:
    return load_settings(os.environ.get("XEPHANG_CONFIG") or DEFAULT_CONFIG)


def _secret_key(settings: Settings) -> str:
    """The configured key, else one kept in ``<data_dir>/secret_key`` (made once, 0600)."""
    if settings.api.secret_key:
        return settings.api.secret_key
    path = Path(settings.data_dir) / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
        return key


class TolerantResponse(Response):
    """A body with text UTF-8 cannot hold (a lone surrogate left in old data) is sent
    with ``?`` in its place: one bad stored value must not make a screen fail."""

    def set_data(self, value: bytes | str) -> None:
        if isinstance(value, str):
            value = value.encode("utf-8", "replace")
        super().set_data(value)


def create_app(
    settings: Settings | None = None,
    *,
    queue: Queue | None = None,
    bus: EventBus | None = None,
    testing: bool = False,
    devices: bool | None = None,
    maintenance: bool | None = None,
) -> Flask:
    """Build the app: REST API, sign-in pages, Socket.IO and the bus bridge.

    Without ``settings`` the file named by ``$XEPHANG_CONFIG`` is read (else the demo).
    ``devices`` starts the embedded device worker, ``maintenance`` the daily maintenance
    thread (both by default when not testing).
    """
    file_settings = settings or _settings_from_environment()
    # Held while this app lives: `xephang demo --reset` refuses to replace the data.
    server_lock = ServerLock.for_server(Path(file_settings.data_dir))
    if queue is None:
        settings, queue = open_center(file_settings)
    else:  # opened by the caller: still apply the admin pages' saved changes
        with queue.db.write() as conn:
            settings = apply_saved(conn, file_settings, queue.clock.now())
    bus = bus or EventBus()

    app = Flask(__name__)
    app.response_class = TolerantResponse
    app.config.update(
        TESTING=testing,
        SECRET_KEY=_secret_key(settings),
        MAX_CONTENT_LENGTH=settings.api.max_body_bytes,
        MAX_FORM_MEMORY_SIZE=settings.api.max_body_bytes,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.api.session_hours),
        JSON_SORT_KEYS=False,
    )
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]

    metrics = Metrics()
    bus.subscribe(metrics.on_event)
    state = XephangState(
        settings=settings,
        queue=queue,
        bus=bus,
        issue_limiter=RateLimiter(settings.api.issue_rate_per_minute, queue.clock.now),
        metrics=metrics,
        file_settings=file_settings,
    )
    app.extensions["xephang"] = state
    app.extensions["xephang_server_lock"] = server_lock

    register_error_handlers(app)
    app.register_blueprint(api)
    app.register_blueprint(contacts_api)
    app.register_blueprint(printing_api)
    app.register_blueprint(ops)
    app.register_blueprint(pages)
    app.register_blueprint(start)

    @app.before_request
    def _start() -> None:
        g.started = time.perf_counter()
        language = request_language(state.settings.center.language, LANGUAGES)
        g.language_token = set_language(language)

    @app.after_request
    def _finish(response: Response) -> Response:
        started = g.get("started")
        if started is not None:
            route = request.url_rule.rule if request.url_rule else "(unmatched)"
            metrics.observe(request.method, route, time.perf_counter() - started)
        remember_choice(response, LANGUAGES)
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    @app.teardown_request
    def _reset_language(_exc: BaseException | None) -> None:
        token = g.pop("language_token", None)
        if token is not None:
            token.var.reset(token)

    socketio = make_socketio(app)
    JoinGuard(socketio, settings.server.socket_join_timeout_s)
    state.socketio = socketio
    app.extensions["xephang_socket_guard"] = SocketGuard(
        socketio, queue.db, queue.clock, settings.api.socket_check_s, background=not testing
    )
    screen_feed = ScreenFeed(socketio)
    bus.subscribe_batches(screen_feed)
    app.extensions["xephang_screen_feed"] = screen_feed
    bridge_devices(bus, socketio)
    register_screens(app, socketio)
    register_rating_screens(app, socketio, register_ratings_api(app))
    register_admin(app)
    register_devices(app, state, start_worker=not testing if devices is None else devices)
    upkeep = MaintenanceWorker(queue, MaintenancePlan.from_settings(settings), bus)
    app.extensions["xephang_maintenance"] = upkeep
    if not testing if maintenance is None else maintenance:
        upkeep.start()
    return app
