"""The OpenAPI description of the outreach schedule (queue_server/web/outreach.py)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from queue_server.web.openapi_table import IDEMPOTENCY, ROW_ID, WRITE, Closed, Route, path_param
from queue_server.web.outreach import OutreachBody, OutreachChangeBody


class OutreachStaff(Closed):
    id: int
    name: str
    role: str


class OutreachSession(Closed):
    """A session: local day and hours, place, services ([]: all), staff going."""

    id: int
    day: date
    starts: str = Field(description="Local time, HH:MM.")
    ends: str = Field(description="Local time, HH:MM.")
    place: str
    services: list[str]
    service_names: list[str]
    staff: list[OutreachStaff]
    notes: str
    site_code: str | None = Field(description="The code the laptop puts in ticket numbers.")
    series_id: int | None = Field(description="The recurring pattern that made it, if any.")
    status: Literal["planned", "cancelled"]


class OutreachSessionList(Closed):
    sessions: list[OutreachSession]


OUTREACH_ANSWERS: tuple[type[BaseModel], ...] = (
    OutreachStaff,
    OutreachSession,
    OutreachSessionList,
)

SESSION_ID = path_param("session_id", ROW_ID)
WRITERS = "manager, admin"
LIST_PARAMS = (
    {"name": "from", "in": "query", "description": "First local day (default today).",
     "schema": {"type": "string", "format": "date"}},
    {"name": "to", "in": "query", "description": "Last local day, included (default: all).",
     "schema": {"type": "string", "format": "date"}},
    {"name": "status", "in": "query",
     "schema": {"type": "string", "enum": ["planned", "cancelled"]}},
)  # fmt: skip
CHANGE_NOTES = {
    404: "Unknown session, service or staff user.",
    409: "The session is cancelled or past.",
    422: "A day in the past, an end before the start, a blank place, or the "
    "Idempotency-Key was used for another request.",
}

# fmt: off
OUTREACH_ROUTES: tuple[Route, ...] = (
    Route("get", "/outreach-sessions", "list_outreach_sessions",
          "The outreach schedule (sessions at cultural houses)",
          {200: ("OutreachSessionList", "By day and start time; at most 500.")},
          roles="manager, helpdesk, officer, volunteer, admin", params=LIST_PARAMS,
          errors=(400, 401, 403),
          notes={400: "A bad date or status, an end before the start, or more than 400 days."}),
    Route("post", "/outreach-sessions", "create_outreach_sessions",
          "Plan an outreach session, or every session of a recurring pattern",
          {201: ("OutreachSessionList", "The sessions planned (one, or the pattern's).")},
          roles=WRITERS, body=OutreachBody, params=(IDEMPOTENCY,), errors=WRITE,
          notes={404: "Unknown service or staff user.",
                 422: "A day in the past, an end before the start, a blank place, a pattern "
                      "ending before its first day, longer than a year or of more than 60 "
                      "sessions, or the Idempotency-Key was used for another request."}),
    Route("patch", "/outreach-sessions/{session_id}", "update_outreach_session",
          "Change one outreach session (the rest of its pattern stays)",
          {200: ("OutreachSession", "Changed.")}, roles=WRITERS, body=OutreachChangeBody,
          params=(SESSION_ID, IDEMPOTENCY), errors=WRITE, notes=CHANGE_NOTES),
    Route("post", "/outreach-sessions/{session_id}/cancel", "cancel_outreach_session",
          "Cancel one outreach session (the rest of its pattern stays)",
          {200: ("OutreachSession", "Cancelled.")}, roles=WRITERS,
          params=(SESSION_ID, IDEMPOTENCY), errors=(400, 401, 403, 404, 409, 422, 503),
          notes={404: "Unknown session.", 409: "The session is cancelled or past."}),
)
# fmt: on
