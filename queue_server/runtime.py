"""The composition root: one server process's parts, built, started and stopped in order.

:meth:`Runtime.build` takes the data directory's server lock, opens and migrates the
database, applies the admin pages' saved settings and makes the in-process parts (the
relay, metrics, Socket.IO, screen feed, socket credential guard, maintenance worker); no
thread runs yet. :func:`queue_server.web.app.create_app` builds the Flask app on it
without side effects. :meth:`Runtime.start` starts the parts in order (the relay's
follower, the cluster doorbell, the socket sweep, the embedded device worker when this
server owns the devices, the daily maintenance);
:meth:`Runtime.stop` stops everything in reverse order, the database and the lock last.

As in Moonraker's component lifecycle (construct, ``component_init``, ``close``), a part
that fails to stop is logged and the others still stop. The WSGI module
(``queue_server.web.wsgi``, which ``xephang run``, ``xephang demo`` and systemd serve) and
the tests (:func:`start_app`) go through here.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from flask_socketio import SocketIO

from queue_server.cluster.state import ClusterState, LocalState, process_name
from queue_server.core.bootstrap import open_center
from queue_server.core.envelope import Envelope
from queue_server.core.events import SettingsChanged
from queue_server.core.maintenance import MaintenancePlan
from queue_server.core.operations import Queue
from queue_server.core.overrides import apply_saved
from queue_server.core.ratings import Ratings
from queue_server.core.serverlock import ServerLock
from queue_server.relay import Relay
from queue_server.settings import Settings, load_settings
from queue_server.web.counter_holders import CounterHolders
from queue_server.web.devices import start_embedded_worker
from queue_server.web.metrics import Metrics
from queue_server.web.ratelimit import Limiter
from queue_server.web.ratings import RatingsState
from queue_server.web.realtime import ScreenFeed, make_socketio
from queue_server.web.sockets import SocketGuard
from queue_server.web.state import DeviceCheck
from queue_server.workers.maintenance import MaintenanceWorker
from xephang.display.config import ScreensConfig

if TYPE_CHECKING:
    from flask import Flask

    from queue_server.web.devices import PrintJobRecorder
    from queue_server.workers.devices import DeviceWorker
    from xephang.devices.audio.voice import Voice

log = logging.getLogger(__name__)

DEFAULT_CONFIG = Path(__file__).resolve().parents[1] / "config" / "demo.toml"


def settings_from_environment() -> Settings:
    """The settings of the file named by ``$XEPHANG_CONFIG``, else the demo's."""
    return load_settings(os.environ.get("XEPHANG_CONFIG") or DEFAULT_CONFIG)


def secret_key(settings: Settings) -> str:
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


@dataclass(frozen=True, slots=True)
class Part:
    """A running part: its name and how to stop it."""

    name: str
    stop: Callable[[], None]


@dataclass(eq=False)
class Runtime:
    """Everything a server process holds; the web app reaches it with ``xephang()``."""

    settings: Settings  # the file plus the admin pages' changes; swapped when they change
    file_settings: Settings  # as the TOML file has them
    queue: Queue
    relay: Relay
    server_lock: ServerLock
    secret_key: str
    metrics: Metrics
    issue_limiter: Limiter
    ratings: RatingsState
    screens: ScreensConfig
    socketio: SocketIO  # bound to the app by ``create_app``
    screen_feed: ScreenFeed
    socket_guard: SocketGuard
    maintenance: MaintenanceWorker
    counter_holders: CounterHolders
    cluster: ClusterState | None = None  # cluster mode: the state shared through Redis
    testing: bool = False
    embedded_devices: bool = False  # start the device worker (this server owns the devices)
    run_maintenance: bool = False
    follow_outbox: bool = False  # run the relay's follower thread
    # name → callable returning True/False or {"ok": bool, ...}; filled by the device worker.
    device_status: dict[str, DeviceCheck] = field(default_factory=dict)
    device_worker: DeviceWorker | None = None  # the embedded device worker, while it runs
    print_jobs: PrintJobRecorder | None = None
    voice: Voice | None = None  # made at the first announcement (``web/audio.py``)
    _running: list[Part] = field(default_factory=list, repr=False)
    _started: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def build(
        cls,
        settings: Settings | None = None,
        *,
        queue: Queue | None = None,
        relay: Relay | None = None,
        testing: bool = False,
        devices: bool | None = None,
        maintenance: bool | None = None,
        follow: bool | None = None,
    ) -> Runtime:
        """Take the server lock, open the database (unless ``queue`` is given: its
        owner closes it) and make the parts. ``devices`` and ``maintenance`` say whether
        :meth:`start` starts the embedded device worker and the daily maintenance (by
        default when not ``testing``); ``testing`` also leaves the socket sweep to tests.
        ``follow``: start the relay's follower thread (by default when not ``testing``;
        without it the relay still reads the outbox when a gap shows).
        """
        file_settings = settings or settings_from_environment()
        # Held while this server lives: `xephang demo --reset` refuses to replace the data.
        server_lock = ServerLock.for_server(Path(file_settings.data_dir))
        held = [Part("server lock", server_lock.release)]
        try:
            if queue is None:
                effective, queue = open_center(file_settings)
                held.append(Part("database", queue.db.dispose))
            else:  # opened by the caller: still apply the admin pages' saved changes
                with queue.db.write() as conn:
                    effective = apply_saved(conn, file_settings, queue.clock.now())
            # A clock that jumped while the server was off: refuse tickets until confirmed.
            queue.clock_guard.watch(queue.db, queue.clock.now(), "system:start-up")
            relay = relay or Relay()
            relay.follow(queue.db)
            process = process_name() if effective.cluster_mode else None
            metrics = Metrics(process)
            shared = (
                ClusterState.build(effective, metrics, process)
                if process
                else LocalState.build(effective, queue.clock.now)
            )
            relay.subscribe(metrics.on_event)
            socketio = make_socketio()
            screen_feed = ScreenFeed(socketio, relay)
            relay.subscribe_batches(screen_feed)
            clock = queue.clock
            runtime = cls(
                settings=effective,
                file_settings=file_settings,
                queue=queue,
                relay=relay,
                server_lock=server_lock,
                secret_key=secret_key(effective),
                metrics=metrics,
                issue_limiter=shared.issue_limiter,
                ratings=RatingsState(
                    Ratings(queue, effective.ratings, effective.feedback), shared.track_limiter
                ),
                screens=effective.screens,
                socketio=socketio,
                screen_feed=screen_feed,
                socket_guard=SocketGuard(
                    socketio, queue.db, clock, effective.api.socket_check_s, background=not testing
                ),
                maintenance=MaintenanceWorker(
                    queue, MaintenancePlan.from_settings(effective), relay
                ),
                counter_holders=shared.counter_holders,
                cluster=shared if isinstance(shared, ClusterState) else None,
                testing=testing,
                embedded_devices=(not testing if devices is None else devices)
                and effective.devices.worker == "embedded",
                run_maintenance=not testing if maintenance is None else maintenance,
                follow_outbox=not testing if follow is None else follow,
                _running=held,
            )
            # Before the screens hear of a change, this process has loaded it.
            relay.subscribe_batches(runtime.settings_changed_elsewhere, first=True)
            return runtime
        except BaseException:
            for part in reversed(held):
                part.stop()
            raise

    def settings_changed_elsewhere(self, envelopes: list[Envelope]) -> None:
        """Another process (or command) saved settings: load them as it did."""
        if not any(e.event_type is SettingsChanged and e.event is None for e in envelopes):
            return
        with self.queue.db.write() as conn:
            self.settings = apply_saved(conn, self.file_settings, self.queue.clock.now())
        self.queue.reload()

    def start(self) -> None:
        """Start the parts in order; if one fails, stop those started and re-raise."""
        with self._lock:
            if self._started:
                return
            self._started = True
        steps: list[tuple[str, Callable[[], Callable[[], None]]]] = []
        if self.follow_outbox:
            steps.append(("relay", self._start_relay))
        if self.settings.cluster_mode:
            steps.append(("doorbell", self._start_doorbell))
        steps.append(("socket guard", self._start_socket_guard))
        if self.cluster is not None:
            steps.append(("cluster state", self.cluster.start))
        if self.embedded_devices:
            steps.append(("devices", lambda: start_embedded_worker(self)))
        if self.run_maintenance:
            steps.append(("maintenance", self._start_maintenance))
        try:
            for name, start in steps:
                self._running.append(Part(name, start()))
        except BaseException:
            self.stop()
            raise

    def _start_relay(self) -> Callable[[], None]:
        self.relay.start()
        return self.relay.stop

    def _start_doorbell(self) -> Callable[[], None]:
        from queue_server.cluster.doorbell import Doorbell

        doorbell = Doorbell(self.settings.cluster.redis_url)
        self.relay.on_published = doorbell.ring
        doorbell.start(self.relay.nudge)

        def stop() -> None:
            self.relay.on_published = None
            doorbell.stop()

        return stop

    def _start_socket_guard(self) -> Callable[[], None]:
        self.socket_guard.start()
        return self.socket_guard.stop

    def _start_maintenance(self) -> Callable[[], None]:
        self.maintenance.start()
        return self.maintenance.stop

    def stop(self) -> list[str]:
        """Stop every part in the reverse order of its start, the lock last; returns
        their names in that order. A part that fails to stop is logged; the rest stop."""
        with self._lock:
            parts, self._running = self._running, []
        stopped: list[str] = []
        for part in reversed(parts):
            try:
                part.stop()
            except Exception:
                log.exception("stopping the %s failed", part.name)
            stopped.append(part.name)
        return stopped

    @property
    def running(self) -> list[str]:
        """The names of the parts that hold something now, in start order."""
        with self._lock:
            return [part.name for part in self._running]


def start_app(
    settings: Settings | None = None,
    *,
    queue: Queue | None = None,
    relay: Relay | None = None,
    testing: bool = False,
    devices: bool | None = None,
    maintenance: bool | None = None,
    follow: bool | None = None,
) -> Flask:
    """Build a runtime, its web app, and start it (what the WSGI module does); for tests
    and tools. The runtime: ``runtime_of(app)`` (``queue_server.web.state``)."""
    from queue_server.web.app import create_app

    runtime = Runtime.build(
        settings,
        queue=queue,
        relay=relay,
        testing=testing,
        devices=devices,
        maintenance=maintenance,
        follow=follow,
    )
    app = create_app(runtime)
    runtime.start()
    return app
