"""The OpenAPI 3.1 description of /api/v1 (a test keeps it in step with the routes)."""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel

from queue_server.auth.roles import Role
from queue_server.web.bodies import (
    CallBody,
    CounterChoiceBody,
    IssueBody,
    ReprintBody,
    TransferBody,
    json_schema,
)

API_VERSION = "1.0.0"
ERRORS = {
    400: "Malformed JSON, a wrong type or a bad header (the field is named).",
    401: "No token or session, or the token is invalid, expired or revoked.",
    403: "The role may not do this (or another counter, or a missing CSRF header).",
    404: "Unknown service, counter, category or ticket.",
    409: "The operation does not fit the current state, or a request with the same "
    "Idempotency-Key is still running.",
    413: "The body is larger than 64 KB.",
    422: "Understood but refused (e.g. an inactive service), or the Idempotency-Key was "
    "used for another request.",
    429: "Too many tickets from this client; see Retry-After.",
    503: "The database cannot take the write now (locked or disk full); see Retry-After.",
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _obj(required: list[str], properties: dict[str, Any], extra: bool = True) -> dict[str, Any]:
    return {
        "type": "object",
        "required": required,
        "properties": properties,
        "additionalProperties": extra,
    }


STR = {"type": "string"}
INT = {"type": "integer"}
BOOL = {"type": "boolean"}
TIME = {"type": "string", "format": "date-time"}
STATUS = {
    "type": "string",
    "enum": ["waiting", "called", "serving", "done", "no_show", "cancelled"],
}

SCHEMAS: dict[str, Any] = {
    "Error": _obj(["error"], {"error": STR, "field": STR}),
    "Ticket": _obj(
        ["id", "number", "service", "status", "issued_at", "ahead"],
        {
            "id": INT,
            "number": STR,
            "service": STR,
            "service_name": STR,
            "status": STATUS,
            "issued_at": TIME,
            "priority": _nullable(STR),
            "emergency": BOOL,
            "counter": _nullable(INT),
            "called_at": _nullable(TIME),
            "recall_count": INT,
            "track_code": {
                "type": "string",
                "description": "A bearer secret: only in the answer to the issuing request.",
            },
            "ahead": INT,
            "estimated_wait_s": _nullable(INT),
            "channel": STR,
            "print": _nullable(_ref("PrintAnswer")),
        },
    ),
    "IssuedTicket": {
        "allOf": [_ref("Ticket"), {"required": ["track_code"]}],
        "description": "The new ticket, with its tracking code: only in this answer.",
    },
    "PrintAnswer": _obj(
        ["kiosk", "job", "state", "ok"],
        {
            "kiosk": STR,
            "job": STR,
            "state": STR,
            "ok": {"type": ["boolean", "null"]},
        },
    ),
    "PrinterReport": _obj(
        ["state", "ok", "message"],
        {
            "state": STR,
            "ok": {"type": ["boolean", "null"]},
            "message": STR,
            "pending": INT,
            "awaiting_recovery": INT,
        },
    ),
    "PrintJobResult": _obj(
        ["job", "printer"],
        {"job": _ref("PrintJob"), "printer": _nullable(_ref("PrinterReport"))},
    ),
    "TicketResult": _obj(["ticket"], {"ticket": _ref("Ticket")}),
    "ReprintResult": _obj(["job_id", "kiosk"], {"job_id": STR, "kiosk": STR}),
    "PrintJob": _obj(
        ["id", "ticket_id", "kiosk", "state", "attempts", "reprint"],
        {
            "id": STR,
            "ticket_id": INT,
            "kiosk": STR,
            "state": {"type": "string", "enum": ["queued", "sent", "confirmed", "failed"]},
            "reason": _nullable(STR),
            "detail": STR,
            "attempts": INT,
            "reprint": BOOL,
            "awaiting_recovery": BOOL,
            "created_at": TIME,
            "updated_at": TIME,
        },
    ),
    "PrintJobs": _obj(["jobs"], {"jobs": {"type": "array", "items": _ref("PrintJob")}}),
    "Counter": _obj(
        ["number", "name", "status", "current"],
        {
            "number": INT,
            "name": STR,
            "status": {"type": "string", "enum": ["open", "paused", "closed"]},
            "services": {"type": "array", "items": STR},
            "current": _nullable(_ref("Ticket")),
        },
    ),
    "CounterResult": _obj(["counter"], {"counter": _ref("Counter")}),
    "Service": _obj(
        ["code", "prefix", "name"],
        {
            "code": STR,
            "prefix": STR,
            "name": STR,
            "labels": {"type": "object", "additionalProperties": STR},
            "icon": _nullable(STR),
            "helpdesk": BOOL,
        },
    ),
    "Priority": _obj(
        ["code", "name", "emergency"],
        {
            "code": STR,
            "name": STR,
            "labels": {"type": "object", "additionalProperties": STR},
            "weight": {"type": "number"},
            "emergency": BOOL,
            "icon": _nullable(STR),
            "kiosk": BOOL,
        },
    ),
    "Track": _obj(
        ["number", "status", "ahead"],
        {
            "number": STR,
            "service": STR,
            "service_name": STR,
            "status": STATUS,
            "ahead": INT,
            "counter": _nullable(INT),
            "estimated_wait_s": _nullable(INT),
        },
        extra=False,
    ),
    "Call": _obj(
        ["ticket_id", "number", "counter", "recall", "at"],
        {
            "ticket_id": INT,
            "number": STR,
            "service": STR,
            "counter": _nullable(INT),
            "counter_name": _nullable(STR),
            "recall": BOOL,
            "at": TIME,
        },
    ),
    "State": _obj(
        ["services", "counters", "recent_calls", "seq"],
        {
            "day": {"type": "string", "format": "date"},
            "at": TIME,
            "services": {
                "type": "array",
                "items": _obj(
                    ["code", "name", "waiting"], {"code": STR, "name": STR, "waiting": INT}
                ),
            },
            "counters": {"type": "array", "items": _ref("Counter")},
            "recent_calls": {"type": "array", "items": _ref("Call")},
            "seq": INT,
        },
    ),
    "Session": _obj(
        ["kind", "name", "role", "counter"],
        {
            "kind": {"type": "string", "enum": ["token", "user"]},
            "name": STR,
            "role": {"type": "string", "enum": [role.value for role in Role]},
            "counter": _nullable(INT),
            "csrf_token": STR,
        },
    ),
    "Health": _obj(["status"], {"status": STR}),
    "Ready": _obj(
        ["status", "checks"],
        {
            "status": {"type": "string", "enum": ["ready", "not_ready"]},
            "checks": {
                "type": "object",
                "additionalProperties": _obj(["ok"], {"ok": BOOL}),
            },
            "devices": {
                "type": "object",
                "description": "Printers and LED boards, for information: they do not "
                "change the status.",
                "additionalProperties": _obj(["ok"], {"ok": BOOL}),
            },
        },
    ),
}

NUMBER = {
    "name": "number",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 0},
}
TICKET_ID = {
    "name": "ticket_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 0},
}
IDEMPOTENCY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Repeat a POST safely: the first response is returned again for a day "
    "(header Idempotent-Replayed: true). 1 to 200 printable ASCII characters, spaces around "
    "it ignored; 400 otherwise. The same key for another request: 422; while the first "
    "request still runs: 409.",
    "schema": {
        "type": "string",
        "minLength": 1,
        "maxLength": 200,
        "pattern": "^[ -~]*[!-~][ -~]*$",
    },
}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _operation(
    summary: str,
    operation_id: str,
    ok: dict[int, dict[str, Any]],
    *,
    roles: str = "",
    body: type[BaseModel] | None = None,
    params: list[dict[str, Any]] | None = None,
    errors: tuple[int, ...] = (400, 401, 403, 404, 409, 413, 422, 429, 503),
    public: bool = False,
) -> dict[str, Any]:
    responses: dict[str, Any] = {str(code): response for code, response in ok.items()}
    for code in errors:
        responses[str(code)] = _json(_ref("Error"), ERRORS[code])
    operation: dict[str, Any] = {
        "summary": summary,
        "operationId": operation_id,
        "responses": responses,
    }
    if roles:
        operation["description"] = f"Roles: {roles}."
    if public:
        operation["security"] = []
    parameters = list(params or [])
    if body is not None:
        operation["requestBody"] = {
            "required": body not in _OPTIONAL_BODIES,
            "content": {"application/json": {"schema": json_schema(body)}},
        }
    if parameters:
        operation["parameters"] = parameters
    return operation


_OPTIONAL_BODIES: set[type[BaseModel]] = {ReprintBody}


def _counter_action(
    summary: str, name: str, result: str, body: type[BaseModel] | None = None
) -> dict[str, Any]:
    ok = {200: _json(_ref(result), "Done.")}
    return {
        "post": _operation(
            summary,
            f"counter_{name.replace('-', '_')}",
            ok,
            roles="officer (own counter), admin",
            body=body,
            params=[NUMBER, IDEMPOTENCY],
        )
    }


@cache
def openapi_document() -> dict[str, Any]:
    """The document served at /api/v1/openapi.json."""
    read = (401, 403)
    paths: dict[str, Any] = {
        "/services": {
            "get": _operation(
                "Services (lĩnh vực)",
                "list_services",
                {
                    200: _json(
                        _obj(
                            ["services"], {"services": {"type": "array", "items": _ref("Service")}}
                        ),
                        "The services.",
                    )
                },
                roles="any",
                errors=read,
            )
        },
        "/priorities": {
            "get": _operation(
                "Priority categories",
                "list_priorities",
                {
                    200: _json(
                        _obj(
                            ["priorities"],
                            {"priorities": {"type": "array", "items": _ref("Priority")}},
                        ),
                        "Categories (a kiosk sees only its own).",
                    )
                },
                roles="any",
                errors=read,
            )
        },
        "/counters": {
            "get": _operation(
                "Counters and what they serve now",
                "list_counters",
                {
                    200: _json(
                        _obj(
                            ["counters"], {"counters": {"type": "array", "items": _ref("Counter")}}
                        ),
                        "The counters.",
                    )
                },
                roles="any",
                errors=read,
            )
        },
        "/tickets": {
            "post": _operation(
                "Issue a ticket",
                "issue_ticket",
                {201: _json(_ref("IssuedTicket"), "The new ticket, with its tracking code.")},
                roles="kiosk (no emergency category), helpdesk, admin",
                body=IssueBody,
                params=[IDEMPOTENCY],
            )
        },
        "/tickets/by-number/{number}": {
            "get": _operation(
                "Today's ticket with this number",
                "get_ticket_by_number",
                {200: _json(_ref("Ticket"), "The ticket, with people ahead now.")},
                roles="officer, helpdesk, admin",
                params=[{"name": "number", "in": "path", "required": True, "schema": STR}],
                errors=(401, 403, 404),
            )
        },
        "/tickets/{ticket_id}": {
            "get": _operation(
                "One ticket",
                "get_ticket",
                {200: _json(_ref("Ticket"), "The ticket, with people ahead now.")},
                roles="officer, helpdesk, admin",
                params=[TICKET_ID],
                errors=(401, 403, 404),
            )
        },
        "/tickets/{ticket_id}/cancel": {
            "post": _operation(
                "Cancel a waiting ticket",
                "cancel_ticket",
                {200: _json(_ref("TicketResult"), "The cancelled ticket.")},
                roles="helpdesk, admin",
                params=[TICKET_ID, IDEMPOTENCY],
            )
        },
        "/tickets/{ticket_id}/reprint": {
            "post": _operation(
                "Print a ticket again",
                "reprint_ticket",
                {202: _json(_ref("ReprintResult"), "The print job was queued.")},
                roles="helpdesk, admin",
                body=ReprintBody,
                params=[TICKET_ID],
                errors=(400, 401, 403, 404, 413),
            )
        },
        "/tickets/{ticket_id}/print-jobs": {
            "get": _operation(
                "A ticket's print jobs and their states",
                "ticket_print_jobs",
                {200: _json(_ref("PrintJobs"), "Oldest first.")},
                roles="helpdesk, admin",
                params=[TICKET_ID],
                errors=(401, 403, 404),
            )
        },
        "/print-jobs/{job_id}": {
            "get": _operation(
                "One print job and its printer now (the kiosk follows its ticket's job)",
                "print_job",
                {200: _json(_ref("PrintJobResult"), "The job and the printer's state.")},
                roles="kiosk (its own jobs), helpdesk, admin",
                params=[{"name": "job_id", "in": "path", "required": True, "schema": STR}],
                errors=(401, 403, 404),
            )
        },
        "/track/{track_code}": {
            "get": _operation(
                "Public tracking by the code on the ticket",
                "track",
                {200: _json(_ref("Track"), "Number, status and people ahead; no personal data.")},
                params=[{"name": "track_code", "in": "path", "required": True, "schema": STR}],
                errors=(404,),
                public=True,
            )
        },
        "/counters/{number}/next": {
            "post": _operation(
                "Call the next citizen (finishes the current one)",
                "counter_next",
                {
                    200: _json(_ref("TicketResult"), "The called ticket."),
                    204: {"description": "Nobody is waiting for this counter."},
                },
                roles="officer (own counter), admin",
                params=[NUMBER, IDEMPOTENCY],
            )
        },
        "/counters/{number}/call": _counter_action(
            "Call a specific ticket", "call", "TicketResult", CallBody
        ),
        "/counters/{number}/recall": _counter_action(
            "Call the current ticket again", "recall", "TicketResult"
        ),
        "/counters/{number}/no-show": _counter_action(
            "The called citizen did not come", "no-show", "TicketResult"
        ),
        "/counters/{number}/finish": _counter_action(
            "The citizen was served", "finish", "TicketResult"
        ),
        "/counters/{number}/serve": _counter_action(
            "The citizen arrived: start serving", "serve", "TicketResult"
        ),
        "/counters/{number}/transfer": _counter_action(
            "Send the current ticket to another service", "transfer", "TicketResult", TransferBody
        ),
        "/counters/{number}/pause": _counter_action("Pause the counter", "pause", "CounterResult"),
        "/counters/{number}/resume": _counter_action(
            "Resume the counter", "resume", "CounterResult"
        ),
        "/counters/{number}/waiting": {
            "get": _operation(
                "Who this counter would call, in policy order",
                "counter_waiting",
                {
                    200: _json(
                        _obj(
                            ["counter", "tickets"],
                            {"counter": INT, "tickets": {"type": "array", "items": _ref("Ticket")}},
                        ),
                        "Waiting tickets.",
                    )
                },
                roles="officer (own counter), helpdesk, admin",
                params=[NUMBER],
                errors=(401, 403, 404),
            )
        },
        "/state": {
            "get": _operation(
                "Everything a screen needs, with the bus sequence number",
                "state",
                {200: _json(_ref("State"), "The snapshot.")},
                roles="any",
                errors=read,
            )
        },
        "/session": {
            "get": _operation(
                "Who am I",
                "session",
                {200: _json(_ref("Session"), "The token or signed-in user.")},
                roles="any",
                errors=(401, 403),
            )
        },
        "/session/counter": {
            "post": _operation(
                "A signed-in officer chooses a counter (409: another officer has it open;"
                " send take_over true to take it)",
                "choose_counter",
                {200: _json(_ref("Session"), "The session with its counter.")},
                roles="officer or admin signed in with a session cookie",
                body=CounterChoiceBody,
                errors=(400, 401, 403, 404, 409, 413),
            )
        },
        "/healthz": {
            "get": _operation(
                "The process answers",
                "healthz",
                {200: _json(_ref("Health"), "Alive.")},
                errors=(),
                public=True,
            )
        },
        "/readyz": {
            "get": _operation(
                "Database writable and schema up to date (devices reported apart)",
                "readyz",
                {
                    200: _json(_ref("Ready"), "Ready."),
                    503: _json(_ref("Ready"), "Not ready; see the failing checks."),
                },
                errors=(),
                public=True,
            )
        },
        "/metrics": {
            "get": _operation(
                "Prometheus metrics",
                "metrics",
                {
                    200: {
                        "description": "Text exposition format 0.0.4.",
                        "content": {"text/plain": {"schema": STR}},
                    }
                },
                errors=(),
                public=True,
            )
        },
        "/openapi.json": {
            "get": _operation(
                "This document",
                "openapi",
                {200: _json({"type": "object"}, "OpenAPI 3.1.")},
                errors=(),
                public=True,
            )
        },
    }
    # Imported here: the parts use this module's helpers (_operation, _json …).
    from queue_server.web.openapi_parts import extra_paths, extra_schemas

    paths.update(extra_paths())
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "xephang API",
            "version": API_VERSION,
            "description": "Queue management for ward Public Administrative Service Centers. "
            'Errors are JSON {"error": "…"} in Vietnamese, or English with Accept-Language: en.',
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}, {"session": []}],
        "paths": paths,
        "components": {
            "schemas": {**SCHEMAS, **extra_schemas()},
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
        },
    }
