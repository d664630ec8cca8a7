"""Database engines for SQLite (embedded, default) and PostgreSQL (cluster).

SQLite: WAL, ``synchronous=FULL`` (an acknowledged ticket survives a power cut),
a busy timeout, foreign keys, and ``BEGIN IMMEDIATE`` for writers so concurrent
writers queue up instead of failing with "database is locked". Writers of one process
that meet commit together, one fsync for the group (:mod:`.groupcommit`).

A write that cannot happen now raises :class:`Unavailable` (the web answers 503 with
``Retry-After``): the write lock held longer than the busy timeout by another process,
or a full disk. After a full disk, ``storage_problem`` stays set until a write succeeds.

A SQLite file deleted or replaced while in use is noticed before each transaction
(one ``stat``): the transaction fails with ``DatabaseFileGone`` instead of writing
into a deleted file or a new empty one.
"""

from __future__ import annotations

import errno
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, NoReturn

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from queue_server.core import pgpool
from queue_server.core.errors import Unavailable
from queue_server.core.groupcommit import BatchFailed, GroupCommit, LockTimeout
from queue_server.core.storage import FileIdentity, private_dir
from queue_server.i18n import _

DEFAULT_BUSY_TIMEOUT_MS = 5_000
BUSY_RETRY_AFTER_S = 2
STORAGE_RETRY_AFTER_S = 30
UNREACHABLE_RETRY_AFTER_S = 5
PG_CONNECT_TIMEOUT_S = 5  # a PostgreSQL server that does not answer: 503 after this
# SQLite primary result codes, and PostgreSQL's "insufficient resources" SQLSTATEs.
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_FULL = 5, 6, 10, 13
PG_STORAGE_STATES = frozenset({"53100", "53000"})  # disk_full, insufficient_resources
# How long a long job (the maintenance's catch-up) waits, between two of its slices, for
# the writers of its process that wait for the write lock: at most PASS_ROUNDS pauses.
PASS_PAUSE_S = 0.001
PASS_ROUNDS = 100


def write_problem(exc: BaseException) -> str | None:
    """``"busy"`` (the write lock is taken), ``"storage"`` (the disk is full or cannot
    be written), ``"unreachable"`` (the PostgreSQL server is gone or refuses
    connections) or None for any other error."""
    cause = exc.orig if isinstance(exc, DBAPIError) else exc
    if _connection_lost(exc, cause):
        return "unreachable"
    if isinstance(cause, OSError) and cause.errno in (errno.ENOSPC, errno.EDQUOT):
        return "storage"
    code = getattr(cause, "sqlite_errorcode", None)
    if code is not None:
        primary = code & 0xFF
        if primary in (SQLITE_BUSY, SQLITE_LOCKED):
            return "busy"
        if primary in (SQLITE_FULL, SQLITE_IOERR):
            return "storage"
    if getattr(cause, "sqlstate", None) in PG_STORAGE_STATES:
        return "storage"
    return None


def _connection_lost(exc: BaseException, cause: BaseException | None) -> bool:
    """A PostgreSQL connection that broke, or could not be made (psycopg's
    OperationalError or InterfaceError with no SQLSTATE, or a connection-exception or
    operator-intervention one: class 08 or 57P)."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if cause is None or not type(cause).__module__.startswith("psycopg"):
        return False
    if type(cause).__name__ not in ("OperationalError", "InterfaceError", "AdminShutdown"):
        return False
    state = getattr(cause, "sqlstate", None) or ""
    return not state or state.startswith(("08", "57P"))


def unavailable(problem: str) -> Unavailable:
    """The error for a write refused because of ``problem`` (see :func:`write_problem`)."""
    if problem == "unreachable":
        return Unavailable(
            _("The database does not answer; try again in a moment."),
            reason="unreachable",
            retry_after_s=UNREACHABLE_RETRY_AFTER_S,
        )
    if problem == "busy":
        return Unavailable(
            _("The database is busy; try again in a moment."),
            reason="busy",
            retry_after_s=BUSY_RETRY_AFTER_S,
        )
    return Unavailable(
        _("The server cannot save data now (its disk is full); try again later."),
        reason="storage",
        retry_after_s=STORAGE_RETRY_AFTER_S,
    )


_joined: ContextVar[tuple[Database, Connection] | None] = ContextVar(
    "xephang_joined_write", default=None
)


class Database:
    """One engine plus helpers for short read and write transactions."""

    def __init__(
        self, url: str, *, echo: bool = False, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS
    ) -> None:
        self.url = make_url(url)
        self.dialect = self.url.get_backend_name()
        self.busy_timeout_s = busy_timeout_ms / 1000
        self.storage_problem: str | None = None  # set by a full disk, cleared by a write
        # SQLite allows one writer at a time; its busy handler sleeps and polls, which
        # starves threads under load. Writers of this process queue on a lock instead,
        # and those that meet there commit together (core/groupcommit.py); the busy
        # timeout still covers other processes (the CLI, a device worker).
        self.group: GroupCommit | None = None
        self._read_options: dict[str, str] = {}
        self.file: FileIdentity | None = None
        if self.dialect == "sqlite":
            path = sqlite_path(url)
            if path is not None:
                self.file = FileIdentity(path)
                self.file.remember()
            self.engine = _sqlite_engine(
                url, echo=echo, busy_timeout_ms=busy_timeout_ms, opened=self.file
            )
            self.group = GroupCommit(self.engine, self.busy_timeout_s)
        elif self.dialect == "postgresql":
            self._read_options = {"isolation_level": "REPEATABLE READ"}
            if self.url.drivername == "postgresql":
                url = str(self.url.set(drivername="postgresql+psycopg"))
            self.engine = create_engine(
                url,
                echo=echo,
                pool_size=20,
                max_overflow=20,
                connect_args={"connect_timeout": PG_CONNECT_TIMEOUT_S, **pgpool.connect_args()},
            )
            pgpool.ping_after_idle(self.engine)  # a connection broken since its last use
        else:
            raise ValueError(f"unsupported database {self.dialect!r}: use sqlite or postgresql")

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A transaction that may write (SQLite: ``BEGIN IMMEDIATE``).

        Raises :class:`Unavailable` when the lock is not had within the busy timeout
        or the disk is full; nothing of the transaction is kept then. Inside
        :meth:`one_transaction` it is that transaction (committed by it).

        SQLite: concurrent writers of this process commit together (group commit, one
        fsync); each returns only once its changes are committed, and a block that
        raises is rolled back alone. PostgreSQL: one transaction per block.
        """
        joined = _joined.get()
        if joined is not None and joined[0] is self:
            yield joined[1]
            return
        self.check_file()
        try:
            if self.group is not None:
                with self.group.transaction() as conn:
                    yield conn
            else:
                with self.engine.begin() as conn:
                    yield conn
        except LockTimeout as exc:
            raise unavailable("busy") from exc
        except BatchFailed as exc:
            problem = write_problem(exc.__cause__) if exc.__cause__ is not None else None
            if problem is None:
                raise
            self._refuse(problem, exc)
        except Exception as exc:
            problem = write_problem(exc)
            if problem is None:
                raise
            self._refuse(problem, exc)
        self.storage_problem = None

    def _refuse(self, problem: str, exc: BaseException) -> NoReturn:
        if problem == "storage":
            self.storage_problem = problem
        raise unavailable(problem) from exc

    def writers_waiting(self) -> int:
        """Writers of this process waiting for the write lock (SQLite; 0 on PostgreSQL)."""
        return self.group.waiting if self.group is not None else 0

    def let_writers_pass(self) -> None:
        """Between two slices of a long job: let the writers of this process that wait
        for the write lock (requests) go first, since the lock is not fair and the job
        would take it straight back. Yields to other threads or greenlets at least once;
        waits at most ``PASS_ROUNDS`` × ``PASS_PAUSE_S`` for a stream of writers."""
        time.sleep(0)
        for _round in range(PASS_ROUNDS):
            if not self.writers_waiting():
                return
            time.sleep(PASS_PAUSE_S)

    @contextmanager
    def one_transaction(self) -> Iterator[Connection]:
        """A write transaction that every :meth:`write` of this thread joins until it
        ends: their changes and this one's commit together, or not at all."""
        with self.write() as conn:
            token = _joined.set((self, conn))
            try:
                yield conn
            finally:
                _joined.reset(token)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only transaction that sees one moment throughout (SQLite: deferred, never
        takes the write lock; PostgreSQL: REPEATABLE READ, not each statement its own)."""
        self.check_file()
        with self.engine.connect() as conn:
            conn = conn.execution_options(xephang_readonly=True, **self._read_options)
            with conn.begin():
                yield conn

    def check_file(self) -> None:
        """SQLite: raise ``DatabaseFileGone`` if the file was deleted or replaced."""
        if self.file is not None:
            self.file.check()

    def dispose(self) -> None:
        if self.group is not None:
            self.group.close()
        self.engine.dispose()


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL; None for PostgreSQL and in-memory databases."""
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    return None if database.startswith("file:") else Path(database)


def _sqlite_engine(
    url: str, *, echo: bool, busy_timeout_ms: int, opened: FileIdentity | None = None
) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        private_dir(Path(database).parent)
    engine = create_engine(
        url,
        echo=echo,
        connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
        pool_size=20,
        max_overflow=20,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA cache_size=-32768")  # 32 MiB: keep the hot indexes in memory
        cursor.close()
        if opened is not None:
            opened.remember()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        readonly = conn.get_execution_options().get("xephang_readonly", False)
        _begin(conn, "BEGIN" if readonly else "BEGIN IMMEDIATE")

    return engine


def _begin(conn: Connection, statement: str) -> None:
    """``statement`` straight through the driver (``exec_driver_sql`` cost about a
    twentieth of a call-next's CPU time); its error wrapped as SQLAlchemy's would be."""
    dbapi_connection = conn.connection.dbapi_connection
    try:
        dbapi_connection.execute(statement)  # type: ignore[union-attr]
    except sqlite3.Error as error:
        raise DBAPIError.instance(statement, None, error, sqlite3.Error) from error
