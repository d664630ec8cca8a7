"""SQLite is opened for durability and concurrent writers."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from queue_server.core.db import Database


def test_sqlite_pragmas(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'q.db'}")
    with db.read() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar_one() >= 5000
    db.dispose()


def test_writers_take_the_lock_at_begin(tmp_path: Path) -> None:
    """A write transaction holds SQLite's write lock from its first statement."""
    path = tmp_path / "q.db"
    first = Database(f"sqlite:///{path}")
    with first.write() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    other = Database(f"sqlite:///{path}")
    other.engine.pool.dispose()
    with first.write() as conn:
        conn.execute(text("SELECT 1"))
        raw = other.engine.raw_connection()
        try:
            raw.cursor().execute("PRAGMA busy_timeout=0")
            with pytest.raises(Exception, match="locked"):
                raw.cursor().execute("BEGIN IMMEDIATE")
        finally:
            raw.close()
    first.dispose()
    other.dispose()


def test_unsupported_database_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported database"):
        Database("mysql://localhost/x")
