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


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    """Block until something accepts connections on ``port``."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"nothing listens on port {port}") from None
            select.select([], [], [], 0.05)  # short pause between connection attempts


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
