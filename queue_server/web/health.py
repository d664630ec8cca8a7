"""Liveness, readiness, metrics and the OpenAPI document (no authentication)."""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, jsonify
from sqlalchemy import delete, insert, text

from queue_server.core.db import Database
from queue_server.core.devicereports import read_reports
from queue_server.core.models import IdempotencyRecord
from queue_server.core.schema import is_up_to_date
from queue_server.web.openapi import openapi_document
from queue_server.web.state import xephang

log = logging.getLogger(__name__)

ops = Blueprint("ops", __name__, url_prefix="/api/v1")

PROBE_SCOPE = "readyz-probe"  # the test write after a full disk (inserted, then deleted)
PROBE_BYTES = 16 * 1024  # more than a page: the write must find free space


@ops.get("/healthz")
def healthz() -> Response:
    """The process answers."""
    return jsonify({"status": "ok"})


def _device_check(check: Any) -> dict[str, Any]:
    try:
        result = check()
    except Exception as exc:
        log.warning("device check failed: %s", exc)
        return {"ok": False, "detail": str(exc)[:200]}
    if isinstance(result, dict):
        return {**result, "ok": bool(result.get("ok", False))}
    return {"ok": bool(result)}


@ops.get("/readyz")
def readyz() -> Response:
    """Ready to serve: database reachable and writable, schema up to date (503 if not).

    Devices (printers, LED buses) are reported under ``devices`` for information only:
    an unplugged board must not make a load balancer drop the node. They are the
    devices this process drives, checked now, and the reports stored by the device
    workers of every other process (``xephang devices`` too), with their age.
    """
    state = xephang()
    database = state.queue.db
    checks: dict[str, dict[str, Any]] = {}
    try:
        with database.read() as conn:
            conn.execute(text("SELECT 1"))
        checks["database"] = {"ok": True}
        checks["schema"] = {"ok": is_up_to_date(database)}
    except Exception as exc:
        checks["database"] = {"ok": False, "detail": type(exc).__name__}
        checks["schema"] = {"ok": False}
    checks["storage"] = _storage_check(database)
    devices = _stored_reports(database, state.queue.clock.now())
    devices |= {name: _device_check(check) for name, check in dict(state.device_status).items()}
    devices = dict(sorted(devices.items()))
    ready = all(c["ok"] for c in checks.values())
    body = {"status": "ready" if ready else "not_ready", "checks": checks, "devices": devices}
    response = jsonify(body)
    response.status_code = 200 if ready else 503
    return response


def _stored_reports(database: Database, now: datetime) -> dict[str, dict[str, Any]]:
    """What the device workers of every process reported (this process's own live
    checks replace its entries)."""
    try:
        return {report.name: report.to_check(now) for report in read_reports(database)}
    except Exception as exc:  # the database check above says what is wrong
        log.warning("readyz: device reports not read: %s", exc)
        return {}


def _storage_check(database: Database) -> dict[str, Any]:
    """After a write failed for a full disk: not ready until a test write succeeds."""
    if database.storage_problem is None:
        return {"ok": True}
    try:
        with database.write() as conn:  # a successful write clears the problem
            conn.execute(
                insert(IdempotencyRecord).values(
                    scope=PROBE_SCOPE,
                    key=secrets.token_hex(8),
                    request="readyz",
                    body={"padding": "x" * PROBE_BYTES},
                    created_at=datetime.now(UTC),
                )
            )
            conn.execute(delete(IdempotencyRecord).where(IdempotencyRecord.scope == PROBE_SCOPE))
    except Exception as exc:
        log.warning("readyz: the database still cannot be written: %s", exc)
        return {"ok": False, "detail": "disk_full"}
    return {"ok": True}


@ops.get("/metrics")
def metrics() -> Response:
    """Prometheus text format."""
    state = xephang()
    waiting = {s["code"]: s["waiting"] for s in state.queue.snapshot(recent=0)["services"]}
    return Response(
        state.metrics.render(waiting),
        mimetype="text/plain",
        content_type="text/plain; version=0.0.4; charset=utf-8",
    )


@ops.get("/openapi.json")
def openapi() -> Response:
    """This API described as OpenAPI 3.1."""
    return jsonify(openapi_document())
