"""Group commit on SQLite: concurrent operations share one COMMIT, each gets its own result."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select

from queue_server.core.bootstrap import open_queue
from queue_server.core.clock import FrozenClock
from queue_server.core.db import Database
from queue_server.core.models import OutboxEvent, Ticket
from queue_server.core.operations import Queue
from queue_server.settings import Settings

JOINERS = 7  # threads that queue up behind the first writer


class Boom(Exception):
    """An operation's own failure."""


@pytest.fixture
def sqlite_queue(settings: Settings, clock: FrozenClock, tmp_path: Path) -> Iterator[Queue]:
    queue = open_queue(settings, clock=clock, db=Database(f"sqlite:///{tmp_path / 'gc.db'}"))
    yield queue
    queue.db.dispose()


def count_commits(db: Database) -> list[int]:
    """A one-item list counting the COMMITs of ``db``'s write transactions from now on
    (read transactions end with a COMMIT too: they are not counted)."""
    commits = [0]

    @event.listens_for(db.engine, "commit")
    def _counted(conn: Any) -> None:
        if not conn.get_execution_options().get("xephang_readonly", False):
            commits[0] += 1

    return commits


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.001)


def in_one_batch(
    queue: Queue, operations: list[Callable[[], Any]], max_batch_s: float = 60.0
) -> list[Any]:
    """Run ``operations`` in threads while a first writer holds the write lock until all
    of them wait for it; each one's result, or the exception it raised. (The threads'
    start may take longer than a group may last by default: ``max_batch_s``.)"""
    group = queue.db.group
    assert group is not None
    group.max_batch_s = max_batch_s
    results: list[Any] = [None] * len(operations)

    def first() -> None:
        with queue.db.write():
            wait_for(lambda: group._waiting == len(operations), "the writers to queue up")

    def run(index: int) -> None:
        try:
            results[index] = operations[index]()
        except BaseException as exc:
            results[index] = exc

    holder = threading.Thread(target=first)
    holder.start()
    wait_for(lambda: group._lock.locked(), "the first writer")
    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(operations))]
    for thread in threads:
        thread.start()
    for thread in [holder, *threads]:
        thread.join(timeout=30)
        assert not thread.is_alive()
    return results


def committed_ticket_ids(path: Path) -> set[int]:
    """The tickets another connection sees (committed ones only)."""
    connection = sqlite3.connect(path)
    try:
        return {row[0] for row in connection.execute("SELECT id FROM tickets")}
    finally:
        connection.close()


def test_concurrent_operations_commit_together_and_each_gets_its_own_ticket(
    sqlite_queue: Queue, tmp_path: Path
) -> None:
    commits = count_commits(sqlite_queue.db)
    seen_when_answered: dict[int, bool] = {}

    def issue() -> int:
        ticket = sqlite_queue.issue("HT", channel="test").value
        # Answered only once durable: another connection already sees the ticket.
        seen_when_answered[ticket.id] = ticket.id in committed_ticket_ids(tmp_path / "gc.db")
        return ticket.id

    ids = in_one_batch(sqlite_queue, [issue] * JOINERS)

    assert commits[0] < JOINERS + 1  # the first writer's block and 7 issues
    assert commits[0] == 1
    assert len(set(ids)) == JOINERS and all(isinstance(i, int) for i in ids)
    assert seen_when_answered == dict.fromkeys(ids, True)
    with sqlite_queue.db.read() as conn:
        numbers = conn.execute(select(Ticket.id, Ticket.number)).all()
        seqs = list(conn.execute(select(OutboxEvent.seq).order_by(OutboxEvent.seq)).scalars())
    assert sorted(row.id for row in numbers) == sorted(ids)
    assert len({row.number for row in numbers}) == JOINERS
    assert seqs == list(range(1, len(seqs) + 1)), "the outbox has a gap"
    group = sqlite_queue.db.group
    assert group is not None and group.committed_blocks >= JOINERS


def test_a_failing_operation_in_a_batch_is_rolled_back_alone(sqlite_queue: Queue) -> None:
    commits = count_commits(sqlite_queue.db)

    def issue() -> int:
        return sqlite_queue.issue("HT", channel="test").value.id

    def issue_then_fail() -> int:
        with sqlite_queue.db.one_transaction():
            ticket = sqlite_queue.issue("HT", channel="failing").value
            raise Boom(ticket.id)

    operations: list[Callable[[], Any]] = [issue, issue, issue_then_fail, issue, issue]
    results = in_one_batch(sqlite_queue, operations)

    failed = results[2]
    assert isinstance(failed, Boom)  # its own exception, not the others'
    kept = [r for i, r in enumerate(results) if i != 2]
    assert all(isinstance(r, int) for r in kept) and len(set(kept)) == 4
    assert commits[0] == 1
    with sqlite_queue.db.read() as conn:
        tickets = conn.execute(select(Ticket.id, Ticket.channel)).all()
        events = conn.execute(select(OutboxEvent.seq, OutboxEvent.name, OutboxEvent.payload)).all()
    assert sorted(row.id for row in tickets) == sorted(kept)
    assert "failing" not in {row.channel for row in tickets}
    issued = [
        json.loads(row.payload)["ticket"]["id"] for row in events if row.name == "ticket_issued"
    ]
    assert sorted(issued) == sorted(kept)  # the failed operation's events are gone with it
    assert sorted(row.seq for row in events) == list(range(1, len(events) + 1))


def test_a_group_older_than_its_time_bound_commits_without_taking_more(
    sqlite_queue: Queue,
) -> None:
    commits = count_commits(sqlite_queue.db)

    def issue() -> int:
        return sqlite_queue.issue("HT", channel="test").value.id

    ids = in_one_batch(sqlite_queue, [issue] * 3, max_batch_s=0.0)
    assert len(set(ids)) == 3
    assert commits[0] == 4  # the first writer's, then each issue alone


def test_a_writer_alone_commits_at_once_without_waiting(sqlite_queue: Queue) -> None:
    """A sequential client is a batch of one: one COMMIT per operation."""
    commits = count_commits(sqlite_queue.db)
    for _ in range(5):
        sqlite_queue.issue("HT", channel="test")
    assert commits[0] == 5


def test_writers_keep_one_connection_and_a_failed_batch_opens_a_new_one(
    sqlite_queue: Queue,
) -> None:
    """Consecutive batches reuse the writers' connection (no pool checkout per batch);
    after a batch whose first block fails the next one opens a fresh connection, and
    disposing of the database closes it."""
    opened: list[Any] = []
    event.listen(sqlite_queue.db.engine, "checkout", lambda dbapi, *_: opened.append(dbapi))
    for _ in range(5):
        sqlite_queue.issue("HT", channel="test")
    assert len(opened) == 1
    with pytest.raises(Boom), sqlite_queue.db.write():
        raise Boom
    assert sqlite_queue.issue("HT", channel="test").value.id
    assert len(opened) == 2
    group = sqlite_queue.db.group
    assert group is not None and group._conn is not None
    sqlite_queue.db.dispose()
    assert group._conn is None


GREENLETS = """
from gevent import monkey

monkey.patch_all()  # as gunicorn's gevent worker does, before the app exists
import sys

import gevent

from queue_server.core.bootstrap import open_queue
from queue_server.core.db import Database
from queue_server.settings import load_settings

settings = load_settings(sys.argv[1]).model_copy(update={"data_dir": sys.argv[2]})
queue = open_queue(settings, db=Database(f"sqlite:///{sys.argv[2]}/gc.db"))
before = queue.db.group.commits
ids = []

def issue_some():
    for _ in range(20):
        ids.append(queue.issue("HT", channel="test").value.id)

gevent.joinall([gevent.spawn(issue_some) for _ in range(8)], raise_error=True)
print(len(set(ids)), queue.db.group.commits - before)
"""


def test_greenlets_under_gevent_commit_together(tmp_path: Path) -> None:
    """The production server's greenlets (monkey-patched locks) form groups too."""
    config = Path(__file__).resolve().parents[2] / "config" / "demo.toml"
    result = subprocess.run(
        [sys.executable, "-c", GREENLETS, str(config), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    tickets, commits = map(int, result.stdout.split())
    assert tickets == 160
    assert commits <= 160 // 4, f"{commits} commits for 160 issues by 8 greenlets"
