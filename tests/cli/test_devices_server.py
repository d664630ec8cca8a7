"""``xephang devices`` finds its server in ``$XEPHANG_SERVER`` (systemd's devices.env)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def listener() -> socket.socket:
    """A loopback port that accepts connections and answers nothing."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    sock.settimeout(30)
    return sock


def url(sock: socket.socket) -> str:
    return f"http://127.0.0.1:{sock.getsockname()[1]}"


@pytest.fixture
def config(tmp_path: Path) -> Path:
    text = (REPO / "config" / "demo.toml").read_text(encoding="utf-8")
    text = text.replace('data_dir = "../var/demo"', f'data_dir = "{tmp_path / "data"}"')
    path = tmp_path / "center.toml"
    path.write_text(text, encoding="utf-8")
    return path


@contextmanager
def devices(config: Path, *args: str, server: str) -> Iterator[None]:
    """``xephang devices`` running with ``$XEPHANG_SERVER`` = ``server``."""
    env = {**os.environ, "XEPHANG_LANG": "en", "XEPHANG_SERVER": server}
    env["XEPHANG_TOKEN"] = "xp_not-a-real-token"
    command = [sys.executable, "-m", "queue_server.cli", "devices", "--config", str(config)]
    process = subprocess.Popen(
        [*command, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        yield
    finally:
        process.kill()
        process.wait(timeout=30)


def first_request(sock: socket.socket) -> bytes:
    """The first line of the first request made to ``sock``."""
    conn, _address = sock.accept()
    with conn:
        conn.settimeout(10)
        data = b""
        while b"\r\n" not in data:
            chunk = conn.recv(4096)
            assert chunk, "closed before a request"
            data += chunk
    return data.split(b"\r\n", 1)[0]


def test_the_server_comes_from_the_environment_unless_given(config: Path) -> None:
    with listener() as from_env, devices(config, server=url(from_env)):
        assert first_request(from_env).startswith(b"GET /socket.io/?")
    with (
        listener() as from_env,
        listener() as given,
        devices(config, "--server", url(given), server=url(from_env)),
    ):
        assert first_request(given).startswith(b"GET /socket.io/?")
