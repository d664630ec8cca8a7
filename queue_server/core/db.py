"""Database engines for SQLite (embedded, default) and PostgreSQL (cluster).

SQLite: WAL, ``synchronous=FULL`` (an acknowledged ticket survives a power cut),
a busy timeout, foreign keys, and ``BEGIN IMMEDIATE`` for writers so concurrent
writers queue up instead of failing with "database is locked".

A SQLite file deleted or replaced while in use is noticed before each transaction
(one ``stat``): the transaction fails with ``DatabaseFileGone`` instead of writing
into a deleted file or a new empty one.
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

from queue_server.core.storage import FileIdentity, private_dir

SQLITE_BUSY_TIMEOUT_MS = 15_000


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL; None for PostgreSQL and in-memory databases."""
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    return None if database.startswith("file:") else Path(database)


class Database:
    """One engine plus helpers for short read and write transactions."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = make_url(url)
        self.dialect = self.url.get_backend_name()
        # SQLite allows one writer at a time; its busy handler sleeps and polls, which
        # starves threads under load. Writers of this process queue on a lock instead;
        # the busy timeout still covers other processes (the CLI, a device worker).
        self._write_lock: contextlib.AbstractContextManager[Any] = contextlib.nullcontext()
        self.file: FileIdentity | None = None
        if self.dialect == "sqlite":
            path = sqlite_path(url)
            if path is not None:
                self.file = FileIdentity(path)
                self.file.remember()
            self.engine = _sqlite_engine(url, echo=echo, opened=self.file)
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
        self.check_file()
        with self._write_lock, self.engine.begin() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only transaction (SQLite: deferred, never takes the write lock)."""
        self.check_file()
        with self.engine.connect() as conn:
            conn = conn.execution_options(xephang_readonly=True)
            with conn.begin():
                yield conn

    def check_file(self) -> None:
        """SQLite: raise ``DatabaseFileGone`` if the file was deleted or replaced."""
        if self.file is not None:
            self.file.check()

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_engine(url: str, *, echo: bool, opened: FileIdentity | None = None) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        private_dir(Path(database).parent)
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
        if opened is not None:
            opened.remember()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        readonly = conn.get_execution_options().get("xephang_readonly", False)
        conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")

    return engine
