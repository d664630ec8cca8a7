"""Run prepared statements on SQLite straight through the DB-API cursor.

SQLAlchemy spends more time preparing an execution than SQLite spends running a
small statement. For the hot paths on SQLite we compile each prepared statement once
and reuse the SQL text with SQLAlchemy's own type processors (public
``bind_processor``/``result_processor``), inside the same transaction. Other
databases use ``Connection.execute`` unchanged.
"""

from __future__ import annotations

import threading
from collections import namedtuple
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
        compiled = statement.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler)  # a SELECT/INSERT/UPDATE, never DDL
        self.sql = str(compiled)
        names = list(compiled.positiontup or [])
        self.binds: list[tuple[str, Any, Callable[[Any], Any] | None]] = []
        for name in names:
            bind = compiled.binds[name]
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            default = bind.value if bind.callable is None else bind.callable()
            self.binds.append(
                (bind.key if bind.key in compiled.binds else name, default, processor)
            )
        columns = [(c[0], c[3]) for c in compiled._result_columns or ()]  # (name, type)
        row_type = namedtuple("Row", [name for name, _ in columns], rename=True)  # type: ignore[misc]  # names known at run time only
        self.make_row: Callable[[Iterable[Any]], Any] = row_type._make
        self.result_processors = [
            t.dialect_impl(dialect).result_processor(dialect, None) for _, t in columns
        ]

    def params(self, values: Mapping[str, Any]) -> list[Any]:
        out = []
        for key, default, processor in self.binds:
            value = values.get(key, default)
            out.append(processor(value) if processor is not None else value)
        return out

    def rows(self, raw: Sequence[tuple[Any, ...]]) -> list[Any]:
        processors = self.result_processors
        make = self.make_row
        return [
            make(p(v) if p is not None else v for p, v in zip(processors, row, strict=True))
            for row in raw
        ]


_cache: dict[tuple[int, str], _Compiled] = {}
_lock = threading.Lock()


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
    key = (id(statement), conn.dialect.name)
    compiled = _cache.get(key)
    if compiled is None:
        with _lock:
            compiled = _cache.setdefault(key, _Compiled(statement, conn.dialect))
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
