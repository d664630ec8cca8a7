"""The OpenAPI routes of home visits booked by phone (``queue_server/web/visits.py``);
their bodies and answers are in ``visit_schemas.py``."""

from __future__ import annotations

from queue_server.web.openapi_table import (
    DESK,
    IDEMPOTENCY,
    LOOKUP,
    READ,
    ROW_ID,
    Route,
    path_param,
)
from queue_server.web.visit_schemas import OutcomeBody, ScheduleBody, VisitBody

VISIT_ID = path_param("visit_id", ROW_ID)
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


# fmt: off
VISIT_ROUTES: tuple[Route, ...] = (
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
)
# fmt: on
