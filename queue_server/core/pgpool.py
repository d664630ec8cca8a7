"""PostgreSQL connections: prepared statements, and a ping only after a pause.

- **Prepared statements.** psycopg prepares a statement on the server once a
  connection has run it ``prepare_threshold`` times (its default: 5). The queue's hot
  statements are built once (``core/statements.py``) and run thousands of times, so
  they are prepared at their second run on a connection (:data:`PREPARE_THRESHOLD`; a
  one-off query is never prepared) and then run as Bind/Execute with no parsing or
  planning on the server.
- **Ping after a pause.** SQLAlchemy's ``pool_pre_ping`` sends a ``SELECT 1`` (a round
  trip, plus the ``BEGIN`` psycopg puts before it) at every checkout, i.e. before every
  transaction. A connection in steady use cannot have been cut without the previous
  statement noticing, so the ping is sent only when the connection sat unused in the
  pool for :data:`PING_AFTER_IDLE_S` or more (a database restarted during a quiet
  moment); a broken one is then replaced, and the whole pool with it, as
  ``pool_pre_ping`` does. A connection that breaks under load fails its statement, which
  answers 503 ("unreachable") and makes SQLAlchemy replace the pool.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Engine, event, exc

PREPARE_THRESHOLD = 1  # runs before a statement is prepared on a connection
PING_AFTER_IDLE_S = 1.0
_USED_AT = "xephang_used_at"  # in a pool record's ``info``: when it was last checked in


def connect_args() -> dict[str, Any]:
    """psycopg's connection arguments for server-side prepared statements."""
    return {"prepare_threshold": PREPARE_THRESHOLD}


def ping_after_idle(engine: Engine) -> None:
    """Ping a pooled connection at checkout only if it was idle (see the module)."""
    dialect = engine.dialect

    @event.listens_for(engine.pool, "checkin")
    def _checked_in(_dbapi_connection: Any, record: Any) -> None:
        if record is not None:
            record.info[_USED_AT] = time.monotonic()

    @event.listens_for(engine.pool, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        used_at = record.info.get(_USED_AT)
        if used_at is None or time.monotonic() - used_at < PING_AFTER_IDLE_S:
            return  # new, or in steady use
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, dbapi_connection, None):
                raise exc.InvalidatePoolError() from error
            raise
