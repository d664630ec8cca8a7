"""The OpenAPI description of the admin API (``queue_server/web/admin/api.py``): the
settings sections changed live, the audit log, and the device settings for a separate
device worker."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from queue_server.web.openapi_table import READ, SOME_TIME, Route, path_param

SECTION = {
    **path_param("section", {"type": "string", "enum": ["services", "priorities", "counters",
                                                   "kiosks", "led.boards", "center.notice",
                                                   "voice.pack"]}),
    "description": "A settings section, named as in the TOML file.",
}  # fmt: skip
PAGING = (
    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}},
    {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}},
)
ADMIN_NOTES = {
    400: "Not valid: the field is named (``field``), every problem in ``problems``.",
    403: "The role may not do this (or a missing CSRF header).",
    404: "Unknown settings section.",
    413: "The body is too large.",
    422: "Understood but refused (e.g. a service that still has waiting tickets).",
}


class Override(BaseModel):
    updated_at: datetime = SOME_TIME
    updated_by: str | None = None


class AdminSettings(BaseModel):
    sections: dict[str, Any]
    overridden: dict[str, Override]


class AdminSection(BaseModel):
    section: str
    value: Any


class Problem(BaseModel):
    field: str = ""
    message: str = ""


class AdminSettingsError(BaseModel):
    error: str
    field: str = ""
    problems: list[Problem] = []


class AuditEntry(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str
    target: str
    detail: dict[str, Any]


class AuditLog(BaseModel):
    entries: list[AuditEntry]


class DeviceSettings(BaseModel):
    sections: dict[str, Any]


class SettingsSection(BaseModel):
    """The body of PUT /admin/settings/{section}: the whole section, validated as one."""

    value: Any


def _admin(
    method: str,
    path: str,
    operation_id: str,
    summary: str,
    result: str,
    *,
    roles: str = "admin",
    errors: tuple[int, ...] = READ,
    **extra: Any,
) -> Route:
    return Route(
        method, path, operation_id, summary, {200: (result, summary)}, roles=roles,
        errors=errors, notes=ADMIN_NOTES, invalid="AdminSettingsError", **extra,
    )  # fmt: skip


ADMIN_ANSWERS: tuple[type[BaseModel], ...] = (
    AdminSettings,
    AdminSection,
    AdminSettingsError,
    AuditLog,
    DeviceSettings,
)


# fmt: off
ADMIN_ROUTES: tuple[Route, ...] = (
    _admin("get", "/admin/settings", "admin_settings",
           "The effective settings sections and which ones the admin changed", "AdminSettings"),
    _admin("put", "/admin/settings/{section}", "admin_settings_put",
           "Replace one section; validated as a whole and applied live", "AdminSection",
           errors=(400, 401, 403, 404, 413, 422), params=(SECTION,), body=SettingsSection),
    _admin("get", "/admin/audit", "admin_audit", "The audit log, newest first", "AuditLog",
           errors=(400, 401, 403), params=PAGING),
    _admin("get", "/devices/settings", "device_settings",
           "Device settings for a separate device worker (after settings_changed)",
           "DeviceSettings", roles="device, display, admin"),
)
# fmt: on
