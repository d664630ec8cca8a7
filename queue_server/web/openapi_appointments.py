"""The OpenAPI description of the appointments routes (queue_server/web/appointments.py):
their answer models and their rows of the route table."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from queue_server.web.appointments import BookingBody, CheckInBody
from queue_server.web.openapi_table import IDEMPOTENCY, Closed, Route, path_param
from queue_server.web.ticket_openapi import PrintAnswer, Ticket

AppointmentStatus = Literal["booked", "checked_in", "late", "cancelled", "no_show"]


class Appointment(Closed):
    """An appointment: no name, no phone number. ``code`` is what the citizen keeps."""

    id: int
    code: str = Field(description="8 characters without look-alikes (no 0/O, 1/I …).")
    code_shown: str = Field(description="The code as printed, e.g. K7MX-4RPA.")
    service: str
    service_name: str
    day: date
    slot_start: datetime
    slot_end: datetime
    channel: Literal["helpdesk", "kiosk", "public"]
    status: AppointmentStatus = Field(
        description="no_show: still booked after its day (computed, not stored)."
    )
    booked_at: datetime
    checked_in_at: datetime | None
    ticket_id: int | None
    bring: str = Field(description="What to bring, from the configuration (the slip).")
    print: PrintAnswer | None = Field(
        None,
        description="A kiosk's booking: the slip's print job on its printer (None: no "
        "printer), followed at /print-jobs/{job_id} like a ticket's.",
    )


class AppointmentList(Closed):
    appointments: list[Appointment]


class SlotPlace(Closed):
    start: datetime
    end: datetime
    capacity: int = Field(ge=0)
    free: int = Field(ge=0, description="0 as well for a slot already started.")


class AppointmentSlots(Closed):
    service: str
    day: date
    closed: bool = Field(description="A closed weekday or a holiday: no slots.")
    slots: list[SlotPlace]


class CheckedIn(Closed):
    appointment: Appointment
    ticket: Ticket = Field(description="The ticket issued (printed at a kiosk).")
    late: bool = Field(description="Past the slot's end and grace: an ordinary walk-in.")


APPOINTMENT_ANSWERS: tuple[type[BaseModel], ...] = (
    Appointment,
    AppointmentList,
    SlotPlace,
    AppointmentSlots,
    CheckedIn,
)

CODE = path_param("code", {"type": "string", "maxLength": 20})
DAY = {"name": "day", "in": "query", "description": "Local day (default today).",
       "schema": {"type": "string", "format": "date"}}  # fmt: skip
SERVICE = {"name": "service", "in": "query", "required": True, "schema": {"type": "string"}}
LIST_PARAMS: tuple[dict[str, Any], ...] = (
    {"name": "from", "in": "query", "description": "First local day (default today).",
     "schema": {"type": "string", "format": "date"}},
    {"name": "to", "in": "query", "description": "Last local day, included (default: from).",
     "schema": {"type": "string", "format": "date"}},
    {"name": "service", "in": "query", "schema": {"type": "string"}},
    {"name": "channel", "in": "query",
     "schema": {"type": "string", "enum": ["helpdesk", "kiosk", "public"]}},
    {"name": "status", "in": "query",
     "schema": {"type": "string",
                "enum": ["booked", "checked_in", "late", "cancelled", "no_show"]}},
)  # fmt: skip
STATE_NOTES = {
    404: "No appointment has this code.",
    409: "Checked in already, cancelled, passed, or not today (check-in on the slot's day).",
}

# fmt: off
APPOINTMENT_ROUTES: tuple[Route, ...] = (
    Route("post", "/appointments", "book_appointment",
          "Book a slot (help desk, kiosk, or the citizen's public page without credentials)",
          {201: ("Appointment", "Booked: the code and the slip's contents.")},
          roles="kiosk, helpdesk, admin; without credentials: the public page",
          body=BookingBody, params=(IDEMPOTENCY,),
          errors=(400, 401, 403, 404, 409, 413, 415, 422, 429, 503),
          notes={404: "Unknown service.",
                 409: "The slot is full (of two bookings for the last place one wins).",
                 415: "A public booking must be sent as JSON.",
                 422: "A slot in the past, on a closed day, in the lunch break, not a slot "
                      "start, too far ahead, or a service without appointments.",
                 429: "Too many public bookings from this address; see Retry-After."},
          public=True),
    Route("get", "/appointments", "list_appointments", "The staff list of appointments",
          {200: ("AppointmentList", "By slot; at most 500.")}, roles="helpdesk, admin",
          params=LIST_PARAMS, errors=(400, 401, 403, 404),
          notes={400: "A bad date, channel or status, or more than 62 days.",
                 404: "Unknown service."}),
    Route("get", "/appointments/slots", "appointment_slots",
          "A day's slots for a service and their free places",
          {200: ("AppointmentSlots", "Every slot of the day (none on a closed day).")},
          params=(SERVICE, DAY), errors=(400, 404, 422),
          notes={404: "Unknown service.", 422: "A service without appointments."},
          public=True),
    Route("post", "/appointments/{code}/check-in", "check_in_appointment",
          "Check in at the center: the ticket is issued (due at the slot, or late: a walk-in)",
          {200: ("CheckedIn", "Checked in.")}, roles="kiosk, helpdesk, admin",
          body=CheckInBody, optional_body=True, params=(CODE, IDEMPOTENCY),
          notes=STATE_NOTES),
    Route("post", "/appointments/{code}/cancel", "cancel_appointment",
          "Cancel a booked appointment (its place is free again)",
          {200: ("Appointment", "Cancelled.")}, roles="helpdesk, admin",
          body=CheckInBody, optional_body=True, params=(CODE, IDEMPOTENCY),
          notes=STATE_NOTES),
)
# fmt: on
