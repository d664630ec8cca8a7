"""OpenAPI paths and schemas of the admin routes (queue_server/web/admin/api.py)."""

from __future__ import annotations

from typing import Any

SECTIONS = ["services", "priorities", "counters", "kiosks", "led.boards", "center.notice"]
_ERROR_TEXT = {
    "400": "Not valid: the field is named (``field``), every problem in ``problems``.",
    "401": "No token or session, or the token is invalid, expired or revoked.",
    "403": "The role may not do this (or a missing CSRF header).",
    "404": "Unknown settings section.",
    "413": "The body is too large.",
    "422": "Understood but refused (e.g. a service that still has waiting tickets).",
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _operation(
    summary: str,
    operation_id: str,
    result: str,
    *,
    roles: str = "admin",
    errors: tuple[str, ...] = ("401", "403"),
    **extra: Any,
) -> dict[str, Any]:
    responses = {"200": _json(_ref(result), summary)}
    for code in errors:
        schema = _ref("AdminSettingsError") if code == "400" else _ref("Error")
        responses[code] = _json(schema, _ERROR_TEXT[code])
    return {
        "summary": summary,
        "operationId": operation_id,
        "description": f"Roles: {roles}.",
        "responses": responses,
        **extra,
    }


_SECTION_PARAM = {
    "name": "section",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "enum": SECTIONS},
    "description": "A settings section, named as in the TOML file.",
}
_PAGING = [
    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}},
    {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}},
]

PATHS: dict[str, Any] = {
    "/admin/settings": {
        "get": _operation(
            "The effective settings sections and which ones the admin changed",
            "admin_settings",
            "AdminSettings",
        )
    },
    "/admin/settings/{section}": {
        "put": _operation(
            "Replace one section; validated as a whole and applied live",
            "admin_settings_put",
            "AdminSection",
            errors=("400", "401", "403", "404", "413", "422"),
            parameters=[_SECTION_PARAM],
            requestBody={
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["value"],
                            "properties": {"value": {}},
                        }
                    }
                },
            },
        )
    },
    "/admin/audit": {
        "get": _operation(
            "The audit log, newest first",
            "admin_audit",
            "AuditLog",
            errors=("400", "401", "403"),
            parameters=_PAGING,
        )
    },
    "/devices/settings": {
        "get": _operation(
            "Device settings for a separate device worker (after settings_changed)",
            "device_settings",
            "DeviceSettings",
            roles="device, display, admin",
        )
    },
}

_SECTIONS_OBJECT = {"type": "object", "additionalProperties": True}

SCHEMAS: dict[str, Any] = {
    "AdminSettings": {
        "type": "object",
        "required": ["sections", "overridden"],
        "properties": {
            "sections": _SECTIONS_OBJECT,
            "overridden": {
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "properties": {
                        "updated_at": {"type": "string", "format": "date-time"},
                        "updated_by": {"type": ["string", "null"]},
                    },
                },
            },
        },
    },
    "AdminSection": {
        "type": "object",
        "required": ["section", "value"],
        "properties": {"section": {"type": "string"}, "value": {}},
    },
    "AdminSettingsError": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {"type": "string"},
            "field": {"type": "string"},
            "problems": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                },
            },
        },
    },
    "AuditLog": {
        "type": "object",
        "required": ["entries"],
        "properties": {
            "entries": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "at", "actor", "action", "target", "detail"],
                    "properties": {
                        "id": {"type": "integer"},
                        "at": {"type": "string", "format": "date-time"},
                        "actor": {"type": "string"},
                        "action": {"type": "string"},
                        "target": {"type": "string"},
                        "detail": {"type": "object"},
                    },
                },
            }
        },
    },
    "DeviceSettings": {
        "type": "object",
        "required": ["sections"],
        "properties": {"sections": _SECTIONS_OBJECT},
    },
}
