"""``Idempotency-Key``: a repeated POST returns the first response and changes nothing.

Keys are stored in the database per token or user, with the response, for one day.
The key is claimed before the operation runs, so two concurrent requests with the same
key cannot both act: the second gets 409 until the first has finished.

The operation and its stored answer commit in one transaction: a request either
changed nothing, or changed something and has its answer for a retry to replay.

A claim names its owner (host, process id and the process's start time). A process
killed mid-request (``kill -9``, a power cut) leaves its claim behind, and nothing
else: a retry takes it over at once when the owner is a dead process of this host, or
after :data:`CLAIM_LEASE` when the owner is on another host, and runs the request.
"""

from __future__ import annotations

import json
import logging
import os
import socket
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from flask import Response, request
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from queue_server.core.db import Database
from queue_server.core.models import IdempotencyRecord
from queue_server.core.processes import has_ended, process_start
from queue_server.i18n import _
from queue_server.relay import holding_events, publish_held
from queue_server.web.errors import ApiError

log = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
KEEP_FOR = timedelta(days=1)
CLAIM_LEASE = timedelta(seconds=60)  # no request runs this long (busy timeout: seconds)
MAX_KEY_LENGTH = 200


def claim_owner() -> dict[str, Any]:
    """Who runs a request: this host, process id and the process's start time."""
    pid = os.getpid()
    return {"host": socket.gethostname(), "pid": pid, "start": process_start(pid)}


def _owner_is_dead(body: object) -> bool:
    """True when the claim's owner is a process of this host that no longer runs."""
    owner = body.get("claim") if isinstance(body, dict) else None
    if not isinstance(owner, dict) or owner.get("host") != socket.gethostname():
        return False
    pid = owner.get("pid")
    if not isinstance(pid, int):
        return False
    start = owner.get("start")
    return has_ended(pid, start if isinstance(start, int) else None)


def _valid_key(key: str) -> bool:
    return 1 <= len(key) <= MAX_KEY_LENGTH and key.isascii() and key.isprintable()


def _replay(status: int, body: object) -> Response:
    if status == 204 or body is None:
        response = Response(status=status)
    else:
        response = Response(json.dumps(body), status=status, mimetype="application/json")
    response.headers["Idempotent-Replayed"] = "true"
    return response


def run_once(db: Database, scope: str, now: datetime, produce: Callable[[], Response]) -> Response:
    """Run ``produce`` unless this request's key was seen; store 2xx responses."""
    key = request.headers.get(HEADER)
    if key is None:
        return produce()
    key = key.strip()
    if not _valid_key(key):
        raise ApiError(
            400,
            _("The Idempotency-Key header must be 1 to 200 printable ASCII characters."),
            field=HEADER,
        )
    fingerprint = f"{request.method} {request.path}"[:300]
    existing = _claim(db, scope, key, fingerprint, now)
    if existing is not None:
        request_seen, status, body = existing
        if request_seen != fingerprint:
            raise ApiError(422, _("This Idempotency-Key was used for another request."))
        if status is None:
            raise ApiError(409, _("A request with this Idempotency-Key is still running."))
        return _replay(status, body)
    try:
        # The operation's writes join this transaction, so the answer is stored with
        # the change it describes: a committed ticket always has its answer. Events
        # are published after the commit.
        with db.one_transaction() as conn, holding_events() as held:
            response = produce()
            answered = 200 <= response.status_code < 300
            mine = (
                IdempotencyRecord.scope == scope,
                IdempotencyRecord.key == key,
                IdempotencyRecord.status_code.is_(None),
            )
            if answered:
                body = response.get_json(silent=True) if response.status_code != 204 else None
                conn.execute(
                    update(IdempotencyRecord)
                    .where(*mine)
                    .values(status_code=response.status_code, body=body)
                )
            else:
                conn.execute(delete(IdempotencyRecord).where(*mine))
    except BaseException:
        _release(db, scope, key)
        raise
    publish_held(held)
    return response


def _claim(
    db: Database, scope: str, key: str, fingerprint: str, now: datetime
) -> tuple[str, int | None, object] | None:
    """Insert the key; None if it is ours now, else (request, status, body) seen first.

    A claim left by a dead process, or older than :data:`CLAIM_LEASE`, is taken over.
    """
    for _attempt in range(3):
        try:
            with db.write() as conn:
                conn.execute(
                    delete(IdempotencyRecord).where(IdempotencyRecord.created_at < now - KEEP_FOR)
                )
                conn.execute(
                    insert(IdempotencyRecord).values(
                        scope=scope,
                        key=key,
                        request=fingerprint,
                        created_at=now,
                        body={"claim": claim_owner()},
                    )
                )
            return None
        except IntegrityError:
            pass
        with db.read() as conn:
            row = conn.execute(
                select(
                    IdempotencyRecord.id,
                    IdempotencyRecord.request,
                    IdempotencyRecord.status_code,
                    IdempotencyRecord.body,
                    IdempotencyRecord.created_at,
                ).where(IdempotencyRecord.scope == scope, IdempotencyRecord.key == key)
            ).one_or_none()
        if row is None:  # expired and purged in between: try again
            continue
        abandoned = row.status_code is None and (
            _owner_is_dead(row.body) or row.created_at < now - CLAIM_LEASE
        )
        if not abandoned or row.request != fingerprint:
            return row.request, row.status_code, row.body
        with db.write() as conn:  # one retry removes it; the insert decides who runs
            conn.execute(
                delete(IdempotencyRecord).where(
                    IdempotencyRecord.id == row.id, IdempotencyRecord.status_code.is_(None)
                )
            )
    return fingerprint, None, None


def _release(db: Database, scope: str, key: str) -> None:
    """Forget the claim of a request that failed (it may be retried with the key)."""
    try:
        with db.write() as conn:
            conn.execute(
                delete(IdempotencyRecord).where(
                    IdempotencyRecord.scope == scope,
                    IdempotencyRecord.key == key,
                    IdempotencyRecord.status_code.is_(None),
                )
            )
    except Exception:  # e.g. the disk is still full: a retry takes the claim over
        log.warning("idempotency: could not release the claim of %s", key, exc_info=True)
