"""The event outbox: every event is written in the transaction of the change it reports.

An event exists if and only if its change committed. :func:`append` numbers a
transaction's events from the one row of ``outbox_head``: updating that row locks it
until commit (SQLite's writers are one at a time anyway), so the numbers are given in
commit order, one after another, with no gap, on SQLite and on PostgreSQL alike. The
relay (``queue_server/relay.py``) reads them back in that order.

Commands do not call :func:`append` themselves: :func:`recorded` wraps a command so that
its changes and its events commit together (``Queue``'s methods are so wrapped).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import (
    BigInteger,
    Connection,
    Text,
    bindparam,
    cast,
    column,
    delete,
    func,
    insert,
    select,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import JSON

from queue_server.core.context import Outcome, QueueContext
from queue_server.core.db import Database
from queue_server.core.envelope import Envelope
from queue_server.core.events import DomainEvent
from queue_server.core.fastsql import execute as fast
from queue_server.core.models import OutboxEvent, OutboxHead, UTCDateTime

T = TypeVar("T")
P = ParamSpec("P")
C = TypeVar("C", bound=QueueContext)

HEAD_ID = 1
ADVANCE = (
    update(OutboxHead)
    .where(OutboxHead.id == HEAD_ID)
    .values(seq=OutboxHead.seq + bindparam("count"))
    .returning(OutboxHead.seq)
)
INSERT = insert(OutboxEvent)
LAST_SEQ = select(OutboxHead.seq).where(OutboxHead.id == HEAD_ID)
AFTER = (
    select(OutboxEvent.seq, OutboxEvent.name, OutboxEvent.payload, OutboxEvent.private)
    .where(OutboxEvent.seq > bindparam("after"))
    .order_by(OutboxEvent.seq)
    .limit(bindparam("limit"))
)

# PostgreSQL: number and write a transaction's events in one statement, so the head row
# is locked for one round trip and the commit (every writer waits for that lock).
_head = ADVANCE.cte("head")
# The events come as one JSON array of ``[name, payload, private]`` strings (private may
# be null): one text parameter, encoded by the json module, where three text arrays
# cost psycopg a regular-expression escape per element.
_rows = (
    func.json_array_elements(cast(bindparam("events", type_=Text), JSON))
    .table_valued(column("event", JSON), with_ordinality="ord")
    .render_derived()
)
ADVANCE_AND_INSERT = (
    insert(OutboxEvent)
    .from_select(
        ["seq", "name", "payload", "private", "at"],
        select(
            _head.c.seq - bindparam("count", type_=BigInteger) + _rows.c.ord,
            _rows.c.event[0].astext,
            _rows.c.event[1].astext,
            _rows.c.event[2].astext,
            bindparam("at", type_=UTCDateTime()),
        )
        .select_from(_head)
        .join(_rows, true()),
    )
    .add_cte(_head)
    .returning(OutboxEvent.seq)
)


def _encode(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def append(conn: Connection, events: Sequence[DomainEvent], at: datetime) -> list[Envelope]:
    """Number ``events`` and write them in ``conn``'s transaction (call it last: on
    PostgreSQL the head row stays locked until commit)."""
    if not events:
        return []
    if conn.dialect.name == "postgresql":
        return _append_in_one(conn, events, at)
    last = fast(conn, ADVANCE, {"count": len(events)}).scalar_one()
    first = int(last) - len(events) + 1
    envelopes = [Envelope.of(event, first + index) for index, event in enumerate(events)]
    rows = [
        {
            "seq": e.seq,
            "name": e.name,
            "payload": _encode(e.payload),
            "private": None if e.private is None else _encode(e.private),
            "at": at,
        }
        for e in envelopes
    ]
    fast(conn, INSERT, rows)
    return envelopes


def _append_in_one(conn: Connection, events: Sequence[DomainEvent], at: datetime) -> list[Envelope]:
    """:func:`append` in one statement (PostgreSQL): the envelopes are numbered from
    the seqs the statement gave."""
    unnumbered = [Envelope.of(event, 0) for event in events]
    rows = [
        [e.name, _encode(e.payload), None if e.private is None else _encode(e.private)]
        for e in unnumbered
    ]
    params = {"count": len(events), "events": _encode(rows), "at": at}
    first = min(int(seq) for (seq,) in fast(conn, ADVANCE_AND_INSERT, params))
    return [replace(e, seq=first + index) for index, e in enumerate(unnumbered)]


def last_seq(conn: Connection) -> int:
    """The number of the latest committed event (0 before any)."""
    return int(fast(conn, LAST_SEQ, {}).scalar_one())


def read_after(conn: Connection, after: int, limit: int = 500) -> list[Envelope]:
    """Committed events numbered above ``after``, oldest first, at most ``limit``."""
    rows = fast(conn, AFTER, {"after": after, "limit": limit}).all()
    return [
        Envelope(
            row.name,
            int(row.seq),
            json.loads(row.payload),
            None if row.private is None else json.loads(row.private),
        )
        for row in rows
    ]


def read_last(conn: Connection, count: int) -> list[Envelope]:
    """The latest ``count`` committed events, oldest first."""
    return read_after(conn, max(0, last_seq(conn) - count), count)


def purge(conn: Connection, before: datetime) -> int:
    """Delete events written before ``before`` (the numbering goes on from the head)."""
    result = conn.execute(delete(OutboxEvent).where(OutboxEvent.at < before))
    return int(result.rowcount or 0)


def recorded(db: Database, run: Callable[[], Outcome[T]]) -> Outcome[T]:
    """Run a command so that its events are written in its own transaction; the outcome
    carries their envelopes (numbered, committed) for the relay."""
    with db.one_transaction() as conn:
        outcome = run()
        envelopes = append(conn, outcome.events, _moment(outcome.events))
    return replace(outcome, envelopes=envelopes)


def recording(
    command: Callable[Concatenate[C, P], Outcome[T]],
) -> Callable[Concatenate[C, P], Outcome[T]]:
    """``command`` (a function of a queue context) with its events written by
    :func:`recorded`: what ``Queue``'s methods are."""

    @functools.wraps(command)
    def run(ctx: C, /, *args: P.args, **kwargs: P.kwargs) -> Outcome[T]:
        return recorded(ctx.db, lambda: command(ctx, *args, **kwargs))

    return run


def _moment(events: Iterable[DomainEvent]) -> datetime:
    for event in events:
        return event.at
    return datetime.min  # no event: nothing is written
