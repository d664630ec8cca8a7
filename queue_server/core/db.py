"""Database engines for SQLite (embedded, default) and PostgreSQL (cluster).

SQLite: WAL, ``synchronous=FULL`` (an acknowledged ticket survives a power cut),
a busy timeout, foreign keys, and ``BEGIN IMMEDIATE`` for writers so concurrent
writers queue up instead of failing with "database is locked".
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

SQLITE_BUSY_TIMEOUT_MS = 15_000


class Database:
    """One engine plus helpers for short read and write transactions."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = make_url(url)
        self.dialect = self.url.get_backend_name()
        # SQLite allows one writer at a time; its busy handler sleeps and polls, which
        # starves threads under load. Writers of this process queue on a lock instead;
        # the busy timeout still covers other processes (the CLI, a device worker).
        self._write_lock: contextlib.AbstractContextManager[Any] = contextlib.nullcontext()
        if self.dialect == "sqlite":
            self.engine = _sqlite_engine(url, echo=echo)
            self._write_lock = threading.Lock()
        elif self.dialect == "postgresql":
            if self.url.drivername == "postgresql":
                url = str(self.url.set(drivername="postgresql+psycopg"))
            self.engine = create_engine(
                url, echo=echo, pool_size=20, max_overflow=20, pool_pre_ping=True
            )
        else:
            raise ValueError(f"unsupported database {self.dialect!r}: use sqlite or postgresql")

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A transaction that may write (SQLite: ``BEGIN IMMEDIATE``)."""
        with self._write_lock, self.engine.begin() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only transaction (SQLite: deferred, never takes the write lock)."""
        with self.engine.connect() as conn:
            conn = conn.execution_options(xephang_readonly=True)
            with conn.begin():
                yield conn

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_engine(url: str, *, echo: bool) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        echo=echo,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        pool_size=20,
        max_overflow=20,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA cache_size=-32768")  # 32 MiB: keep the hot indexes in memory
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        readonly = conn.get_execution_options().get("xephang_readonly", False)
        conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")

    return engine
