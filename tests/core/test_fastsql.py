"""The SQLite fast path (``core/fastsql.py``) against SQLAlchemy's supported path.

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
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from sqlalchemy import Connection, bindparam, literal, select
from sqlalchemy.sql import ClauseElement

from queue_server.core import fastsql
from queue_server.core.bootstrap import open_queue
from queue_server.core.clock import FrozenClock
from queue_server.core.db import Database
from queue_server.core.operations import Queue
from queue_server.settings import Settings

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
    """Stands in for ``fastsql.execute``: runs each query both ways and compares."""

    def __init__(self) -> None:
        self.compared: set[int] = set()

    def __call__(self, conn: Connection, statement: ClauseElement, params: Any) -> Any:
        fast = fastsql.execute(conn, statement, params)
        if not getattr(statement, "is_select", False):
            return fast
        rows = fast.all()
        expected = conn.execute(statement, params).all()  # type: ignore[call-overload]
        assert [tuple(r) for r in rows] == [tuple(r) for r in expected], statement
        assert [[type(v) for v in r] for r in rows] == [[type(v) for v in r] for r in expected]
        assert [list(r._fields) for r in rows] == [list(r._fields) for r in expected]
        self.compared.add(id(statement))
        return fastsql.FastResult(rows)


def test_every_query_gives_what_connection_execute_gives(
    sqlite_queue: Queue, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = Comparing()
    users = [m for m in list(sys.modules.values()) if getattr(m, "fast", None) is fastsql.execute]
    assert users, "no module runs statements through fastsql"
    for module in users:
        monkeypatch.setattr(module, "fast", spy)
    queue = sqlite_queue
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
    assert len(spy.compared) >= 5
