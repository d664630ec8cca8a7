"""Parts of the OpenAPI document kept next to the routes they describe.

Each module has ``PATHS`` (merged into ``paths``) and ``SCHEMAS`` (merged into
``components.schemas``); ``queue_server.web.openapi`` joins them.
"""

from __future__ import annotations

from typing import Any

from queue_server.web.openapi_parts import admin, ratings, records

PARTS = (ratings, admin, records)


def extra_paths() -> dict[str, Any]:
    """Every part's paths."""
    paths: dict[str, Any] = {}
    for part in PARTS:
        paths.update(part.PATHS)
    return paths


def extra_schemas() -> dict[str, Any]:
    """Every part's schemas."""
    schemas: dict[str, Any] = {}
    for part in PARTS:
        schemas.update(part.SCHEMAS)
    return schemas
