"""OpenAPI paths and schemas of the records routes."""

from __future__ import annotations

from typing import Any

PATHS: dict[str, Any] = {}
SCHEMAS: dict[str, Any] = {}
