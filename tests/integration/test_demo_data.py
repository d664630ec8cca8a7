"""`xephang demo` never splits or duplicates its data: reset, second starts, its tokens."""

from __future__ import annotations

import socket
import stat
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from queue_server.core.db import Database
from queue_server.core.models import ApiToken, Ticket
from queue_server.runtime import start_app
from queue_server.settings import load_settings
from queue_server.web.state import runtime_of

from .conftest import _env
from .test_demo import demo_config, printed_links


def demo(*args: str, config: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "queue_server.cli", "demo", *args, "--config", str(config)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=_env())


def token_rows(config: Path) -> int:
    database = Database(load_settings(config).database_url())
    with database.read() as conn:
        count = int(conn.execute(select(func.count()).select_from(ApiToken)).scalar_one())
    database.dispose()
    return count


def ticket_rows(config: Path) -> int:
    database = Database(load_settings(config).database_url())
    with database.read() as conn:
        count = int(conn.execute(select(func.count()).select_from(Ticket)).scalar_one())
    database.dispose()
    return count


def test_reset_is_refused_while_a_server_uses_the_data(tmp_path: Path) -> None:
    config = demo_config(tmp_path)
    assert demo("--no-serve", "--history-days", "0", config=config).returncode == 0
    server = start_app(load_settings(config), testing=True)  # holds <data_dir>/server.lock
    runtime_of(server).queue.issue("HT")  # a ticket only the served data has
    served = ticket_rows(config)
    try:
        refused = demo("--reset", "--no-serve", "--history-days", "0", config=config)
        assert refused.returncode == 1
        assert "stop it first" in refused.stderr
        assert "Traceback" not in refused.stderr
        assert ticket_rows(config) == served  # the served database was left alone
    finally:
        runtime_of(server).stop()  # closes the database, releases the lock
    assert demo("--reset", "--no-serve", "--history-days", "0", config=config).returncode == 0
    assert ticket_rows(config) < served  # a new database (an inode number may be reused)


def test_reset_clears_the_printed_tickets_and_the_tokens(tmp_path: Path) -> None:
    config = demo_config(tmp_path)
    first = demo("--no-serve", "--history-days", "0", config=config)
    old_ticket = tmp_path / "data" / "tickets" / "kiosk-1" / "00001-B001.png"
    old_ticket.parent.mkdir(parents=True)
    old_ticket.write_bytes(b"\x89PNG old")
    again = demo("--reset", "--no-serve", "--history-days", "0", config=config)
    assert again.returncode == 0, again.stderr
    assert not old_ticket.exists()
    assert printed_links(again.stdout)["Kiosk"].token != printed_links(first.stdout)["Kiosk"].token


def test_a_second_start_on_a_busy_port_stops_before_anything(tmp_path: Path) -> None:
    config = demo_config(tmp_path)
    assert demo("--no-serve", "--history-days", "0", config=config).returncode == 0
    before = token_rows(config)
    with socket.socket() as running:  # the first demo's server
        running.bind(("127.0.0.1", 0))
        running.listen()
        port = running.getsockname()[1]
        second = demo("--port", str(port), "--history-days", "0", config=config)
    assert second.returncode == 1
    assert f"Port {port} is in use" in second.stderr
    assert "token=" not in second.stdout and "Serving" not in second.stdout
    assert token_rows(config) == before


def test_starts_reuse_the_demo_screen_tokens(tmp_path: Path) -> None:
    config = demo_config(tmp_path)
    first = demo("--no-serve", "--history-days", "0", config=config)
    tokens = token_rows(config)
    second = demo("--no-serve", "--history-days", "0", config=config)
    assert second.returncode == 0, second.stderr
    links, again = printed_links(first.stdout), printed_links(second.stdout)
    assert {k: v.url for k, v in links.items() if "token=" in v.url} == {
        k: v.url for k, v in again.items() if "token=" in v.url
    }
    assert token_rows(config) == tokens == 4
    saved = tmp_path / "data" / "demo-tokens.json"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600

    revoked = subprocess.run(
        [sys.executable, "-m", "queue_server.cli", "token", "revoke", "1", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(),
    )
    assert revoked.returncode == 0, revoked.stderr
    third = printed_links(demo("--no-serve", "--history-days", "0", config=config).stdout)
    changed = [k for k, v in third.items() if "token=" in v.url and v.url != links[k].url]
    assert len(changed) == 1  # only the revoked one was made anew
    assert token_rows(config) == 5


def test_a_demo_database_deleted_by_hand_is_not_made_again_without_reset(tmp_path: Path) -> None:
    config = demo_config(tmp_path)
    assert demo("--no-serve", "--history-days", "0", config=config).returncode == 0
    database = tmp_path / "data" / "xephang.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    refused = demo("--no-serve", "--history-days", "0", config=config)
    assert refused.returncode == 1
    assert "is missing" in refused.stderr and "xephang demo --reset" in refused.stderr
    assert not database.exists()
