"""A citizen's phone number for a callback, kept only with consent and purged on schedule.

The same machinery purges the phone numbers and addresses of closed home visits
(:func:`purge_visit_contacts`, see :mod:`queue_server.core.visits`).

The help desk may note a phone number when a citizen asks to be called back (home
visits booked by phone, results to collect). It is stored in ``ticket_contacts``, apart
from the ticket: never on a ticket, a screen, the bus, a printout, a log or a report.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, delete, insert, select, update

from queue_server.core import audit
from queue_server.core.clock import day_bounds_utc
from queue_server.core.db import Database
from queue_server.core.errors import Rejected
from queue_server.core.models import Feedback, Service, Ticket, TicketContact
from queue_server.core.visit_models import HomeVisit, VisitContact
from queue_server.i18n import N_, _

PURPOSES: dict[str, str] = {
    "callback": N_("Call back"),
    "home_visit": N_("Home visit"),
}
# National form: mobiles 0 + 3/5/7/8/9 + 8 digits; landlines 02 + 9 digits (0 + area code 2xx).
NATIONAL_PHONE = re.compile(r"^0(?:[35789]\d{8}|2\d{9})$")
SEPARATORS = str.maketrans("", "", " .-()\u00a0")
PURGE_ACTION = "privacy.purge"
WITHDRAW_ACTION = "privacy.withdraw"


@dataclass(frozen=True, slots=True)
class Contact:
    """A validated phone number (national form, e.g. ``0912345678``) and its purpose."""

    phone: str
    purpose: str = "callback"


def normalize_phone(raw: str) -> str:
    """``raw`` as a Vietnamese number in national form, or :class:`Rejected`.

    Accepts spaces, dots, dashes and brackets, and the +84 / 0084 / 84 prefixes.
    """
    text = unicodedata.normalize("NFC", raw).strip().translate(SEPARATORS)
    for prefix in ("+84", "0084"):
        if text.startswith(prefix):
            text = "0" + text[len(prefix) :]
    if text.startswith("84") and len(text) in (11, 12):
        text = "0" + text[2:]
    if not NATIONAL_PHONE.match(text):
        raise Rejected(
            _(
                "This is not a Vietnamese phone number: a mobile has 10 digits "
                "(e.g. 0912 345 678), a landline 11 (e.g. 024 3825 1234)."
            )
        )
    return text


def consented_contact(phone: str, consent: bool, purpose: str = "callback") -> Contact:
    """A contact to store, only if the citizen agreed (``consent`` is true)."""
    if consent is not True:
        raise Rejected(
            _(
                "A phone number is kept only with the citizen's consent: "
                "ask them and tick the consent box (consent: true)."
            )
        )
    if purpose not in PURPOSES:
        raise Rejected(_("Unknown purpose: {purpose}").format(purpose=purpose[:30]))
    return Contact(normalize_phone(phone), purpose)


def store_contact(conn: Connection, ticket_id: int, contact: Contact, now: datetime) -> None:
    """Save ``contact`` for a ticket inside the issuing transaction."""
    conn.execute(
        insert(TicketContact).values(
            ticket_id=ticket_id,
            phone=contact.phone,
            purpose=contact.purpose,
            consented_at=now,
            created_at=now,
        )
    )


def contacts_of_day(db: Database, day: date, zone: ZoneInfo) -> list[dict[str, Any]]:
    """The day's callback list for the help desk: ticket number, service, phone, purpose."""
    start, end = day_bounds_utc(day, zone)
    query = (
        select(
            TicketContact.ticket_id,
            Ticket.number,
            Service.code.label("service"),
            Service.name.label("service_name"),
            Ticket.status,
            TicketContact.phone,
            TicketContact.purpose,
            TicketContact.created_at,
        )
        .join(Ticket, Ticket.id == TicketContact.ticket_id)
        .join(Service, Service.id == Ticket.service_id)
        .where(TicketContact.created_at >= start, TicketContact.created_at < end)
        .order_by(TicketContact.created_at, TicketContact.id)
    )
    with db.read() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


def withdraw_contact(db: Database, ticket_id: int, now: datetime, actor: str) -> bool:
    """Delete a ticket's phone number (the citizen withdrew consent); False if none."""
    with db.write() as conn:
        deleted = conn.execute(
            delete(TicketContact).where(TicketContact.ticket_id == ticket_id)
        ).rowcount
        if deleted:
            audit.record(
                conn, now, actor, WITHDRAW_ACTION, target="ticket_contacts", detail={"deleted": 1}
            )
    return bool(deleted)


@dataclass(frozen=True)
class PhonesPurged:
    """Phone numbers deleted by :func:`purge_contacts`: callback numbers, and those of
    answered feedback (each kind has its own keeping time)."""

    callbacks: int
    feedback: int = 0

    @property
    def total(self) -> int:
        return self.callbacks + self.feedback


def purge_contacts(
    db: Database, now: datetime, keep_days: int, actor: str, *, feedback_days: int | None = None
) -> PhonesPurged:
    """Delete callback phone numbers older than ``keep_days`` days and, with
    ``feedback_days``, the phone numbers of feedback answered more than that many days
    ago; the audit log gets the counts."""
    cutoff = now - timedelta(days=keep_days)
    cleared = 0
    with db.write() as conn:
        deleted = conn.execute(
            delete(TicketContact).where(TicketContact.created_at < cutoff)
        ).rowcount
        detail: dict[str, Any] = {"deleted": deleted, "older_than_days": keep_days}
        if feedback_days is not None:
            cleared = _purge_feedback_phones(conn, now - timedelta(days=feedback_days))
            detail |= {"feedback_phones": cleared, "feedback_answered_days": feedback_days}
        audit.record(conn, now, actor, PURGE_ACTION, target="ticket_contacts", detail=detail)
    return PhonesPurged(int(deleted), int(cleared))


def purge_visit_contacts(db: Database, now: datetime, keep_days: int, actor: str) -> int:
    """Delete the phone number and address of home visits closed more than ``keep_days``
    days ago (done, not at home, cancelled); the audit log gets the count."""
    cutoff = now - timedelta(days=keep_days)
    closed = select(HomeVisit.id).where(
        HomeVisit.closed_at.is_not(None), HomeVisit.closed_at < cutoff
    )
    with db.write() as conn:
        deleted = conn.execute(
            delete(VisitContact).where(VisitContact.visit_id.in_(closed))
        ).rowcount
        audit.record(
            conn,
            now,
            actor,
            PURGE_ACTION,
            target="visit_contacts",
            detail={"deleted": deleted, "closed_more_than_days": keep_days},
        )
    return int(deleted)


def _purge_feedback_phones(conn: Connection, answered_before: datetime) -> int:
    """Clear the phone numbers of feedback answered before ``answered_before``."""
    return int(
        conn.execute(
            update(Feedback)
            .where(
                Feedback.phone.is_not(None),
                Feedback.answered_at.is_not(None),
                Feedback.answered_at < answered_before,
            )
            .values(phone=None, phone_consented_at=None)
        ).rowcount
    )
