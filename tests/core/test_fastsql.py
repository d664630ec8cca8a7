"""The fast path (``core/fastsql.py``) against SQLAlchemy's supported path, on SQLite and
PostgreSQL.

fastsql reads three non-public attributes of a compiled statement (``positiontup``,
``binds``, ``_result_columns``). These tests pin it to the SQLAlchemy versions that
pyproject.toml allows: every query the queue runs through it must give the rows
``Connection.execute`` gives, and a cached statement must stay alive (its id is the key).
"""

from __future__ import annotations

import gc
import sys
import tomllib
import weakref
from collections.abc import Iterator, Mapping
from importlib.metadata import version
from pathlib import Path
from typing import Any

import psycopg
import pytest
from packaging.requirements import Requirement
from sqlalchemy import Connection, bindparam, literal, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement, Insert

from queue_server.core import estimate_groups, estimate_sql, fastsql, numbering, outbox
from queue_server.core import statements as sql
from queue_server.core.bootstrap import open_queue
from queue_server.core.clock import FrozenClock
from queue_server.core.db import Database
from queue_server.core.errors import Unavailable
from queue_server.core.operations import Queue
from queue_server.settings import Settings
from tests.conftest import PG_ADMIN_DSN

REPO = Path(__file__).resolve().parents[2]


def sqlalchemy_requirement() -> Requirement:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    found = [Requirement(d) for d in project["dependencies"] if d.startswith("sqlalchemy")]
    assert len(found) == 1
    return found[0]


def test_sqlalchemy_is_within_the_tested_range() -> None:
    requirement = sqlalchemy_requirement()
    assert any(spec.operator == "<" for spec in requirement.specifier), (
        "fastsql uses SQLAlchemy internals: keep an upper bound on SQLAlchemy"
    )
    assert requirement.specifier.contains(version("sqlalchemy"))


@pytest.fixture
def sqlite_queue(settings: Settings, clock: FrozenClock, tmp_path: Path) -> Iterator[Queue]:
    database = Database(f"sqlite:///{tmp_path / 'queue.db'}")
    yield open_queue(settings, clock=clock, db=database)
    database.dispose()


def test_a_cached_statement_is_held(sqlite_queue: Queue) -> None:
    statement: ClauseElement = select(literal(7).label("seven"), bindparam("x", 0).label("x"))
    alive = weakref.ref(statement)
    with sqlite_queue.db.write() as conn:
        assert fastsql.execute(conn, statement, {"x": 5}).one() == (7, 5)
    del statement
    gc.collect()
    assert alive() is not None  # a freed statement's id could be given to another one


def test_the_cache_keeps_the_most_recent_entries(
    sqlite_queue: Queue, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fastsql, "MAX_ENTRIES", 3)
    statements = [select(literal(n).label("n")) for n in range(5)]
    with sqlite_queue.db.write() as conn:
        for n, statement in enumerate(statements):
            assert fastsql.execute(conn, statement, {}).scalar_one() == n
    cached = [entry.statement for entry in fastsql._cache.values()]
    assert len(cached) == 3
    assert all(any(s is c for c in cached) for s in statements[2:])


class Comparing:
    """Stands in for ``fastsql.execute``: runs each statement both ways and compares.

    A statement that changes rows (DML, or a SELECT with data-modifying CTEs on
    PostgreSQL) runs through ``Connection.execute`` in a savepoint rolled back, then
    through fastsql for real. An INSERT's values may differ (PostgreSQL's sequences do
    not roll back): its types and names are compared.
    """

    def __init__(self) -> None:
        self.compared: set[int] = set()

    def __call__(self, conn: Connection, statement: ClauseElement, params: Any) -> Any:
        if not isinstance(params, Mapping):  # several rows written, none returned
            return fastsql.execute(conn, statement, params)
        sql = str(statement.compile(dialect=conn.dialect))
        changes = not sql.lstrip().startswith("SELECT")
        if changes:
            savepoint = conn.begin_nested()
            result = conn.execute(statement, params)  # type: ignore[call-overload]
            expected = result.all() if result.returns_rows else []
            savepoint.rollback()
            rows = fastsql.execute(conn, statement, params).all()
        else:
            rows = fastsql.execute(conn, statement, params).all()
            expected = conn.execute(statement, params).all()  # type: ignore[call-overload]
        if not (changes and isinstance(statement, Insert)):
            assert [tuple(r) for r in rows] == [tuple(r) for r in expected], sql
        assert [[type(v) for v in r] for r in rows] == [[type(v) for v in r] for r in expected]
        assert [list(r._fields) for r in rows] == [list(r._fields) for r in expected]
        self.compared.add(id(statement))
        return fastsql.FastResult(rows)


def test_every_statement_gives_what_connection_execute_gives(
    queue: Queue, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = Comparing()
    users = [m for m in list(sys.modules.values()) if getattr(m, "fast", None) is fastsql.execute]
    assert users, "no module runs statements through fastsql"
    for module in users:
        monkeypatch.setattr(module, "fast", spy)
    services = list(queue.catalogue.services)
    categories = list(queue.catalogue.categories)
    for n in range(12):
        priority = categories[0] if categories and n % 4 == 0 else None
        queue.issue(services[n % len(services)], priority, channel="kiosk", actor="test")
    counters = list(queue.catalogue.counters)
    for counter in counters[:3]:
        called = queue.call_next(counter, actor="test").value
        if called is None:
            continue
        queue.recall(counter, actor="test")
        queue.start_serving(counter, actor="test")
        queue.finish(counter, actor="test")
        queue.call_next(counter, actor="test")
    queue.snapshot()
    # A priority ticket's place by groups (core/estimate_sql.py): heads, counts, and the
    # tickets at the edge (the frozen clock issues them all at the edge).
    elderly = [queue.issue(services[0], "elderly").value for _ in range(14)]
    queue.ticket(elderly[3].id)
    groups = (None, *queue.catalogue.category_ids)
    emergency = estimate_groups.emergency_groups(queue.catalogue)
    walk_ins = tuple(g for g in groups if g not in emergency)
    hot = [sql.COUNTER_STATE_FOR_UPDATE, sql.ISSUE_FACTS, sql.INSERT_TICKET]
    hot += [estimate_sql.facts(emergency), estimate_sql.heads(walk_ins)]
    hot += [estimate_sql.counts(groups), estimate_sql.near(groups)]
    if queue.db.engine.dialect.name == "postgresql":
        hot += [sql.CLOSE_AND_LEARN, sql.CLAIM_AND_SEAT, outbox.ADVANCE_AND_INSERT]
        hot += [numbering._UPSERTS["postgresql"]]
    assert not [s for s in hot if id(s) not in spy.compared]
    assert len(spy.compared) >= 14


def test_a_broken_connection_is_not_used_again_on_postgresql(pg_queue: Queue) -> None:
    """A PostgreSQL error in fastsql is SQLAlchemy's (the 503 "unreachable") and a
    broken connection is invalidated, as with ``Connection.execute``: the next command
    gets a working one."""
    queue = pg_queue
    queue.issue("HT")
    with pytest.raises(Unavailable) as refused, queue.db.write() as conn:
        pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        fastsql.execute(conn, sql.COUNTER_STATE, {"counter_id": 1})
    cause = refused.value.__cause__
    assert isinstance(cause, DBAPIError) and cause.connection_invalidated
    assert queue.issue("HT").value.number.endswith("002")  # the first was kept


def test_a_postgresql_error_is_sqlalchemys(pg_queue: Queue) -> None:
    with pytest.raises(DBAPIError) as raised, pg_queue.db.engine.begin() as conn:
        fastsql.execute(conn, select(literal(1) / bindparam("zero", 0)), {})
    assert isinstance(raised.value.orig, psycopg.errors.DivisionByZero)
