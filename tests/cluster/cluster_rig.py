"""Real server processes in cluster mode, and screens that follow them like the page does.

Imported as ``tests.cluster.cluster_rig`` by the cluster tests (their ``conftest.py``
puts the repository on ``sys.path``) and by ``bench/cluster.py``.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

import redis
import requests
import socketio
from sqlalchemy import select

from queue_server.auth.tokens import create_token
from queue_server.core.bootstrap import open_queue
from queue_server.core.models import OutboxEvent
from queue_server.core.operations import Queue
from queue_server.settings import load_settings

REPO = Path(__file__).resolve().parents[2]
UNIT = REPO / "systemd" / "xephang@.service"  # a cluster server process runs this
SECRET = "a-cluster-secret-of-at-least-32-characters"
T = TypeVar("T")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def wait_for(condition: Callable[[], T], *, within_s: float = 10.0) -> T:
    """Poll ``condition`` until it returns something true, or fail after ``within_s``."""
    deadline = time.monotonic() + within_s
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"not true within {within_s} s: {condition}")
        time.sleep(0.01)


class RedisServer:
    """``redis-server`` on a free local port, in a temporary folder, with no persistence."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [shutil.which("redis-server") or "redis-server", "--port", str(self.port)]
        command += ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        command += ["--dir", str(self.folder)]
        self._process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2, socket_timeout=0.2)
        wait_for(lambda: self._answers(client))
        client.close()

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=10)
            self._process = None

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url)

    def _answers(self, client: redis.Redis) -> bool:
        assert self._process is not None and self._process.poll() is None, "redis-server exited"
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False


def outbox_calls(queue: Queue) -> list[tuple[int, str, int]]:
    """Every ``ticket_called`` committed, as screens should show them: (seq, number, counter)."""
    with queue.db.read() as conn:
        rows = conn.execute(
            select(OutboxEvent.seq, OutboxEvent.payload)
            .where(OutboxEvent.name == "ticket_called")
            .order_by(OutboxEvent.seq)
        ).all()
    return [(seq, json.loads(p)["number"], json.loads(p)["counter"]) for seq, p in rows]


def cluster_config(folder: Path, database_url: str, redis_url: str) -> Path:
    """The demo center in cluster mode on this database and Redis (written in ``folder``)."""
    text = (REPO / "config" / "demo.toml").read_text(encoding="utf-8")
    text = re.sub(r"^data_dir = .*$", f'data_dir = "{folder / "data"}"', text, flags=re.M)
    text = re.sub(r'^url = "".*$', f'url = "{database_url}"', text, count=1, flags=re.M)
    text += f'\n[api]\nissue_rate_per_minute = 100000\nsecret_key = "{SECRET}"\n'
    text += f'\n[cluster]\nredis_url = "{redis_url}"\n'
    config = folder / "center.toml"
    config.write_text(text, encoding="utf-8")
    return config


def server_command(port: int, host: str = "127.0.0.1") -> list[str]:
    """The cluster unit's ExecStart with this virtualenv's gunicorn, on ``host:port``."""
    line = next(x for x in UNIT.read_text().splitlines() if x.startswith("ExecStart="))
    command = shlex.split(line.removeprefix("ExecStart="))
    command[0] = str(Path(sys.executable).parent / "gunicorn")
    command[command.index("--bind") + 1] = f"{host}:{port}"
    return command


class Reachable(Protocol):
    """Something screens connect to: a server process, or nginx in front of them."""

    @property
    def url(self) -> str: ...


@dataclass
class ServerProcess:
    """One gunicorn server of the cluster (the production command)."""

    config: Path
    log: Path
    host: str = "127.0.0.1"  # another loopback address stands for another machine
    port: int = 0  # 0: a free one
    process: subprocess.Popen[bytes] | None = None

    def __post_init__(self) -> None:
        self.port = self.port or free_port(self.host)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, *, timeout_s: float = 60) -> ServerProcess:
        env = {**os.environ, "XEPHANG_CONFIG": str(self.config), "XEPHANG_LANG": "en"}
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                server_command(self.port, self.host),
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: gunicorn and its worker
            )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text(errors="replace")[-3000:]
            try:
                if requests.get(f"{self.url}/api/v1/healthz", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                threading.Event().wait(0.05)  # a starting server: ask again shortly
        raise TimeoutError(f"the server on {self.port} did not start")

    def kill(self) -> None:
        """``kill -9`` to gunicorn and its worker at once: no goodbye to anyone."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        self.process = None


class Screen:
    """A hall display's feed over Socket.IO, with the page's rules (``common.js``): a
    snapshot first, events in ``seq`` order, ``prev`` to see a gap, and on a reconnect
    (to any process) ``after`` = the last ``seq``, then the missed events and ``resumed``."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.seq: int | None = None
        self.calls: list[tuple[int, str, int]] = []  # (seq, number, counter)
        self.events = 0
        self.gaps = 0
        self.repeats = 0
        self.snapshots = 0
        self.resumes = 0
        self.settings_changes = 0
        self._early: list[tuple[str, dict[str, Any]]] = []
        self._resume_from: int | None = None
        self._generation = 0
        self.lock = threading.Lock()
        self.client = self._client()

    def _client(self) -> socketio.Client:
        """A new connection; frames an older one still hands over are not this one's
        (a page has one socket, whose frames stop when it drops)."""
        generation = self._generation

        def current(handler: Callable[..., None]) -> Callable[..., None]:
            def run(*args: Any) -> None:
                with self.lock:
                    if generation != self._generation:
                        return
                handler(*args)

            return run

        client = socketio.Client(reconnection=False)
        client.on("snapshot", current(self._snapshot), namespace="/display")
        client.on("resumed", current(self._resumed), namespace="/display")
        client.on("batch", current(self._batch), namespace="/display")
        client.on("*", current(self._event), namespace="/display")
        return client

    def connect(self, server: Reachable, transports: tuple[str, ...] = ("websocket",)) -> Screen:
        """Connect (or reconnect) to ``server`` (a process, or a proxy in front of them),
        naming the last seq once there is one; events wait until the missed ones and
        ``resumed`` (or a snapshot) have come. ``("polling", "websocket")`` starts as
        the page does: long polling, then the upgrade."""
        with self.lock:
            self._generation += 1  # from now on the old connection's frames are ignored
            if self.seq is not None:
                self._resume_from, self.seq = self.seq, None
        if self.client.connected:
            self.client.disconnect()
        self.client = self._client()
        self.client.connect(
            server.url,
            namespaces=["/display"],
            transports=list(transports),
            auth=self._auth,
            wait_timeout=10,
        )
        return self

    def close(self) -> None:
        self.client.disconnect()

    def _auth(self) -> dict[str, Any]:
        auth: dict[str, Any] = {"token": self.token}
        if self._resume_from is not None:
            auth["after"] = self._resume_from
        return auth

    def _snapshot(self, data: dict[str, Any]) -> None:
        with self.lock:
            self.snapshots += 1
            self._resume_from = None
            self._start(int(data["seq"]))

    def _resumed(self, _data: Any = None) -> None:
        with self.lock:
            if self._resume_from is not None:
                self.resumes += 1
                self._start(self._resume_from)
                self._resume_from = None

    def _start(self, seq: int) -> None:
        """From ``seq`` on: the events that came early, in seq order (under the lock)."""
        self.seq = seq
        early, self._early = sorted(self._early, key=lambda e: e[1]["seq"]), []
        for name, payload in early:
            self._take(name, payload)

    def _batch(self, pairs: list[list[Any]]) -> None:
        for name, payload in pairs:
            self._event(name, payload)

    def _event(self, name: str, payload: Any = None) -> None:
        if not isinstance(payload, dict) or "seq" not in payload:
            return
        with self.lock:
            if self.seq is None:  # before the snapshot, or the missed events
                self._early.append((name, payload))
            else:
                self._take(name, payload)

    def _take(self, name: str, payload: dict[str, Any]) -> None:
        assert self.seq is not None
        if payload["seq"] <= self.seq:
            self.repeats += 1
            return
        if payload.get("prev", payload["seq"] - 1) > self.seq:
            self.gaps += 1
        self.seq = payload["seq"]
        self.events += 1
        if name == "ticket_called":
            self.calls.append((payload["seq"], payload["number"], payload["counter"]))
        elif name == "settings_changed":
            self.settings_changes += 1

    def wait_until(self, condition: Callable[[Screen], bool], within_s: float = 10.0) -> bool:
        deadline = time.monotonic() + within_s
        while time.monotonic() < deadline:
            with self.lock:
                if condition(self):
                    return True
            threading.Event().wait(0.005)
        return False


@dataclass
class Cluster:
    """Server processes in cluster mode on one PostgreSQL database and the test's Redis."""

    folder: Path
    database_url: str
    redis: Any  # conftest.RedisServer: start() and stop()
    config: Path
    servers: list[ServerProcess] = field(default_factory=list)

    def add(self, count: int = 1) -> list[ServerProcess]:
        started = [
            ServerProcess(self.config, self.folder / f"server-{len(self.servers) + i}.log").start()
            for i in range(count)
        ]
        self.servers += started
        return started

    def machine_config(self, name: str, extra_toml: str = "") -> Path:
        """The file of a server as on another machine: this cluster's, with a data
        directory of its own (``<folder>/<name>/data``) and ``extra_toml``."""
        folder = self.folder / name
        folder.mkdir(exist_ok=True)
        text = self.config.read_text(encoding="utf-8")
        text = re.sub(r"^data_dir = .*$", f'data_dir = "{folder / "data"}"', text, flags=re.M)
        config = folder / "center.toml"
        config.write_text(text + "\n" + extra_toml, encoding="utf-8")
        return config

    def add_machine(self, config: Path, host: str) -> ServerProcess:
        """A server with ``config`` (see :meth:`machine_config`) on loopback ``host``
        (127.0.0.2, …), standing for another machine."""
        server = ServerProcess(config, config.parent / "server.log", host=host)
        self.servers.append(server)
        return server.start()

    def queue(self) -> Queue:
        """The center's queue opened in the test process (another writer, as the CLI)."""
        return open_queue(load_settings(self.config), migrate=False, sync=False)

    def token(self, role: str, counter: int | None = None) -> str:
        queue = self.queue()
        try:
            secret, _info = create_token(queue.db, role, counter=counter, name=f"test {role}")
        finally:
            queue.db.dispose()
        return secret

    def stop(self) -> None:
        for server in self.servers:
            server.kill()
