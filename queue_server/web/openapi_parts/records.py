"""OpenAPI paths and schemas of the records routes: the help desk's callback list."""

from __future__ import annotations

from typing import Any

from queue_server.web.openapi import (
    INT,
    STATUS,
    STR,
    TICKET_ID,
    TIME,
    _json,
    _obj,
    _operation,
    _ref,
)

CONTACT_ROLES = "helpdesk, admin"

PATHS: dict[str, Any] = {
    "/contacts": {
        "get": _operation(
            "Today's callback list",
            "list_contacts",
            {200: _json(_ref("ContactList"), "Phone numbers given today, with consent.")},
            roles=CONTACT_ROLES,
            errors=(401, 403),
        )
    },
    "/contacts/{ticket_id}": {
        "delete": _operation(
            "Forget a ticket's phone number (consent withdrawn)",
            "delete_contact",
            {204: {"description": "Deleted (recorded in the audit log, without the number)."}},
            roles=CONTACT_ROLES,
            params=[TICKET_ID],
            errors=(401, 403, 404),
        )
    },
}

SCHEMAS: dict[str, Any] = {
    "Contact": _obj(
        ["ticket_id", "number", "phone", "purpose", "created_at"],
        {
            "ticket_id": INT,
            "number": STR,
            "service": STR,
            "service_name": STR,
            "status": STATUS,
            "phone": {"type": "string", "pattern": "^0[0-9]{9,10}$"},
            "purpose": {"type": "string", "enum": ["callback", "home_visit"]},
            "created_at": TIME,
        },
    ),
    "ContactList": _obj(
        ["day", "contacts"],
        {
            "day": {"type": "string", "format": "date"},
            "contacts": {"type": "array", "items": _ref("Contact")},
        },
    ),
}
