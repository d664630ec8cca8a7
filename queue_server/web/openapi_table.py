"""The vocabulary of the OpenAPI route tables: one ``Route`` per operation, the error
codes with their texts and their ``Error`` answer, and what several API areas share.

Each API area describes its operations in a module of its own (``ticket_openapi.py``,
``counter_openapi.py`` … ``result_openapi.py``): its answer models, from which pydantic
generates the schemas, and its rows of the table; ``openapi.py`` puts them together. An
answer names a schema (or ``None`` for an empty answer); every error code listed gets an
``Error`` answer. A field with a default may be absent from an answer; a model that
forbids extra fields says so with ``Closed``; the others may carry more fields later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from queue_server.web.bodies import MAX_ID

# A default only makes a field optional: defaults are left out of the document.
SOME_TIME = datetime(1970, 1, 1)


class Closed(BaseModel):
    """An answer with exactly these fields."""

    model_config = ConfigDict(extra="forbid")


class Error(BaseModel):
    error: str
    field: str = ""


ERRORS = {
    400: "Malformed JSON, a wrong type or a bad header (the field is named).",
    401: "No token or session, or the token is invalid, expired or revoked.",
    403: "The role may not do this (or another counter, or a missing CSRF header).",
    404: "Unknown service, counter, category or ticket.",
    409: "The operation does not fit the current state, or a request with the same "
    "Idempotency-Key is still running.",
    413: "The body is larger than 64 KB.",
    415: "The body must be JSON.",
    422: "Understood but refused (e.g. an inactive service), or the Idempotency-Key was "
    "used for another request.",
    429: "Too many tickets from this client; see Retry-After.",
    503: "The database cannot take the write now (locked or disk full), or the server's "
    'clock is suspect after a power cut (reason "clock", docs/outages.md); see Retry-After.',
}
WRITE = (400, 401, 403, 404, 409, 413, 422, 429, 503)
READ = (401, 403)
LOOKUP = (401, 403, 404)

# An answer: a schema name, None for no body, or a whole ``content`` mapping.
Answer = tuple[str | dict[str, Any] | None, str]


@dataclass(frozen=True)
class Route:
    """One operation of the API."""

    method: str
    path: str
    operation_id: str
    summary: str
    answers: dict[int, Answer]
    roles: str = ""
    body: type[BaseModel] | None = None
    optional_body: bool = False
    params: tuple[dict[str, Any], ...] = ()
    errors: tuple[int, ...] = WRITE
    notes: dict[int, str] = field(default_factory=dict)  # error texts for this route
    invalid: str = "Error"  # the schema of the 400 answer
    public: bool = False


def path_param(name: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    """A path parameter (a string unless ``schema`` says otherwise)."""
    return {"name": name, "in": "path", "required": True, "schema": schema or {"type": "string"}}


ROW_ID = {"type": "integer", "minimum": 0, "maximum": MAX_ID}  # a path id (404 beyond)
NUMBER = path_param("number", ROW_ID)
TICKET_ID = path_param("ticket_id", ROW_ID)
TRACK_CODE = path_param("track_code")
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

DESK = "helpdesk, admin"  # the roles of the help desk's operations (tickets, visits, contacts)
