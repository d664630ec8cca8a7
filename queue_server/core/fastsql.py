"""Run the queue's hot statements on SQLite straight through the DB-API cursor.

What it does: the first time a statement object is used, it is compiled for the
connection's SQLite dialect; the SQL text, the order of its bound parameters and their
defaults (``Compiled.positiontup`` and ``Compiled.binds``), and the result columns
(``Compiled._result_columns``) are kept with SQLAlchemy's type processors
(``bind_processor``/``result_processor``, public). Each execution converts the
parameters with those processors, runs the SQL on the DB-API cursor of the connection's
current transaction and converts the rows back; SQLAlchemy's execution context, events
and ``Result`` are skipped. Rows are named tuples; :class:`FastResult` offers the few
``Result`` methods the queue uses. Other dialects go through ``Connection.execute``.

Why: against ``Connection.execute`` (SQLAlchemy's compiled cache) it halves the CPU time
of call-next and saves about a quarter of issue's (docs/benchmarks.md, December 2026).
``positiontup``, ``binds`` and ``_result_columns`` are not public API:
``tests/core/test_fastsql.py`` checks the results against ``Connection.execute`` for
every query the queue runs through it, and pyproject.toml caps SQLAlchemy below the
next minor version.

The cache holds each statement it compiled (an entry keyed by ``id(statement)`` alone
could be found again by a new statement given the id of a freed one) and keeps the
``MAX_ENTRIES`` most recently used.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, namedtuple
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler


class FastResult:
    """The few ``Result`` methods the queue uses."""

    def __init__(self, rows: list[Any]) -> None:
        self._rows = rows

    def __iter__(self) -> Iterator[Any]:
        return iter(self._rows)

    def all(self) -> list[Any]:
        return self._rows

    def one(self) -> Any:
        if len(self._rows) != 1:
            raise LookupError(f"expected one row, got {len(self._rows)}")
        return self._rows[0]

    def one_or_none(self) -> Any:
        if len(self._rows) > 1:
            raise LookupError(f"expected at most one row, got {len(self._rows)}")
        return self._rows[0] if self._rows else None

    def scalar_one(self) -> Any:
        return self.one()[0]

    def scalar(self) -> Any:
        return self._rows[0][0] if self._rows else None


class _Compiled:
    """One statement compiled for SQLite, with its bind and result processors."""

    def __init__(self, statement: ClauseElement, dialect: Dialect) -> None:
        self.statement = statement  # held: its id cannot be reused while cached
        compiled = statement.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler)  # a SELECT/INSERT/UPDATE, never DDL
        self.sql = str(compiled)
        names = list(compiled.positiontup or [])
        # (key, default already converted, processor); a literal's bind (status_1 …) is
        # never passed, so its converted default is used as it is.
        self.binds: list[tuple[str, Any, Callable[[Any], Any] | None]] = []
        for name in names:
            bind = compiled.binds[name]
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            key = bind.key if bind.key in compiled.binds else name
            if bind.callable is not None:  # a default made at each execution: keep it so
                callable_ = bind.callable
                self.binds.append((key, _Deferred(callable_), processor))
                continue
            default = bind.value
            self.binds.append((key, processor(default) if processor else default, processor))
        columns = [(c[0], c[3]) for c in compiled._result_columns or ()]  # (name, type)
        row_type = namedtuple("Row", [name for name, _ in columns], rename=True)  # type: ignore[misc]  # names known at run time only
        self.make_row: Callable[[Iterable[Any]], Any] = row_type._make
        self.result_processors = [
            (index, processor)
            for index, (_, t) in enumerate(columns)
            if (processor := t.dialect_impl(dialect).result_processor(dialect, None))
        ]

    def params(self, values: Mapping[str, Any]) -> list[Any]:
        """The positional parameters; each passed value converted once (a statement
        may name it many times, as the candidates' union does)."""
        out = []
        converted: dict[str, Any] = {}
        for key, default, processor in self.binds:
            if key in values:
                if key not in converted:
                    value = values[key]
                    converted[key] = processor(value) if processor is not None else value
                out.append(converted[key])
            elif type(default) is _Deferred:
                value = default.make()
                out.append(processor(value) if processor is not None else value)
            else:
                out.append(default)
        return out

    def rows(self, raw: Sequence[tuple[Any, ...]]) -> list[Any]:
        processors = self.result_processors
        make = self.make_row
        if not processors:
            return [make(row) for row in raw]
        out = []
        for row in raw:
            values = list(row)
            for index, processor in processors:
                values[index] = processor(values[index])
            out.append(make(values))
        return out


class _Deferred:
    """A bind's default made by a callable at each execution."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


MAX_ENTRIES = 1024
_cache: OrderedDict[tuple[int, str], _Compiled] = OrderedDict()
_lock = threading.Lock()


def _compiled(statement: ClauseElement, dialect: Dialect) -> _Compiled:
    """The cached compilation of ``statement`` (compiled now if not cached)."""
    key = (id(statement), dialect.name)
    with _lock:
        found = _cache.get(key)
        if found is not None and found.statement is statement:
            _cache.move_to_end(key)
            return found
    compiled = _Compiled(statement, dialect)
    with _lock:
        _cache[key] = compiled
        _cache.move_to_end(key)
        while len(_cache) > MAX_ENTRIES:
            _cache.popitem(last=False)
    return compiled


def execute(
    conn: Connection,
    statement: ClauseElement,
    params: Mapping[str, Any] | Sequence[Mapping[str, Any]],
) -> Any:
    """Execute ``statement``; on SQLite through the DB-API cursor, else normally.

    A list of parameter sets runs the statement once per set (no rows returned).
    """
    if conn.dialect.name != "sqlite":
        return conn.execute(statement, params)  # type: ignore[call-overload]
    compiled = _compiled(statement, conn.dialect)
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    raw: Sequence[tuple[Any, ...]]
    try:
        if not isinstance(params, Mapping):
            cursor.executemany(compiled.sql, [compiled.params(p) for p in params])
            raw = []
        else:
            cursor.execute(compiled.sql, compiled.params(params))
            raw = cursor.fetchall() if cursor.description else []
    finally:
        cursor.close()
    return FastResult(compiled.rows(raw))
