"""``xephang check`` on this machine's PostgreSQL and Redis, and on ports nobody answers."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.test_cli import REPO, xephang

SHARED_REDIS = "redis://127.0.0.1:6379/0"  # only asked its version: never written to
SECRET = "a-cluster-secret-of-at-least-32-characters"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def center(tmp_path: Path, database_url: str = "", redis_url: str = "") -> Path:
    """The demo center with its data in ``tmp_path``, on these servers."""
    text = (REPO / "config" / "demo.toml").read_text(encoding="utf-8")
    text = text.replace("../var/demo", str(tmp_path / "data"))
    text = text.replace('url = ""', f'url = "{database_url}"', 1)
    if redis_url:
        text += f'\n[api]\nsecret_key = "{SECRET}"\n\n[cluster]\nredis_url = "{redis_url}"\n'
    path = tmp_path / "center.toml"
    path.write_text(text, encoding="utf-8")
    return path


def libpq_url(pg_url: str) -> str:
    return pg_url.replace("postgresql+psycopg://", "postgresql://", 1)


def test_embedded_mode_checks_the_sqlite_file(tmp_path: Path) -> None:
    config = center(tmp_path)
    missing = xephang("check", config=config, lang="en")
    assert missing.returncode == 1
    assert "Mode: embedded: SQLite, one process." in missing.stdout
    assert "missing; `xephang init` creates it" in missing.stdout
    assert missing.stderr.strip() == "Error: Not ready: SQLite."
    assert not (tmp_path / "data" / "xephang.db").exists()  # a check creates nothing
    assert xephang("init", config=config).returncode == 0
    ready = xephang("check", config=config, lang="en")
    assert ready.returncode == 0, ready.stderr
    assert "SQLite " in ready.stdout and "answers (version 3." in ready.stdout


@pytest.mark.postgres
def test_cluster_mode_asks_postgresql_and_redis(tmp_path: Path, pg_url: str) -> None:
    result = xephang("check", config=center(tmp_path, libpq_url(pg_url), SHARED_REDIS))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[1] == "Chế độ: cụm máy chủ: PostgreSQL + Redis."
    assert lines[2] == "Lời gọi số: màn hình sảnh phát."
    assert lines[3].startswith("PostgreSQL postgresql://postgres@127.0.0.1")
    assert "có trả lời (phiên bản" in lines[3]
    assert lines[4].startswith(f"Redis {SHARED_REDIS}: có trả lời (phiên bản ")


@pytest.mark.postgres
def test_a_redis_that_does_not_answer_fails_the_check(tmp_path: Path, pg_url: str) -> None:
    url = f"redis://:hush@127.0.0.1:{closed_port()}/0"
    result = xephang("check", config=center(tmp_path, libpq_url(pg_url), url), lang="en")
    assert result.returncode == 1
    assert "PostgreSQL" in result.stdout and "answers" in result.stdout
    redis_line = result.stdout.splitlines()[-1]
    assert redis_line.startswith("Redis redis://:***@127.0.0.1:")
    assert "no answer within 2 s" in redis_line and "refused" in redis_line
    assert "hush" not in result.stdout + result.stderr
    assert result.stderr.strip() == "Error: Not ready: Redis."


def test_a_postgresql_that_does_not_answer_fails_the_check(tmp_path: Path) -> None:
    url = f"postgresql://postgres:hush@127.0.0.1:{closed_port()}/xephang"
    result = xephang("check", config=center(tmp_path, url, SHARED_REDIS))
    assert result.returncode == 1
    assert "PostgreSQL postgresql://postgres:***@127.0.0.1:" in result.stdout
    assert "không trả lời trong 2 giây" in result.stdout
    assert "hush" not in result.stdout + result.stderr
    assert result.stderr.strip() == "Lỗi: Chưa sẵn sàng: PostgreSQL."


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers (a hung server)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield int(listener.getsockname()[1])


@pytest.mark.postgres
def test_a_hung_redis_is_given_up_after_the_timeout(
    tmp_path: Path, pg_url: str, silent_port: int
) -> None:
    config = center(tmp_path, libpq_url(pg_url), f"redis://127.0.0.1:{silent_port}/0")
    started = time.monotonic()
    result = xephang("check", "--timeout", "0.5", config=config, lang="en")
    assert time.monotonic() - started < 30
    assert result.returncode == 1
    assert "no answer within 0.5 s (Timeout" in result.stdout


def test_cluster_mode_on_sqlite_is_a_configuration_error(tmp_path: Path) -> None:
    result = xephang("check", config=center(tmp_path, "", SHARED_REDIS), lang="en")
    assert result.returncode == 2
    assert "cluster mode needs a PostgreSQL database" in result.stderr
