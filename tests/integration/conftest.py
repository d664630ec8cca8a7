"""Helpers for tests that run real server and device processes."""

from __future__ import annotations

import os
import select
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_serving(port: int, timeout: float = 60.0) -> None:
    """Block until the xephang server on ``port`` answers ``/api/v1/healthz``. gunicorn
    listens before its worker has loaded the app: a connection accepted is not yet an
    answer (on a loaded machine the worker's start takes seconds)."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=max(left, 0.1)) as sock:
                sock.settimeout(max(left, 0.1))
                sock.sendall(b"GET /api/v1/healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                if b" 200 " in sock.recv(64).split(b"\r\n", 1)[0]:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"no server answers on port {port}")
        select.select([], [], [], 0.05)  # short pause between attempts


def xephang(*args: str, config: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "queue_server.cli", *args, "--config", str(config)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, env=_env())
    assert result.returncode == 0, result.stderr
    return result


def start(*args: str, config: Path) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "queue_server.cli", *args, "--config", str(config)]
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=_env()
    )


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdout:
        process.stdout.close()


def _env() -> dict[str, str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "XEPHANG_LANG": "en"}
    env.pop("XEPHANG_CONFIG", None)
    return env


def center_config(tmp_path: Path, extra: str) -> Path:
    """The demo center with its data in ``tmp_path`` and ``extra`` TOML replacing devices."""
    text = (REPO / "config" / "demo.toml").read_text(encoding="utf-8")
    text = text.split("# ---- Devices.")[0]
    text = text.replace('data_dir = "../var/demo"', f'data_dir = "{tmp_path / "data"}"')
    path = tmp_path / "center.toml"
    path.write_text(text + "\n" + extra, encoding="utf-8")
    return path


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        stop(process)
