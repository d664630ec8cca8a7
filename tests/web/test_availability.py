"""The production server keeps answering while idle and slow connections are held.

The server is started as systemd starts it (the unit's ExecStart, bound to loopback):
many bare Socket.IO upgrades and slowloris clients must not stop ticket issue, call-next
or the health check; one address cannot hold more than its share of connections; an
upgrade that joins no namespace is closed within seconds; a slow header is cut off.
"""

from __future__ import annotations

import base64
import contextlib
import os
import re
import secrets
import select
import shlex
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import socketio

from queue_server.auth.tokens import create_token
from queue_server.core.bootstrap import open_queue
from queue_server.settings import load_settings

REPO = Path(__file__).resolve().parents[2]
UNIT = REPO / "systemd" / "xephang.service"
DEADLINE_S = 2.0  # an answer later than this counts as "the server stopped answering"

pytestmark = pytest.mark.slow


@dataclass
class Server:
    url: str
    port: int
    kiosk: str
    officer: str
    display: str


def production_command(port: int) -> list[str]:
    """The unit's ExecStart (`xephang run`, which becomes gunicorn) with this virtualenv's
    `xephang`, on loopback and ``port``."""
    line = next(x for x in UNIT.read_text().splitlines() if x.startswith("ExecStart="))
    command = shlex.split(line.removeprefix("ExecStart="))
    command[0] = str(Path(sys.executable).parent / "xephang")
    command[command.index("--host") + 1] = "127.0.0.1"
    command[command.index("--port") + 1] = str(port)
    return command


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited"
        try:
            if requests.get(f"{url}/api/v1/healthz", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            select.select([], [], [], 0.05)  # a short pause between tries of a starting server
    raise TimeoutError("the server did not start")


@contextlib.contextmanager
def running_server(tmp_path: Path, server_toml: str) -> Iterator[Server]:
    """The production server on the demo center in ``tmp_path``, with ``[server]`` set."""
    text = (REPO / "config" / "demo.toml").read_text(encoding="utf-8")
    text = re.sub(r"^data_dir = .*$", f'data_dir = "{tmp_path / "data"}"', text, flags=re.M)
    text += f"\n[api]\nissue_rate_per_minute = 100000\n\n[server]\n{server_toml}\n"
    config = tmp_path / "center.toml"
    config.write_text(text, encoding="utf-8")
    queue = open_queue(load_settings(config))
    kiosk, _ = create_token(queue.db, "kiosk", name="test kiosk")
    officer, _ = create_token(queue.db, "officer", counter=2, name="test officer")
    display, _ = create_token(queue.db, "display", name="test display")
    queue.db.dispose()
    port = free_port()
    env = {**os.environ, "XEPHANG_CONFIG": str(config), "XEPHANG_LANG": "en"}
    with (tmp_path / "server.log").open("wb") as log:
        process = subprocess.Popen(
            production_command(port), env=env, stdout=log, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process)
        yield Server(url, port, kiosk, officer, display)
    finally:
        process.kill()  # no graceful stop: held connections would make it wait
        process.wait(timeout=30)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with running_server(tmp_path, "header_timeout_s = 30\nsocket_join_timeout_s = 30") as running:
        yield running


def connect_from(port: int, source: str) -> socket.socket:
    sock = socket.create_connection(
        ("127.0.0.1", port), timeout=DEADLINE_S * 2, source_address=(source, 0)
    )
    return sock


def open_upgrade(port: int, source: str = "127.0.0.1") -> socket.socket:
    """A bare Engine.IO WebSocket upgrade (no namespace, no token), held open."""
    return upgrade(port, source)[0]


def upgrade(port: int, source: str = "127.0.0.1", offer: str = "") -> tuple[socket.socket, str]:
    """:func:`open_upgrade` with ``offer`` (extra request header lines); also the head of
    the server's answer."""
    sock = connect_from(port, source)
    key = base64.b64encode(secrets.token_bytes(16)).decode()
    sock.sendall(
        (
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
            "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n{offer}\r\n"
        ).encode()
    )
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(4096)
        assert chunk, "closed during the upgrade"
        head += chunk
    assert head.startswith(b"HTTP/1.1 101"), head[:80]
    return sock, head.split(b"\r\n\r\n", 1)[0].decode("latin-1").lower()


def open_slowloris(port: int, source: str = "127.0.0.1") -> socket.socket:
    """A request whose headers never end."""
    sock = connect_from(port, source)
    sock.sendall(b"POST /api/v1/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a")
    return sock


def source(index: int) -> str:
    """Loopback source addresses 127.0.0.2 … 127.0.0.41, in turn."""
    return f"127.0.0.{2 + index % 40}"


def closed_within(sock: socket.socket, seconds: float) -> float | None:
    """Seconds until the server closed ``sock`` (reading and discarding), or None."""
    started = time.monotonic()
    sock.settimeout(seconds)
    try:
        while sock.recv(4096):
            sock.settimeout(max(0.01, seconds - (time.monotonic() - started)))
    except TimeoutError:
        return None
    except OSError:
        pass  # reset: closed as well
    return time.monotonic() - started


def test_issue_call_and_health_answer_while_connections_are_held(server: Server) -> None:
    kiosk = {"Authorization": f"Bearer {server.kiosk}"}
    officer = {"Authorization": f"Bearer {server.officer}"}
    with ExitStack() as held:
        for index in range(150):
            held.enter_context(open_upgrade(server.port, source(index)))
        for index in range(50):
            held.enter_context(open_slowloris(server.port, source(index)))
        slowest = 0.0
        for _ in range(10):
            for method, path, headers, body, status in (
                ("POST", "/api/v1/tickets", kiosk, {"service": "HT"}, 201),
                ("POST", "/api/v1/counters/2/next", officer, None, 200),
                ("GET", "/api/v1/healthz", {}, None, 200),
            ):
                started = time.monotonic()
                response = requests.request(
                    method, server.url + path, headers=headers, json=body, timeout=DEADLINE_S
                )
                slowest = max(slowest, time.monotonic() - started)
                assert response.status_code == status, response.text
        assert slowest < DEADLINE_S


def test_one_address_holds_at_most_its_share(tmp_path: Path) -> None:
    toml = "max_connections_per_address = 5\nheader_timeout_s = 30\nsocket_join_timeout_s = 30"
    with running_server(tmp_path, toml) as server, ExitStack() as held:
        for _ in range(5):
            held.enter_context(open_slowloris(server.port, "127.0.0.7"))
        refused = held.enter_context(connect_from(server.port, "127.0.0.7"))
        refused.sendall(b"GET /api/v1/healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        refused.settimeout(DEADLINE_S)
        assert refused.recv(4096).startswith(b"HTTP/1.1 429")
        assert closed_within(refused, DEADLINE_S) is not None
        # Another address is served.
        other = held.enter_context(connect_from(server.port, "127.0.0.8"))
        other.sendall(b"GET /api/v1/healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        other.settimeout(DEADLINE_S)
        assert other.recv(4096).startswith(b"HTTP/1.1 200")


def test_a_slow_header_is_cut_off(tmp_path: Path) -> None:
    with running_server(tmp_path, "header_timeout_s = 1") as server:
        slow = open_slowloris(server.port)
        seconds = closed_within(slow, 10)
        slow.close()
        assert seconds is not None and seconds < 3


def test_an_upgrade_that_joins_no_namespace_is_closed(tmp_path: Path) -> None:
    with running_server(tmp_path, "socket_join_timeout_s = 1\nheader_timeout_s = 30") as server:
        screen = socketio.Client(reconnection=False)
        received = threading.Event()
        screen.on("batch", lambda *_: received.set(), namespace="/display")
        screen.on("queue_changed", lambda *_: received.set(), namespace="/display")
        screen.connect(
            server.url,
            namespaces=["/display"],
            auth={"token": server.display},
            transports=["websocket"],
            wait_timeout=10,
        )
        try:
            with open_upgrade(server.port) as bare:
                seconds = closed_within(bare, 10)
                assert seconds is not None and seconds < 3
            # The screen that joined with its token stays (its deadline passed too).
            assert screen.connected
            issued = requests.post(
                f"{server.url}/api/v1/tickets",
                json={"service": "HT"},
                headers={"Authorization": f"Bearer {server.kiosk}"},
                timeout=DEADLINE_S,
            )
            assert issued.status_code == 201
            assert received.wait(5), "the screen got no event after the bare upgrade closed"
        finally:
            screen.disconnect()


def test_websockets_are_never_compressed(server: Server) -> None:
    """Browsers offer permessage-deflate; accepted, every frame to every display would be
    compressed apart (50 displays: call-next's CPU 0.99 -> 2.32 ms in bench/api.py)."""
    offer = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
    sock, head = upgrade(server.port, offer=offer)
    sock.close()
    assert "upgrade: websocket" in head
    assert "sec-websocket-extensions" not in head, head
