"""The OpenAPI description of calls for assistance (``queue_server/web/assistance.py``):
raised from a kiosk or a counter, taken, closed with a help record, or withdrawn."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from queue_server.web.assistance import CloseBody, RaiseBody
from queue_server.web.bodies import EmptyBody
from queue_server.web.openapi_table import IDEMPOTENCY, ROW_ID, Closed, Route, path_param

CALL_ID = path_param("call_id", ROW_ID)
HELPERS = "helpdesk, volunteer, manager, officer, admin"
RAISERS = "kiosk, officer, admin"


class AssistanceTaker(Closed):
    role: str = Field(description="The staff role of who took the call.")
    name: str = Field(description="Their first name (a token's name for a token).")


class AssistanceCall(Closed):
    id: int
    origin: str = Field(description="kiosk or counter.")
    kiosk: str | None = Field(description="The kiosk's name (origin kiosk).")
    counter: int | None = Field(description="The counter's number (origin counter).")
    reason: str = Field(description="A reason code of [assistance].")
    status: str = Field(description="open, accepted, closed or cancelled.")
    manager: bool = Field(description="The reason alerts the manager too.")
    raised_at: datetime
    accepted_at: datetime | None
    taken_by: AssistanceTaker | None
    ended_at: datetime | None = Field(description="When it was closed or cancelled.")
    help_kind: str | None = Field(description="The kind of help recorded on closing.")
    assist_id: int | None = Field(description="The help record closing made.")
    created: bool = Field(
        description="False: this kiosk (or counter and reason) had this "
        "call open already; nothing changed."
    )


class AssistanceCalls(Closed):
    calls: list[AssistanceCall]


ASSISTANCE_ANSWERS: tuple[type[BaseModel], ...] = (
    AssistanceCall,
    AssistanceCalls,
)


# fmt: off
ASSISTANCE_ROUTES: tuple[Route, ...] = (
    Route("post", "/assistance-calls", "raise_assistance_call",
          "Ask for help from a kiosk (no reason needed) or a counter (with a reason)",
          {201: ("AssistanceCall", "Raised; staff see it live on /assistance."),
           200: ("AssistanceCall", "This kiosk (or counter and reason) has this call open "
                                   "already (created false); nothing changed.")},
          roles=RAISERS, body=RaiseBody, params=(IDEMPOTENCY,),
          errors=(400, 401, 403, 404, 409, 413, 415, 422, 503),
          notes={403: "Not the officer's own counter, or a role that may not ask.",
                 404: "Unknown reason or counter.",
                 422: "A reason no longer offered, no counter chosen, or no reason given "
                      "for a counter."}),
    Route("get", "/assistance-calls", "list_assistance_calls",
          "Calls open or taken, oldest first (a manager: those that alert the manager)",
          {200: ("AssistanceCalls", "The calls.")}, roles=HELPERS,
          params=({"name": "status", "in": "query",
                   "description": "open, accepted (open or taken when absent), or closed, "
                                  "cancelled: today's.",
                   "schema": {"type": "string",
                              "enum": ["open", "accepted", "closed", "cancelled"]}},),
          errors=(400, 401, 403), notes={400: "An unknown status."}),
    Route("post", "/assistance-calls/{call_id}/accept", "accept_assistance_call",
          "Take an open call (one person does)", {200: ("AssistanceCall", "Taken by you.")},
          roles=HELPERS, body=EmptyBody, optional_body=True, params=(CALL_ID, IDEMPOTENCY),
          errors=(400, 401, 403, 404, 409, 413, 415, 503),
          notes={409: "Already taken (the message names by whom) or over."}),
    Route("post", "/assistance-calls/{call_id}/close", "close_assistance_call",
          "Close a call you took, recording the help given (a help record)",
          {200: ("AssistanceCall", "Closed; assist_id is the help record.")},
          roles=HELPERS, body=CloseBody, optional_body=True, params=(CALL_ID, IDEMPOTENCY),
          errors=(400, 401, 403, 404, 409, 413, 415, 422, 503),
          notes={403: "Someone else took this call.",
                 404: "Unknown call, kind of help or category.",
                 409: "Not taken yet, or over.",
                 422: "A kind of help no longer recorded."}),
    Route("post", "/assistance-calls/{call_id}/cancel", "cancel_assistance_call",
          "Withdraw a call you raised", {200: ("AssistanceCall", "Cancelled.")},
          roles=RAISERS, body=EmptyBody, optional_body=True, params=(CALL_ID, IDEMPOTENCY),
          errors=(400, 401, 403, 404, 409, 413, 415, 503),
          notes={403: "Someone else raised this call.", 409: "Over already."}),
)
# fmt: on
