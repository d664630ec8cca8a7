"""The OpenAPI description of the operations routes (``queue_server/web/health.py``):
liveness, readiness, Prometheus metrics and this document."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from queue_server.web.openapi_table import Route


class Health(BaseModel):
    status: str


class Check(BaseModel):
    ok: bool


class Ready(BaseModel):
    status: Literal["ready", "not_ready"]
    checks: dict[str, Check]
    devices: dict[str, Check] = Field(
        default={},
        description="Printers and LED boards, for information: they do not change the status.",
    )


OPS_ANSWERS: tuple[type[BaseModel], ...] = (
    Health,
    Ready,
)


# fmt: off
OPS_ROUTES: tuple[Route, ...] = (
    Route("get", "/healthz", "healthz", "The process answers", {200: ("Health", "Alive.")},
          errors=(), public=True),
    Route("get", "/readyz", "readyz",
          "Database writable and schema up to date (devices reported apart)",
          {200: ("Ready", "Ready."), 503: ("Ready", "Not ready; see the failing checks.")},
          errors=(), public=True),
    Route("get", "/metrics", "metrics", "Prometheus metrics",
          {200: ({"text/plain": {"schema": {"type": "string"}}},
                 "Text exposition format 0.0.4.")},
          errors=(), public=True),
    Route("get", "/openapi.json", "openapi", "This document",
          {200: ({"application/json": {"schema": {"type": "object"}}}, "OpenAPI 3.1.")},
          errors=(), public=True),
)
# fmt: on
