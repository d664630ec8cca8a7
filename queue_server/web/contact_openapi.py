"""The OpenAPI description of the help desk's callback list
(``queue_server/web/contacts.py``): phone numbers given with consent, and forgetting one."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from queue_server.web.openapi_table import DESK, LOOKUP, READ, TICKET_ID, Route
from queue_server.web.ticket_openapi import Status


class Contact(BaseModel):
    ticket_id: int
    number: str
    service: str = ""
    service_name: str = ""
    status: Status = "waiting"
    phone: str = Field(pattern=r"^0[0-9]{9,10}$")
    purpose: Literal["callback", "home_visit"]
    created_at: datetime


class ContactList(BaseModel):
    day: date
    contacts: list[Contact]


CONTACT_ANSWERS: tuple[type[BaseModel], ...] = (ContactList,)


# fmt: off
CONTACT_ROUTES: tuple[Route, ...] = (
    Route("get", "/contacts", "list_contacts", "Today's callback list",
          {200: ("ContactList", "Phone numbers given today, with consent.")}, roles=DESK,
          errors=READ),
    Route("delete", "/contacts/{ticket_id}", "delete_contact",
          "Forget a ticket's phone number (consent withdrawn)",
          {204: (None, "Deleted (recorded in the audit log, without the number).")},
          roles=DESK, params=(TICKET_ID,), errors=LOOKUP),
)
# fmt: on
