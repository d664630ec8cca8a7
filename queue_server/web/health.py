"""Liveness, readiness, metrics and the OpenAPI document (no authentication)."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Response, jsonify
from sqlalchemy import text

from queue_server.core.schema import is_up_to_date
from queue_server.web.openapi import openapi_document
from queue_server.web.state import xephang

log = logging.getLogger(__name__)

ops = Blueprint("ops", __name__, url_prefix="/api/v1")


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
    """Database reachable, schema up to date, and every registered device check passes."""
    state = xephang()
    checks: dict[str, dict[str, Any]] = {}
    try:
        with state.queue.db.read() as conn:
            conn.execute(text("SELECT 1"))
        checks["database"] = {"ok": True}
        checks["schema"] = {"ok": is_up_to_date(state.queue.db)}
    except Exception as exc:
        checks["database"] = {"ok": False, "detail": type(exc).__name__}
        checks["schema"] = {"ok": False}
    for name, check in sorted(state.device_status.items()):
        checks[f"device:{name}"] = _device_check(check)
    ready = all(c["ok"] for c in checks.values())
    response = jsonify({"status": "ready" if ready else "not_ready", "checks": checks})
    response.status_code = 200 if ready else 503
    return response


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
