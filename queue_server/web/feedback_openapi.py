"""The OpenAPI description of feedback (``queue_server/web/feedback.py``): recorded by the
help desk or sent from the tracking page, forwarded and answered."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from queue_server.web.assist_openapi import AssistKind
from queue_server.web.feedback import AnswerBody, CitizenFeedbackBody, FeedbackBody, ForwardBody
from queue_server.web.openapi_table import (
    DESK,
    IDEMPOTENCY,
    READ,
    ROW_ID,
    TRACK_CODE,
    Closed,
    Route,
    path_param,
)

HANDLER = "manager, admin"
FEEDBACK_ID = path_param("feedback_id", ROW_ID)
FEEDBACK_FILTERS = (
    {"name": "from", "in": "query", "description": "First local day (default 30 days ago).",
     "schema": {"type": "string", "format": "date"}},
    {"name": "to", "in": "query", "description": "Last local day, included (default today).",
     "schema": {"type": "string", "format": "date"}},
    {"name": "status", "in": "query",
     "schema": {"type": "string", "enum": ["received", "forwarded", "answered"]}},
    {"name": "channel", "in": "query",
     "schema": {"type": "string", "enum": ["helpdesk", "track", "rating"]}},
    {"name": "kind", "in": "query", "schema": {"type": "string"}},
    {"name": "overdue", "in": "query", "description": "true: only the overdue ones.",
     "schema": {"type": "boolean"}},
)  # fmt: skip


class FeedbackRecord(Closed):
    id: int
    day: date = Field(description="The local day it was received.")
    at: datetime
    due_day: date = Field(description="The last local day to answer it (working days).")
    overdue: bool = Field(description="Not answered and the due day is past.")
    kind: str
    text: str
    channel: Literal["helpdesk", "track", "rating"]
    service: str | None
    service_name: str | None
    counter: int | None
    ticket_id: int | None
    rating_id: int | None = Field(description="The 'not satisfied' rating it came with.")
    recorded_by: str
    status: Literal["received", "forwarded", "answered"]
    forwarded_at: datetime | None
    forwarded_by: str | None
    forwarded_user_id: int | None
    forwarded_to: str | None = Field(description="The staff account's name, or the unit.")
    answered_at: datetime | None
    answered_by: str | None
    answer: str | None
    has_phone: bool = Field(description="The citizen left a number (with consent).")
    phone: str | None = Field(None, description="Only for the manager and the admin.")


class FeedbackList(Closed):
    start: date
    end: date
    records: list[FeedbackRecord] = Field(description="Newest first, at most 500.")


class FeedbackReceipt(Closed):
    id: int
    status: Literal["received"]
    due_day: date


class FeedbackKinds(Closed):
    kinds: list[AssistKind]


FEEDBACK_ANSWERS: tuple[type[BaseModel], ...] = (
    FeedbackRecord,
    FeedbackList,
    FeedbackReceipt,
    FeedbackKinds,
)


# fmt: off
FEEDBACK_ROUTES: tuple[Route, ...] = (
    Route("post", "/feedback", "record_feedback",
          "Record a citizen's feedback, complaint or suggestion (the help desk)",
          {201: ("FeedbackRecord", "Recorded, status received.")}, roles=DESK,
          body=FeedbackBody, params=(IDEMPOTENCY,),
          notes={404: "Unknown kind of feedback, service or counter.",
                 422: "Empty or too long text, a phone number without consent or not "
                      "Vietnamese, a kind no longer recorded, or a reused Idempotency-Key."}),
    Route("get", "/feedback", "list_feedback", "Feedback records received over local days",
          {200: ("FeedbackList", "With status, due day and overdue flag.")},
          roles="helpdesk, manager, admin", params=FEEDBACK_FILTERS, errors=(400, 401, 403, 422),
          notes={400: "A date that is not YYYY-MM-DD or overdue not true/false.",
                 422: "An end before the start, more than 366 days, an unknown status or "
                      "channel."}),
    Route("post", "/feedback/{feedback_id}/forward", "forward_feedback",
          "Forward an unanswered record to a staff account or a unit",
          {200: ("FeedbackRecord", "Forwarded.")}, roles=HANDLER, body=ForwardBody,
          params=(FEEDBACK_ID,), errors=(400, 401, 403, 404, 409, 413, 422),
          notes={409: "Already answered.", 422: "Neither or both of user_id and unit."}),
    Route("post", "/feedback/{feedback_id}/answer", "answer_feedback",
          "Record the answer given to the citizen (once)",
          {200: ("FeedbackRecord", "Answered.")}, roles=HANDLER, body=AnswerBody,
          params=(FEEDBACK_ID,), errors=(400, 401, 403, 404, 409, 413, 422),
          notes={409: "Already answered.", 422: "Empty or too long text."}),
    Route("get", "/feedback/kinds", "feedback_kinds", "The kinds of feedback offered now",
          {200: ("FeedbackKinds", "In the configured order.")},
          roles="helpdesk, officer, manager, admin", errors=READ),
    Route("post", "/track/{track_code}/feedback", "feedback_from_tracking",
          "The citizen's feedback from the ticket's tracking page",
          {201: ("FeedbackReceipt", "Recorded; the id and the day it is due.")},
          body=CitizenFeedbackBody, params=(TRACK_CODE, IDEMPOTENCY),
          errors=(400, 403, 404, 413, 415, 422, 429),
          notes={403: "Sent with staff credentials: staff use POST /feedback.",
                 429: "Too many messages from this address (see Retry-After), or this "
                      "ticket has sent as many as it may."},
          public=True),
)
# fmt: on
