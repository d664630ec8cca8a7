"""Run the queue's hot statements straight through the DB-API cursor (SQLite, and
PostgreSQL with psycopg).

What it does: the first time a statement object is used, it is compiled for the
connection's dialect; the SQL text, the order of its bound parameters and their
defaults (``Compiled.positiontup`` and ``Compiled.binds``), and the result columns
(``Compiled._result_columns``) are kept with SQLAlchemy's type processors
(``bind_processor``/``result_processor``, public). Each execution converts the
parameters with those processors, runs the SQL on the DB-API cursor of the connection's
current transaction and converts the rows back; SQLAlchemy's execution context and
``Result`` are skipped (its ``before_cursor_execute`` listeners, which count statements
in tests, are still called). Rows are named tuples; :class:`FastResult` offers the few
``Result`` methods the queue uses.

PostgreSQL: compiled with ``$1`` parameters (a copy of the connection's dialect with
the ``numeric_dollar`` style, the casts psycopg's dialect renders included) and run on
psycopg's ``RawCursor``, which sends the text as it is: no rewriting of ``%(name)s`` at
each execution; psycopg still prepares it on the server (``core/pgpool.py``). Its
errors are raised as ``Connection.execute`` raises them (SQLAlchemy's exceptions, a
broken connection invalidated). A statement that SQLAlchemy must rewrite at each
execution (an expanding ``IN``) and other drivers go through ``Connection.execute``.

Why: against ``Connection.execute`` (SQLAlchemy's compiled cache) it halves the CPU time
of call-next on SQLite and saves about a quarter of issue's (docs/benchmarks.md,
December 2026); on PostgreSQL about two fifths of call-next's and a fifth of
issue's (#19). ``positiontup``, ``binds`` and ``_result_columns`` are not public API:
``tests/core/test_fastsql.py`` checks the results against ``Connection.execute`` for
every statement the queue runs through it, on both databases, and pyproject.toml caps
SQLAlchemy below the next minor version.

The cache holds each statement it compiled (an entry keyed by ``id(statement)`` alone
could be found again by a new statement given the id of a freed one) and keeps the
``MAX_ENTRIES`` most recently used.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict, namedtuple
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import psycopg
from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement, Insert
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
    """One statement compiled for a dialect, with its bind and result processors.

    ``slow``: the statement needs SQLAlchemy's work at each execution (an expanding
    ``IN`` or a parameter rendered into the SQL), so it goes through
    ``Connection.execute``.
    """

    def __init__(
        self, statement: ClauseElement, dialect: Dialect, keys: tuple[str, ...] | None = None
    ) -> None:
        self.statement = statement  # held: its id cannot be reused while cached
        self.dialect = dialect
        # An INSERT with no values of its own: compiled for the columns given (as
        # Connection.execute does), so the others take their defaults (PostgreSQL:
        # the id from its sequence, not NULL); one compilation per set of columns.
        # ``inline``: no RETURNING of the new row's key added (only Result's
        # ``inserted_primary_key`` would read it).
        bare = isinstance(statement, Insert) and not (
            statement._values or statement._multi_values or statement.select is not None
        )
        self.by_keys: dict[tuple[str, ...], _Compiled] | None = (
            {} if bare and keys is None else None
        )
        to_compile = statement.inline() if bare else statement  # type: ignore[attr-defined]
        compiled = to_compile.compile(dialect=dialect, column_keys=keys)
        assert isinstance(compiled, SQLCompiler)  # a SELECT/INSERT/UPDATE, never DDL
        self.slow = bool(compiled.post_compile_params or compiled.literal_execute_params)
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
            if bind.required:  # an INSERT's column given by the caller: always passed
                self.binds.append((key, None, processor))
                continue
            default = bind.value
            self.binds.append((key, processor(default) if processor else default, processor))
        self.columns = [(c[0], c[3]) for c in compiled._result_columns or ()]  # (name, type)
        row_type = namedtuple("Row", [name for name, _ in self.columns], rename=True)  # type: ignore[misc]  # names known at run time only
        self.make_row: Callable[[Iterable[Any]], Any] = row_type._make
        # (index, processor) of the columns that need one: made at the first result
        self.result_processors: list[tuple[int, Callable[[Any], Any]]] | None = None

    def for_keys(self, params: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> _Compiled:
        """This statement compiled for the columns of ``params`` (the first set's)."""
        if self.by_keys is None:
            return self
        first = params if isinstance(params, Mapping) else params[0] if params else {}
        keys = tuple(sorted(first))
        found = self.by_keys.get(keys)
        if found is None:
            found = self.by_keys.setdefault(keys, _Compiled(self.statement, self.dialect, keys))
        return found

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

    def rows(self, raw: Sequence[tuple[Any, ...]], cursor: Any) -> list[Any]:
        """``raw`` converted by the result processors. These are made at the first
        result: some of PostgreSQL's depend on the column's type in the cursor's
        description (its OID)."""
        if not raw:
            return []
        processors = self.result_processors
        if processors is None:
            dialect = self.dialect
            processors = self.result_processors = [
                (index, made)
                for index, ((_name, t), d) in enumerate(
                    zip(self.columns, cursor.description, strict=True)
                )
                if (made := t.dialect_impl(dialect).result_processor(dialect, d[1]))
            ]
        make = self.make_row
        if not processors:
            return [make(row) for row in raw]
        out = []
        for row in raw:
            values = list(row)
            for index, convert in processors:
                values[index] = convert(values[index])
            out.append(make(values))
        return out


class _Deferred:
    """A bind's default made by a callable at each execution."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


MAX_ENTRIES = 1024
_NUMBERED = "_xephang_fastsql_dialect"  # on a PostgreSQL dialect: its ``$1`` copy
_CURSOR = "xephang_fastsql_cursor"  # in a PostgreSQL connection's pool ``info``
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


def _fast_dialect(dialect: Dialect) -> Dialect | None:
    """The dialect fastsql compiles for: SQLite's own; for PostgreSQL with psycopg a copy
    of the connection's with ``$1`` parameters, run by psycopg's ``RawCursor`` (no
    rewriting of ``%(name)s`` at each execution). None: ``Connection.execute``."""
    if dialect.name == "sqlite":
        return dialect
    if dialect.name != "postgresql" or dialect.driver != "psycopg":
        return None
    found: Dialect | None = dialect.__dict__.get(_NUMBERED)
    if found is None:
        found = copy.copy(dialect)
        found.paramstyle = "numeric_dollar"
        found.positional = True
        found.identifier_preparer = found.preparer(found)
        setattr(dialect, _NUMBERED, found)
    return found


def _cursor(conn: Connection) -> Any:
    """A DB-API cursor of ``conn``'s current transaction. psycopg: a raw one, kept with
    the connection (in the pool entry's ``info``, which an invalidation clears) and
    used again, since a connection serves one transaction at a time."""
    dbapi_connection: Any = conn.connection.dbapi_connection
    if conn.dialect.name == "sqlite":
        return dbapi_connection.cursor()
    info = conn.connection.info
    cursor = info.get(_CURSOR)
    if cursor is None or cursor.connection is not dbapi_connection:
        cursor = info[_CURSOR] = psycopg.RawCursor(dbapi_connection)
    return cursor


def execute(
    conn: Connection,
    statement: ClauseElement,
    params: Mapping[str, Any] | Sequence[Mapping[str, Any]],
) -> Any:
    """Execute ``statement`` through the DB-API cursor (SQLite, PostgreSQL with psycopg),
    else with ``Connection.execute``.

    A list of parameter sets runs the statement once per set (no rows returned).
    """
    dialect = _fast_dialect(conn.dialect)
    if dialect is None:
        return conn.execute(statement, params)  # type: ignore[call-overload]
    compiled = _compiled(statement, dialect).for_keys(params)
    if compiled.slow:
        return conn.execute(statement, params)  # type: ignore[call-overload]
    many = not isinstance(params, Mapping)
    values: Any = (
        [compiled.params(p) for p in params] if many else compiled.params(params)  # type: ignore[arg-type]
    )
    cursor = _cursor(conn)
    if conn.dispatch.before_cursor_execute:  # statements counted or logged (tests)
        for hook in conn.dispatch.before_cursor_execute:
            hook(conn, cursor, compiled.sql, values, None, many)
    try:
        if many:
            cursor.executemany(compiled.sql, values)
        else:
            cursor.execute(compiled.sql, values)
            if compiled.columns:  # a SELECT, or DML with RETURNING
                return FastResult(compiled.rows(cursor.fetchall(), cursor))
    except conn.dialect.loaded_dbapi.Error as error:
        if conn.dialect.name == "sqlite":
            raise  # SQLite: its own errors, as before
        # PostgreSQL: wrapped as Connection.execute does, and a broken connection
        # invalidated (with the pool) so that it is not used again
        conn._handle_dbapi_exception(error, compiled.sql, values, cursor, None)
    finally:
        if conn.dialect.name == "sqlite":  # one cursor per statement
            cursor.close()
    return FastResult([])
