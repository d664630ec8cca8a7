"""The laptop's export: every ticket, call, help record, rating and feedback of the site,
signed with the package's HMAC key so the center can tell it is whole and unchanged.

Rows leave with their own ids (the center maps them) and name services, categories and
officers by code or user name, never by the laptop's ids. The signature is HMAC-SHA256
over the canonical JSON of everything but the signature itself (:func:`canonical`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, select

from queue_server.core.db import Database
from queue_server.core.feedback_model import Feedback
from queue_server.core.models import (
    Assist,
    PriorityCategory,
    Rating,
    Service,
    Ticket,
    TicketEvent,
    User,
)
from queue_server.core.schema import head_revision

EXPORT_FORMAT = "xephang-site-export"
EXPORT_VERSION = 1
TICKET_FIELDS = (
    "id", "day", "seq", "number", "priority_weight", "emergency", "channel", "status",
    "issued_at", "called_at", "first_called_at", "serving_at", "finished_at", "recall_count",
    "transfer_count", "track_code", "ahead_at_issue", "estimated_wait_s", "due_at",
)  # fmt: skip
EVENT_FIELDS = ("id", "ticket_id", "at", "action", "from_status", "to_status", "actor", "detail")
RATING_FIELDS = ("id", "ticket_id", "day", "score", "reasons", "channel", "at")
ASSIST_FIELDS = ("id", "day", "at", "kind", "ticket_id", "role")
FEEDBACK_FIELDS = (
    "id", "day", "at", "due_day", "kind", "text", "channel", "ticket_id", "rating_id",
    "recorded_by", "status", "forwarded_at", "forwarded_by", "forwarded_unit", "answered_at",
    "answered_by", "answer", "phone", "phone_consented_at",
)  # fmt: skip


def canonical(document: dict[str, Any]) -> bytes:
    """The bytes the signature covers: the document without ``hmac``, keys sorted."""
    content = {key: value for key, value in document.items() if key != "hmac"}
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def signature(document: dict[str, Any], key: str) -> str:
    """HMAC-SHA256 (hex) of ``document`` with the package's hex ``key``."""
    return hmac.new(bytes.fromhex(key), canonical(document), hashlib.sha256).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _rows(
    conn: Connection, model: Any, names: tuple[str, ...], refs: dict[str, Any]
) -> list[dict[str, Any]]:
    """Every row of ``model`` as plain JSON: ``names`` as they are, plus ``refs``
    (output key → (column, code lookup)) naming other rows by code."""
    table = model.__table__
    rows = []
    for row in conn.execute(select(table).order_by(table.c.id)).mappings():
        entry = {name: _plain(row[name]) for name in names}
        for key, (column, lookup) in refs.items():
            entry[key] = lookup.get(row[column]) if row[column] is not None else None
        rows.append(entry)
    return rows


def export_site(db: Database, package: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The signed export of everything the site recorded (one consistent read)."""
    with db.read() as conn:
        services = dict(conn.execute(select(Service.id, Service.code)).all())
        categories = dict(conn.execute(select(PriorityCategory.id, PriorityCategory.code)).all())
        users = dict(conn.execute(select(User.id, User.username)).all())
        service_ref = {"service": ("service_id", services)}
        data = {
            "tickets": _rows(
                conn,
                Ticket,
                TICKET_FIELDS,
                {
                    **service_ref,
                    "origin_service": ("origin_service_id", services),
                    "category": ("priority_id", categories),
                    "officer": ("officer_id", users),
                },
            ),
            "events": _rows(conn, TicketEvent, EVENT_FIELDS, service_ref),
            "ratings": _rows(
                conn, Rating, RATING_FIELDS, {**service_ref, "officer": ("officer_id", users)}
            ),
            "assists": _rows(
                conn,
                Assist,
                ASSIST_FIELDS,
                {**service_ref, "category": ("priority_id", categories)},
            ),
            "feedback": _rows(conn, Feedback, FEEDBACK_FIELDS, service_ref),
        }
    document: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "schema": head_revision(),
        "center": package["center"],
        "session": package["session"],
        "exported_at": now.isoformat(),
        "data": data,
    }
    document["hmac"] = signature(document, package["key"])
    return document
