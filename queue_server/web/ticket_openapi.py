"""The OpenAPI description of the ticket routes (``queue_server/web/api/tickets.py``):
issuing, looking up, cancelling and reprinting tickets, their print jobs, and public
tracking by the code on the ticket. Only ``IssuedTicket`` carries the tracking code."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from queue_server.web.bodies import IssueBody, ReprintBody
from queue_server.web.openapi_table import (
    DESK,
    IDEMPOTENCY,
    LOOKUP,
    SOME_TIME,
    TICKET_ID,
    TRACK_CODE,
    Closed,
    Route,
    path_param,
)

Status = Literal["waiting", "called", "serving", "done", "no_show", "cancelled"]


class PrintAnswer(BaseModel):
    kiosk: str
    job: str
    state: str
    ok: bool | None


class Ticket(BaseModel):
    """A ticket as staff and screens see it: never its tracking code."""

    id: int
    number: str
    service: str
    service_name: str = ""
    status: Status
    issued_at: datetime
    priority: str | None = None
    emergency: bool = False
    counter: int | None = None
    called_at: datetime | None = None
    recall_count: int = 0
    ahead: int
    estimated_wait_s: int | None = None
    channel: str = ""
    print: PrintAnswer | None = None


class IssuedTicket(Ticket):
    """The new ticket, with its tracking code: the only answer that carries it."""

    track_code: str = Field(description="A bearer secret: only in the answer to the issue.")


class PrinterReport(BaseModel):
    state: str
    ok: bool | None
    message: str
    pending: int = 0
    awaiting_recovery: int = 0


class PrintJob(BaseModel):
    id: str
    ticket_id: int | None = Field(description="None for an appointment slip's job.")
    appointment_id: int | None = Field(
        None, description="An appointment slip's job (``slip-<id>``): its appointment."
    )
    kiosk: str
    state: Literal["queued", "sent", "confirmed", "failed"]
    reason: str | None = None
    detail: str = ""
    attempts: int
    reprint: bool
    awaiting_recovery: bool = False
    created_at: datetime = SOME_TIME
    updated_at: datetime = SOME_TIME


class PrintJobResult(BaseModel):
    job: PrintJob
    printer: PrinterReport | None


class PrintJobs(BaseModel):
    jobs: list[PrintJob]


class TicketResult(BaseModel):
    ticket: Ticket


class ReprintResult(BaseModel):
    job_id: str
    kiosk: str


class Track(Closed):
    """What the public tracking page shows: no personal data."""

    number: str
    service: str = ""
    service_name: str = ""
    status: Status
    ahead: int
    counter: int | None = None
    estimated_wait_s: int | None = None


TICKET_ANSWERS: tuple[type[BaseModel], ...] = (
    IssuedTicket,
    TicketResult,
    ReprintResult,
    PrintJobResult,
    PrintJobs,
    Track,
)


# fmt: off
TICKET_ROUTES: tuple[Route, ...] = (
    Route("post", "/tickets", "issue_ticket", "Issue a ticket",
          {201: ("IssuedTicket", "The new ticket, with its tracking code.")},
          roles="kiosk (no emergency category), helpdesk, admin", body=IssueBody,
          params=(IDEMPOTENCY,)),
    Route("get", "/tickets/by-number/{number}", "get_ticket_by_number",
          "Today's ticket with this number",
          {200: ("Ticket", "The ticket, with people ahead now.")},
          roles="officer, helpdesk, admin", params=(path_param("number"),), errors=LOOKUP),
    Route("get", "/tickets/{ticket_id}", "get_ticket", "One ticket",
          {200: ("Ticket", "The ticket, with people ahead now.")},
          roles="officer, helpdesk, admin", params=(TICKET_ID,), errors=LOOKUP),
    Route("post", "/tickets/{ticket_id}/cancel", "cancel_ticket", "Cancel a waiting ticket",
          {200: ("TicketResult", "The cancelled ticket.")}, roles=DESK,
          params=(TICKET_ID, IDEMPOTENCY)),
    Route("post", "/tickets/{ticket_id}/reprint", "reprint_ticket", "Print a ticket again",
          {202: ("ReprintResult", "The print job was queued.")}, roles=DESK, body=ReprintBody,
          optional_body=True, params=(TICKET_ID,), errors=(400, 401, 403, 404, 413)),
    Route("get", "/tickets/{ticket_id}/print-jobs", "ticket_print_jobs",
          "A ticket's print jobs and their states", {200: ("PrintJobs", "Oldest first.")},
          roles=DESK, params=(TICKET_ID,), errors=LOOKUP),
    Route("get", "/print-jobs/{job_id}", "print_job",
          "One print job and its printer now (the kiosk follows its ticket's job)",
          {200: ("PrintJobResult", "The job and the printer's state.")},
          roles="kiosk (its own jobs), helpdesk, admin", params=(path_param("job_id"),),
          errors=LOOKUP),
    Route("get", "/track/{track_code}", "track", "Public tracking by the code on the ticket",
          {200: ("Track", "Number, status and people ahead; no personal data.")},
          params=(TRACK_CODE,), errors=(404,), public=True),
)
# fmt: on
