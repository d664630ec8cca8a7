"""The SQLite backup copies a consistent snapshot while the server holds the database."""

from __future__ import annotations

import sqlite3
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
