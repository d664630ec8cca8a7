"""What the OpenAPI document says that no model knows: paths, roles and status codes.

One ``Route`` per operation; answers name a schema of ``openapi_models`` (or ``None`` for
an empty answer) and every error code listed gets an ``Error`` answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from queue_server.web.assistance import CloseBody, RaiseBody
from queue_server.web.assists import AssistBody
from queue_server.web.bodies import (
    MAX_ID,
    CallBody,
    CounterChoiceBody,
    EmptyBody,
    IssueBody,
    ReprintBody,
    TransferBody,
)
from queue_server.web.device_api import LeaseRequest, PrintJobReport, StatusReport
from queue_server.web.feedback import AnswerBody, CitizenFeedbackBody, FeedbackBody, ForwardBody
from queue_server.web.openapi_models import SettingsSection
from queue_server.web.ratings import CounterRatingBody, TrackRatingBody
from queue_server.web.visit_schemas import OutcomeBody, ScheduleBody, VisitBody

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


def _path(name: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": schema or {"type": "string"}}


ROW_ID = {"type": "integer", "minimum": 0, "maximum": MAX_ID}  # a path id (404 beyond)
NUMBER = _path("number", ROW_ID)
TICKET_ID = _path("ticket_id", ROW_ID)
TRACK_CODE = _path("track_code")
SECTION = {
    **_path("section", {"type": "string", "enum": ["services", "priorities", "counters",
                                                   "kiosks", "led.boards", "center.notice",
                                                   "voice.pack"]}),
    "description": "A settings section, named as in the TOML file.",
}  # fmt: skip
PAGING = (
    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}},
    {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}},
)
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

COUNTER = "officer (own counter), admin"
DESK = "helpdesk, admin"
TABLET = "rating (the tablet of this counter), admin"
DEVICE = "device (xephang devices), admin"
RECORDERS = "helpdesk, officer, volunteer, admin"
HELPERS = "helpdesk, volunteer, manager, officer, admin"
RAISERS = "kiosk, officer, admin"
CALL_ID = _path("call_id", ROW_ID)
RANGE = (
    {"name": "from", "in": "query", "description": "First local day (default today).",
     "schema": {"type": "string", "format": "date"}},
    {"name": "to", "in": "query", "description": "Last local day, included (default: from).",
     "schema": {"type": "string", "format": "date"}},
)  # fmt: skip
VISIT_ID = _path("visit_id", ROW_ID)
CONTACTS = {
    "name": "contacts",
    "in": "query",
    "description": "1: add the phone number and address (signed-in help desk, admin).",
    "schema": {"type": "string", "enum": ["1", "true", "0"]},
}
VISIT_STATUSES = [
    "open",
    "requested",
    "scheduled",
    "done_dossier",
    "done_advice",
    "not_home",
    "cancelled",
]
VISIT_FILTERS = (
    {"name": "status", "in": "query", "description": "open: requested or scheduled.",
     "schema": {"type": "string", "enum": VISIT_STATUSES}},
    {"name": "day", "in": "query", "description": "Only visits planned for this local day "
     "(YYYY-MM-DD, or today).", "schema": {"type": "string"}},
    {"name": "officer", "in": "query", "description": "Only visits of this staff user id.",
     "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}},
    {"name": "mine", "in": "query", "description": "1: only the signed-in user's visits.",
     "schema": {"type": "string", "enum": ["1", "0"]}},
    CONTACTS,
)  # fmt: skip
HANDLER = "manager, admin"
FEEDBACK_ID = _path("feedback_id", ROW_ID)
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
STORED: dict[int, Answer] = {201: ("RatingReceipt", "Stored (the score is not echoed).")}
ADMIN_NOTES = {
    400: "Not valid: the field is named (``field``), every problem in ``problems``.",
    403: "The role may not do this (or a missing CSRF header).",
    404: "Unknown settings section.",
    413: "The body is too large.",
    422: "Understood but refused (e.g. a service that still has waiting tickets).",
}


def _counter(
    action: str, summary: str, result: str = "TicketResult", body: type[BaseModel] | None = None
) -> Route:
    return Route(
        "post", f"/counters/{{number}}/{action}", f"counter_{action.replace('-', '_')}", summary,
        {200: (result, "Done.")}, roles=COUNTER, body=body, params=(NUMBER, IDEMPOTENCY),
    )  # fmt: skip


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


# fmt: off
ROUTES: tuple[Route, ...] = (
    Route("get", "/services", "list_services", "Services (lĩnh vực)",
          {200: ("Services", "The services.")}, roles="any", errors=READ),
    Route("get", "/priorities", "list_priorities", "Priority categories",
          {200: ("Priorities", "Categories (a kiosk sees only its own).")}, roles="any",
          errors=READ),
    Route("get", "/counters", "list_counters", "Counters and what they serve now",
          {200: ("Counters", "The counters.")}, roles="any", errors=READ),
    Route("post", "/tickets", "issue_ticket", "Issue a ticket",
          {201: ("IssuedTicket", "The new ticket, with its tracking code.")},
          roles="kiosk (no emergency category), helpdesk, admin", body=IssueBody,
          params=(IDEMPOTENCY,)),
    Route("get", "/tickets/by-number/{number}", "get_ticket_by_number",
          "Today's ticket with this number",
          {200: ("Ticket", "The ticket, with people ahead now.")},
          roles="officer, helpdesk, admin", params=(_path("number"),), errors=LOOKUP),
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
          roles="kiosk (its own jobs), helpdesk, admin", params=(_path("job_id"),), errors=LOOKUP),
    Route("get", "/track/{track_code}", "track", "Public tracking by the code on the ticket",
          {200: ("Track", "Number, status and people ahead; no personal data.")},
          params=(TRACK_CODE,), errors=(404,), public=True),
    Route("post", "/counters/{number}/next", "counter_next",
          "Call the next citizen (finishes the current one)",
          {200: ("TicketResult", "The called ticket."),
           204: (None, "Nobody is waiting for this counter.")},
          roles=COUNTER, params=(NUMBER, IDEMPOTENCY)),
    _counter("call", "Call a specific ticket", body=CallBody),
    _counter("recall", "Call the current ticket again"),
    _counter("no-show", "The called citizen did not come"),
    _counter("finish", "The citizen was served"),
    _counter("serve", "The citizen arrived: start serving"),
    _counter("transfer", "Send the current ticket to another service", body=TransferBody),
    _counter("pause", "Pause the counter", "CounterResult"),
    _counter("resume", "Resume the counter", "CounterResult"),
    Route("get", "/counters/{number}/waiting", "counter_waiting",
          "Who this counter would call, in policy order",
          {200: ("CounterWaiting", "Waiting tickets.")},
          roles="officer (own counter), helpdesk, admin", params=(NUMBER,), errors=LOOKUP),
    Route("get", "/state", "state", "Everything a screen needs, with the bus sequence number",
          {200: ("State", "The snapshot.")}, roles="any", errors=READ),
    Route("get", "/session", "session", "Who am I",
          {200: ("Session", "The token or signed-in user.")}, roles="any", errors=READ),
    Route("post", "/session/counter", "choose_counter",
          "A signed-in officer chooses a counter (409: another officer has it open;"
          " send take_over true to take it)",
          {200: ("Session", "The session with its counter.")},
          roles="officer or admin signed in with a session cookie", body=CounterChoiceBody,
          errors=(400, 401, 403, 404, 409, 413)),
    Route("get", "/healthz", "healthz", "The process answers", {200: ("Health", "Alive.")},
          errors=(), public=True),
    Route("get", "/readyz", "readyz",
          "Database writable and schema up to date (devices reported apart)",
          {200: ("Ready", "Ready."), 503: ("Ready", "Not ready; see the failing checks.")},
          errors=(), public=True),
    Route("get", "/metrics", "metrics", "Prometheus metrics",
          {200: ({"text/plain": {"schema": {"type": "string"}}},
                 "Text exposition format 0.0.4.")},
          errors=(), public=True),
    Route("get", "/openapi.json", "openapi", "This document",
          {200: ({"application/json": {"schema": {"type": "object"}}}, "OpenAPI 3.1.")},
          errors=(), public=True),
    # Ratings (queue_server/web/ratings.py)
    Route("get", "/counters/{number}/rating", "pending_rating",
          "The ticket awaiting a rating at this counter",
          {200: ("CounterRatingState",
                 "The ticket this counter's tablet may ask about now; null if none.")},
          roles=TABLET, params=(NUMBER,), errors=LOOKUP),
    Route("post", "/counters/{number}/rating", "rate_at_counter",
          "Rate the ticket just finished at this counter (the tablet)", STORED, roles=TABLET,
          body=CounterRatingBody, params=(NUMBER, IDEMPOTENCY),
          errors=(400, 401, 403, 404, 409, 413, 422)),
    Route("get", "/track/{track_code}/rating", "track_rating",
          "Whether a ticket can be rated from its tracking page",
          {200: ("TrackRatingState", "open, rated, not_yet or closed.")},
          params=(TRACK_CODE,), errors=(404,), public=True),
    Route("post", "/track/{track_code}/rating", "rate_from_tracking",
          "Rate a served ticket from its tracking page (once)", STORED, body=TrackRatingBody,
          params=(TRACK_CODE, IDEMPOTENCY), errors=(400, 404, 409, 413, 422, 403, 415, 429),
          notes={403: "Sent with staff credentials (an API token or a staff sign-in): only the "
                      "citizen rates.",
                 429: "Too many ratings from this address; see Retry-After."},
          public=True),
    # Help records (queue_server/web/assists.py)
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
    # Home visits (queue_server/web/visits.py)
    Route("post", "/visits", "register_visit", "Register a home visit asked for by phone",
          {201: ("HomeVisitAnswer", "Registered (status requested); no contact in the answer.")},
          roles=DESK, body=VisitBody, params=(IDEMPOTENCY,),
          notes={400: "A malformed field, or no consent for the phone number and address "
                      "(nothing is stored).",
                 404: "Unknown service or priority category.",
                 422: "Not a Vietnamese phone number, no address and no hamlet, or the "
                      "Idempotency-Key was used for another request."}),
    Route("get", "/visits", "list_visits", "Home visits, filtered",
          {200: ("HomeVisitList", "By visit day and window, then unscheduled ones (at most "
                                  "500).")},
          roles="helpdesk, manager, admin; officer (signed in): own visits only",
          params=VISIT_FILTERS, errors=(400, 401, 403),
          notes={403: "The role may not read visits, an officer token, or contacts=1 "
                      "asked by anyone but signed-in help desk staff or an admin."}),
    Route("get", "/visits/{visit_id}", "get_visit", "One home visit",
          {200: ("HomeVisitAnswer", "The visit.")},
          roles="helpdesk, manager, admin; officer (signed in): own visits only",
          params=(VISIT_ID, CONTACTS), errors=LOOKUP),
    Route("get", "/visits/staff", "visit_staff", "Staff who may be sent on a home visit",
          {200: ("VisitStaff", "Active officers, help desk staff and admins.")},
          roles=DESK, errors=READ),
    Route("post", "/visits/{visit_id}/schedule", "schedule_visit",
          "Give an open home visit its day, time window and staff",
          {200: ("HomeVisitAnswer", "Scheduled (again).")}, roles=DESK, body=ScheduleBody,
          params=(VISIT_ID, IDEMPOTENCY),
          notes={404: "Unknown visit or staff user.",
                 409: "The visit is closed.",
                 422: "A day in the past, a window that ends before it starts, or the "
                      "Idempotency-Key was used for another request."}),
    Route("post", "/visits/{visit_id}/outcome", "record_visit_outcome",
          "Record what happened on a home visit",
          {200: ("HomeVisitAnswer", "Recorded; closed unless rescheduled.")},
          roles="helpdesk, admin; officer (signed in): own visits only", body=OutcomeBody,
          params=(VISIT_ID, IDEMPOTENCY),
          notes={403: "Not assigned to this visit (officers), or the role may not.",
                 409: "The visit is closed, or has no day yet (done, not at home, "
                      "rescheduled).",
                 422: "A new day in the past or missing with rescheduled, a visit day not "
                      "yet come, or the Idempotency-Key was used for another request."}),
    # Feedback (queue_server/web/feedback.py)
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
    # Calls for assistance (queue_server/web/assistance.py)
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
    # Admin (queue_server/web/admin/api.py)
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
    # A device worker of its own (queue_server/web/device_api.py)
    Route("post", "/print-jobs/{job_id}", "report_print_job",
          "A device worker reports a print job's new state",
          {200: ("PrintJobRecorded", "Recorded (or kept, with if_absent).")},
          roles=DEVICE, body=PrintJobReport, params=(_path("job_id"),),
          errors=(400, 401, 403, 404, 413, 503)),
    Route("put", "/devices/status", "report_device_status",
          "A device worker reports the status of the devices it drives",
          {200: ("StatusStored", "Kept; every server process shows it in /readyz.")},
          roles=DEVICE, body=StatusReport, errors=(400, 401, 403, 413, 503)),
    Route("post", "/devices/leases", "device_leases",
          "A device worker claims, renews or releases the leases of its devices",
          {200: ("Leases", "Each claimed lease as the claim left it, in key order.")},
          roles=DEVICE, body=LeaseRequest, errors=(400, 401, 403, 413, 503)),
    # Contacts (queue_server/web/contacts.py): the help desk's callback list
    Route("get", "/contacts", "list_contacts", "Today's callback list",
          {200: ("ContactList", "Phone numbers given today, with consent.")}, roles=DESK,
          errors=READ),
    Route("delete", "/contacts/{ticket_id}", "delete_contact",
          "Forget a ticket's phone number (consent withdrawn)",
          {204: (None, "Deleted (recorded in the audit log, without the number).")},
          roles=DESK, params=(TICKET_ID,), errors=LOOKUP),
)
# fmt: on
