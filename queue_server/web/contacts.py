"""Phone numbers for a callback over the API: only the help desk records and reads them.

``POST /api/v1/tickets`` takes an optional ``contact`` (see :func:`issue_contact`);
``GET /api/v1/contacts`` is today's callback list and ``DELETE /api/v1/contacts/<id>``
forgets a number when the citizen withdraws consent. Numbers never go on the bus, the
ticket, the screens or the logs.
"""

from __future__ import annotations

from flask import Blueprint, Response, g, jsonify

from queue_server.auth.roles import Principal, Role
from queue_server.core.contacts import Contact, consented_contact, contacts_of_day, withdraw_contact
from queue_server.core.errors import NotFound
from queue_server.i18n import _
from queue_server.web.bodies import MAX_ID, ContactBody
from queue_server.web.errors import ApiError
from queue_server.web.security import require
from queue_server.web.state import xephang

contacts_api = Blueprint("contacts_api", __name__, url_prefix="/api/v1")

CONTACT_ROLES = (Role.HELPDESK, Role.ADMIN)


def issue_contact(principal: Principal, body: ContactBody | None) -> Contact | None:
    """The consented contact of an issue request; 403 for kiosks, 422 without consent."""
    if body is None:
        return None
    if principal.role not in CONTACT_ROLES:
        raise ApiError(403, _("Only the help desk may record a phone number."))
    return consented_contact(body.phone, body.consent, body.purpose)


@contacts_api.get("/contacts")
@require(Role.HELPDESK)
def list_contacts() -> Response:
    """Today's callback list: ticket number, service, phone number and purpose."""
    queue = xephang().queue
    day = queue.today()
    rows = contacts_of_day(queue.db, day, queue.options.zone)
    return jsonify(
        {
            "day": day.isoformat(),
            "contacts": [{**row, "created_at": row["created_at"].isoformat()} for row in rows],
        }
    )


@contacts_api.delete("/contacts/<int:ticket_id>")
@require(Role.HELPDESK)
def delete_contact(ticket_id: int) -> Response:
    """Forget a ticket's phone number (the citizen withdrew consent)."""
    queue = xephang().queue
    principal: Principal = g.principal
    if ticket_id > MAX_ID or not withdraw_contact(
        queue.db, ticket_id, queue.clock.now(), principal.actor
    ):
        raise NotFound(_("No phone number is kept for this ticket."))
    return Response(status=204)
