"""The SQLite backup copies a consistent snapshot while the server holds the database."""

from __future__ import annotations

import signal
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from queue_server.core.bootstrap import open_queue
from queue_server.core.clock import FrozenClock
from queue_server.core.schema import head_revision
from queue_server.reports.backup import (
    BackupError,
    backup_sqlite,
    check_backup,
    restore_sqlite,
    sqlite_file,
)
from queue_server.settings import Settings


def count_tickets(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT count(*) FROM tickets").fetchone()[0])


def test_online_backup_includes_committed_wal_pages_only(
    settings: Settings, clock: FrozenClock, tmp_path: Path
) -> None:
    queue = open_queue(settings, clock=clock)
    source = sqlite_file(settings.database_url())
    assert source is not None
    try:
        queue.issue("HT")
        queue.issue("CT", "elderly")
        assert Path(f"{source}-wal").stat().st_size > 0  # the tickets are still in the WAL
        target = tmp_path / "backup.db"
        with queue.db.write() as conn:  # a writer in the middle of its transaction
            conn.execute(text("UPDATE services SET name = 'đang sửa'"))
            backup_sqlite(source, target)
    finally:
        queue.db.dispose()
    assert count_tickets(target) == 2
    assert check_backup(target) == head_revision()
    with sqlite3.connect(target) as conn:
        names = {name for (name,) in conn.execute("SELECT name FROM services")}
        assert "đang sửa" not in names
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)


def test_restore_replaces_the_database(
    settings: Settings, clock: FrozenClock, tmp_path: Path
) -> None:
    queue = open_queue(settings, clock=clock)
    source = sqlite_file(settings.database_url())
    assert source is not None
    queue.issue("HT")
    backup_sqlite(source, tmp_path / "one-ticket.db")
    queue.issue("HT")
    queue.db.dispose()
    assert count_tickets(source) == 2
    assert restore_sqlite(tmp_path / "one-ticket.db", source) == head_revision()
    assert count_tickets(source) == 1
    with pytest.raises(BackupError):
        restore_sqlite(source, source)


def test_only_sqlite_files_are_backed_up() -> None:
    assert sqlite_file("sqlite:////srv/xephang/xephang.db") == Path("/srv/xephang/xephang.db")
    assert sqlite_file("postgresql+psycopg://xephang@db/xephang") is None
    with pytest.raises(BackupError):
        sqlite_file("sqlite://")


KILLED_BACKUP = """
import os, signal, sys
from pathlib import Path
import queue_server.reports.backup as backup

def killed(path):  # the copy is written: die before it is made the backup
    os.kill(os.getpid(), signal.SIGKILL)

backup.check_backup = killed
backup.backup_sqlite(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def test_a_killed_backup_leaves_no_file_at_the_target(
    settings: Settings, clock: FrozenClock, tmp_path: Path
) -> None:
    queue = open_queue(settings, clock=clock)
    queue.issue("HT")
    queue.db.dispose()
    source = sqlite_file(settings.database_url())
    assert source is not None
    target = tmp_path / "backups" / "nightly.db"
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_BACKUP, str(source), str(target)], timeout=60
    )
    assert killed.returncode == -signal.SIGKILL
    assert not target.exists()
    assert not Path(f"{target}-journal").exists()
    backup_sqlite(source, target)  # the same path works again
    assert count_tickets(target) == 1


def test_backups_and_restored_files_are_private(
    settings: Settings, clock: FrozenClock, tmp_path: Path
) -> None:
    queue = open_queue(settings, clock=clock)
    queue.db.dispose()
    source = sqlite_file(settings.database_url())
    assert source is not None
    target = tmp_path / "backup.db"
    backup_sqlite(source, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    restored = tmp_path / "restored" / "xephang.db"
    restore_sqlite(target, restored)
    assert stat.S_IMODE(restored.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
