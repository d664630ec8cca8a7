"""The command line on a database it cannot reach, or one that went missing."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from queue_server.cli.run import gunicorn_command
from tests.cli.test_cli import REPO, xephang


def closed_port() -> int:
    """A local port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """The demo center with its data in ``tmp_path / "data"``."""
    text = (REPO / "config" / "demo.toml").read_text(encoding="utf-8")
    path = tmp_path / "center.toml"
    path.write_text(text.replace("../var/demo", str(tmp_path / "data")), encoding="utf-8")
    return path


@pytest.fixture
def unreachable(config: Path) -> Path:
    text = config.read_text(encoding="utf-8")
    url = f"postgresql://postgres@127.0.0.1:{closed_port()}/xephang"
    config.write_text(text.replace('url = ""', f'url = "{url}"', 1), encoding="utf-8")
    return config


@pytest.mark.parametrize(
    "args", [("status",), ("init",), ("db", "upgrade"), ("run", "--port", "5999")]
)
def test_an_unreachable_database_is_one_line_and_non_zero(
    unreachable: Path, args: tuple[str, ...]
) -> None:
    result = xephang(*args, config=unreachable, lang="en")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: Cannot use the database: connection failed")


def test_a_data_dir_that_cannot_be_made_is_one_line(config: Path, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a directory")
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace(str(tmp_path / "data"), str(tmp_path / "file" / "data")))
    result = xephang("status", config=config, lang="en")
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_a_missing_database_is_not_recreated_empty(config: Path, tmp_path: Path) -> None:
    assert xephang("init", config=config).returncode == 0
    assert xephang("ticket", "issue", "HT", config=config).returncode == 0
    database = tmp_path / "data" / "xephang.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)

    for args in (("status",), ("ticket", "issue", "HT"), ("db", "upgrade")):
        refused = xephang(*args, config=config, lang="en")
        assert refused.returncode == 1, args
        assert "is missing" in refused.stderr and "xephang init" in refused.stderr
        assert "Traceback" not in refused.stderr
        assert not database.exists()

    assert xephang("init", config=config).returncode == 0  # starting again is explicit
    issued = xephang("ticket", "issue", "HT", config=config)
    assert issued.returncode == 0 and "B001" in issued.stdout


def test_the_gunicorn_entry_point_on_an_unreachable_database_is_one_line(
    unreachable: Path,
) -> None:
    env = {**os.environ, "XEPHANG_CONFIG": str(unreachable)}
    result = subprocess.run(
        [sys.executable, "-c", "import queue_server.web.wsgi"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 4  # gunicorn's "app failed to load": no endless restarts
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("xephang: Không dùng được cơ sở dữ liệu: connection failed")


def test_gunicorn_on_an_unreachable_database_stops_instead_of_restarting(
    unreachable: Path,
) -> None:
    env = {**os.environ, "XEPHANG_CONFIG": str(unreachable)}
    result = subprocess.run(
        gunicorn_command("127.0.0.1", 0), capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.count("Không dùng được cơ sở dữ liệu") == 1


def test_the_gunicorn_entry_point_freezes_what_start_up_made(config: Path) -> None:
    """A full garbage collection walks only what was made after start-up (docs/deployment.md)."""
    env = {**os.environ, "XEPHANG_CONFIG": str(config)}
    script = (
        "import gc, queue_server.web.wsgi as w\nprint(gc.get_freeze_count())\nw.runtime.stop()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 100_000  # the modules, catalogues and the app
