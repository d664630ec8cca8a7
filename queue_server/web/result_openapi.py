"""The result slip routes and answers in the OpenAPI document (web/results.py)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from queue_server.web.openapi_table import IDEMPOTENCY, LOOKUP, ROW_ID, Route, path_param
from queue_server.web.results import CollectBody, PostponeBody, SlipBody
from queue_server.web.ticket_openapi import IssuedTicket


class ResultSlip(BaseModel):
    """A result slip, for the one who holds its code."""

    model_config = ConfigDict(extra="forbid")

    id: int
    result_code: str = Field(description="A bearer secret, as printed (XXXXX-XXXXX).")
    ticket_id: int
    number: str
    service: str
    service_name: str
    counter: int | None
    issued_at: datetime
    promised_on: date = Field(description="The ready date first promised.")
    ready_on: date = Field(description="The ready date now (later if postponed).")
    postponed: bool
    postponements: int = Field(ge=0)
    postpone_reason: str | None
    collected: bool
    collect_ticket_id: int | None
    collected_day: date | None
    print_url: str = Field(description="The printable slip (A5 or receipt), by its code.")


class CollectedSlip(BaseModel):
    model_config = ConfigDict(extra="forbid")

    service: str
    service_name: str
    ready_on: date


class ResultTicket(IssuedTicket):
    """A "receive results" ticket, with its tracking code, and the slip it collected."""

    slip: CollectedSlip


RESULT_ANSWERS: tuple[type[BaseModel], ...] = (ResultSlip, ResultTicket)

CODE = {**path_param("code"), "description": "The slip's code, any case, dash optional."}
STAFF = "officer, helpdesk, admin"

# fmt: off
RESULT_ROUTES: tuple[Route, ...] = (
    Route("post", "/tickets/{ticket_id}/result-slip", "issue_slip",
          "Give a result slip (giấy hẹn) for a finished ticket",
          {201: ("ResultSlip", "The slip, with its code (only in this answer and to its "
                               "holder).")},
          roles="officer (who served it, at their counter), admin", body=SlipBody,
          optional_body=True, params=(path_param("ticket_id", ROW_ID),
                                      IDEMPOTENCY),
          notes={403: "Not the counter that served the ticket, or no counter chosen.",
                 404: "Unknown ticket.",
                 409: "The ticket is not finished, or already has a slip.",
                 422: "A ready date in the past, not a working day or more than a year "
                      "away; a \"receive results\" ticket."}),
    Route("get", "/result-slips/{code}", "find_slip", "A result slip by its code",
          {200: ("ResultSlip", "The slip.")}, roles=STAFF, params=(CODE,), errors=LOOKUP),
    Route("post", "/result-slips/{code}/postpone", "postpone_slip",
          "Move a slip's ready date later, with a reason (the result is late)",
          {200: ("ResultSlip", "The slip with its new date.")}, roles=STAFF,
          body=PostponeBody, params=(CODE, IDEMPOTENCY),
          notes={404: "Unknown code or reason.",
                 409: "The result was already collected.",
                 422: "The new date is not after the current one, in the past or not a "
                      "working day."}),
    Route("post", "/result-slips/{code}/ticket", "collect_ticket",
          "Issue a \"receive results\" ticket for a slip's code (collects the slip)",
          {201: ("ResultTicket", "The new ticket, with its tracking code.")},
          roles="kiosk (no emergency category), helpdesk, admin", body=CollectBody,
          optional_body=True, params=(CODE, IDEMPOTENCY),
          notes={404: "Unknown code or priority category.",
                 409: "Already collected, or the result is not ready yet (the message "
                      "gives the date).",
                 422: "No service receives results."}),
)
# fmt: on
