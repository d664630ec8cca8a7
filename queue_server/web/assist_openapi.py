"""The OpenAPI description of the help records (``queue_server/web/assists.py``): one kind
of help given to a citizen, and the counts per kind × priority category."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from queue_server.web.assists import AssistBody
from queue_server.web.openapi_table import IDEMPOTENCY, READ, Closed, Route

RECORDERS = "helpdesk, officer, volunteer, admin"
RANGE = (
    {"name": "from", "in": "query", "description": "First local day (default today).",
     "schema": {"type": "string", "format": "date"}},
    {"name": "to", "in": "query", "description": "Last local day, included (default: from).",
     "schema": {"type": "string", "format": "date"}},
)  # fmt: skip


class AssistRecord(Closed):
    id: int
    kind: str
    category: str | None
    service: str | None
    ticket_id: int | None
    day: date
    at: datetime
    created: bool = Field(description="False: the ticket already had this kind of help.")


class AssistKind(Closed):
    code: str
    name: str
    labels: dict[str, str]


class AssistKinds(Closed):
    kinds: list[AssistKind]


class AssistCount(Closed):
    code: str | None = Field(description="null: no priority category (for categories).")
    name: str
    count: int = Field(ge=0)


class AssistCell(Closed):
    kind: str
    category: str | None
    count: int = Field(ge=1)


class AssistCounts(BaseModel):
    start: date = Field(description="The first local day (query parameter from).")
    end: date = Field(description="The last local day, included (query parameter to).")
    total: int = Field(ge=0)
    kinds: list[AssistCount]
    categories: list[AssistCount]
    cells: list[AssistCell]


ASSIST_ANSWERS: tuple[type[BaseModel], ...] = (
    AssistRecord,
    AssistKinds,
    AssistCounts,
)


# fmt: off
ASSIST_ROUTES: tuple[Route, ...] = (
    Route("post", "/assists", "record_assist", "Record one kind of help given to a citizen",
          {201: ("AssistRecord", "Recorded."),
           200: ("AssistRecord", "This ticket was already helped in this kind: the first "
                                 "record (created false); nothing changed.")},
          roles=RECORDERS, body=AssistBody, params=(IDEMPOTENCY,),
          notes={404: "Unknown kind of help, category, service or ticket.",
                 422: "A kind of help no longer recorded, or the Idempotency-Key was used "
                      "for another request."}),
    Route("get", "/assists", "count_assists",
          "Help records per kind × priority category over local days",
          {200: ("AssistCounts", "Counts; kinds and categories in the configured order.")},
          roles="manager, helpdesk, admin", params=RANGE, errors=(400, 401, 403),
          notes={400: "A date that is not YYYY-MM-DD, an end before the start, or more than "
                      "366 days."}),
    Route("get", "/assists/kinds", "assist_kinds", "The kinds of help offered now",
          {200: ("AssistKinds", "In the configured order.")},
          roles="helpdesk, officer, volunteer, manager, admin", errors=READ),
)
# fmt: on
