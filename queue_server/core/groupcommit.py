"""Group commit for SQLite: concurrent writers of one process share one COMMIT.

A durable SQLite commit (WAL, ``synchronous=FULL``) costs one fsync; writers that come
together commit together under one. The writers of a process take turns on one lock,
as before; the first opens a transaction (``BEGIN IMMEDIATE``) and runs its block in it.
A writer that finds a transaction open joins it: its block runs inside a ``SAVEPOINT``,
so a block that raises is rolled back alone (its changes and its outbox events gone)
and gets its own exception, while the others' stay. After its block, a writer yields
once (``time.sleep(0)``: other threads, or under gevent's monkey-patching other
greenlets, reach the lock); if somebody waits for the lock, it hands the lock over and
waits for the commit; else (or once :data:`MAX_BATCH` blocks joined, or the
transaction is :data:`MAX_BATCH_S` old) it commits the transaction, one fsync for all,
and wakes them. A long block that joins (an import) delays its group's answers by its
own duration, once. No writer returns before the COMMIT
returned; if the COMMIT fails, every writer of the batch gets :class:`BatchFailed`.

The outbox head row is advanced by each block in turn inside the one transaction, so
event numbers stay gap-free (a rolled-back block's numbers are given to the next) and
in commit order. A writer alone (a sequential client) is a batch of one, without a
savepoint.

The writers' connection is kept between batches (checking one out of the pool and back
in for every batch cost about a tenth of a call-next's CPU time); it is closed after a
failed batch, and by :meth:`GroupCommit.close`.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine

SAVEPOINT = "group_block"  # one name: a batch's blocks run one after the other
MAX_BATCH = 64  # blocks per commit at most, and
MAX_BATCH_S = 0.05  # no more joining after this: bounds the wait of a group's first block
ORPHAN_CHECK_S = 0.5  # a batch left open (its next writer gave up) is committed after this


class LockTimeout(Exception):
    """The write lock was not had within the timeout."""


class BatchFailed(Exception):
    """The commit of the batch this writer's block was in failed (``__cause__``: why)."""


class _Batch:
    """One open transaction and the blocks that joined it."""

    __slots__ = ("conn", "done", "error", "members", "opened")

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.opened = time.monotonic()
        self.members = 0  # blocks that ran to their end inside it
        self.done = threading.Event()
        self.error: BaseException | None = None


class GroupCommit:
    """The writers of one SQLite engine in this process, committed in groups."""

    def __init__(
        self,
        engine: Engine,
        timeout_s: float,
        max_batch: int = MAX_BATCH,
        max_batch_s: float = MAX_BATCH_S,
    ) -> None:
        self.engine = engine
        self.timeout_s = timeout_s
        self.max_batch = max_batch
        self.max_batch_s = max_batch_s
        self._lock = threading.Lock()  # held by the writer running its block, or committing
        self._count_lock = threading.Lock()
        self._waiting = 0  # writers waiting for the lock
        self._batch: _Batch | None = None
        self._conn: Connection | None = None  # kept between batches, used under the lock
        self.commits = 0  # transactions committed, and the blocks they held
        self.committed_blocks = 0

    @property
    def waiting(self) -> int:
        """Writers waiting for the lock now."""
        return self._waiting

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A write transaction shared with concurrent writers; returns once committed."""
        self._acquire()
        try:
            batch = self._batch
            if batch is None:
                batch = self._open()
        except BaseException:
            self._lock.release()
            raise
        savepoint = batch.members > 0
        try:
            if savepoint:
                _driver_execute(batch.conn, f"SAVEPOINT {SAVEPOINT}")
        except BaseException as exc:
            self._fail(batch, exc)
            raise
        try:
            yield batch.conn
            if savepoint:
                _driver_execute(batch.conn, f"RELEASE {SAVEPOINT}")
        except BaseException:
            self._abandon(batch, savepoint)
            raise
        batch.members += 1
        self._hand_over_or_commit(batch)
        self._wait(batch)
        if batch.error is not None:
            raise BatchFailed(str(batch.error)) from batch.error

    def _acquire(self) -> None:
        with self._count_lock:
            self._waiting += 1
        try:
            acquired = self._lock.acquire(timeout=self.timeout_s)
        finally:
            with self._count_lock:
                self._waiting -= 1
        if not acquired:
            raise LockTimeout

    def _open(self) -> _Batch:
        conn = self._conn
        if conn is None or conn.invalidated:
            conn = self._conn = self.engine.connect()
        try:
            conn.begin()  # BEGIN IMMEDIATE (the engine's "begin" listener)
        except BaseException:
            self._drop(conn)
            raise
        self._batch = _Batch(conn)
        return self._batch

    def _drop(self, conn: Connection) -> None:
        """Close the writers' connection (after a failure): the next batch opens anew."""
        if self._conn is conn:
            self._conn = None
        with contextlib.suppress(Exception):
            conn.close()

    def close(self) -> None:
        """Close the kept connection (the engine is being disposed of)."""
        if self._lock.acquire(timeout=self.timeout_s):
            try:
                if self._conn is not None and self._batch is None:
                    self._drop(self._conn)
            finally:
                self._lock.release()

    def _hand_over_or_commit(self, batch: _Batch) -> None:
        """Holding the lock after a block: let a waiting writer join, else commit."""
        if batch.members < self.max_batch and time.monotonic() - batch.opened < self.max_batch_s:
            try:
                time.sleep(0)  # a yield: lets writers that are on their way reach the lock
            except BaseException:  # e.g. a gevent.Timeout delivered at the switch
                self._commit(batch)
                raise
            with self._count_lock:
                waiting = self._waiting
            if waiting:
                self._lock.release()
                return
        self._commit(batch)

    def _commit(self, batch: _Batch) -> None:
        """COMMIT (one fsync), release the lock, wake the batch. Holding the lock."""
        self._batch = None
        try:
            batch.conn.commit()
            self.commits += 1
            self.committed_blocks += batch.members
        except BaseException as exc:
            batch.error = exc
            _quietly_rollback(batch.conn)
            self._drop(batch.conn)
        finally:
            self._lock.release()
            batch.done.set()

    def _abandon(self, batch: _Batch, savepoint: bool) -> None:
        """Holding the lock after a block raised: undo that block alone."""
        if not savepoint:  # the first block: nobody else is in the transaction
            self._fail(batch, RuntimeError("the first block of the transaction failed"))
            return
        error: BaseException | None = None
        try:
            _driver_execute(batch.conn, f"ROLLBACK TO {SAVEPOINT}")
            _driver_execute(batch.conn, f"RELEASE {SAVEPOINT}")
        except BaseException as exc:
            error = exc
        if error is None and _in_transaction(batch.conn):
            self._hand_over_or_commit(batch)
            return
        # SQLite rolled the whole transaction back (e.g. a full disk): the batch is lost.
        self._fail(batch, error or RuntimeError("the transaction was rolled back"))

    def _fail(self, batch: _Batch, error: BaseException) -> None:
        """Holding the lock: roll the whole batch back; its writers get ``error``."""
        self._batch = None
        batch.error = error
        _quietly_rollback(batch.conn)
        self._drop(batch.conn)
        self._lock.release()
        batch.done.set()

    def _wait(self, batch: _Batch) -> None:
        """Until the batch committed. A batch whose next writer gave up waiting for the
        lock (nobody else came) is committed by one of its own."""
        while not batch.done.wait(ORPHAN_CHECK_S):
            if self._lock.acquire(blocking=False):
                if self._batch is batch:
                    self._commit(batch)
                else:
                    self._lock.release()


def _driver_execute(conn: Connection, statement: str) -> None:
    """A savepoint statement straight through the driver: SQLAlchemy's ``begin_nested``
    compiles its SAVEPOINT and RELEASE anew every time (a new name each), which cost
    about a tenth of an issue's CPU time."""
    conn.connection.dbapi_connection.execute(statement)  # type: ignore[union-attr]


def _in_transaction(conn: Connection) -> bool:
    return bool(conn.connection.dbapi_connection.in_transaction)  # type: ignore[union-attr]


def _quietly_rollback(conn: Connection) -> None:
    with contextlib.suppress(Exception):  # it is closed next; the pool resets it
        conn.rollback()
