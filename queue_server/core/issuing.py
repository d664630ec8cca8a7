"""Commands that give tickets: issue a new one, print one again."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection

from queue_server.core import eventlog, policy
from queue_server.core import statements as sql
from queue_server.core.catalogue import CategoryInfo, ServiceInfo
from queue_server.core.clock import local_day
from queue_server.core.contacts import Contact, store_contact
from queue_server.core.context import Outcome, QueueContext
from queue_server.core.errors import NotFound
from queue_server.core.estimates import NEW_TICKET_ID, estimate_place
from queue_server.core.events import PrintRequested, QueueChanged, TicketIssued, TicketView
from queue_server.core.fastsql import execute as fast
from queue_server.core.models import TicketStatus
from queue_server.core.numbering import format_number, next_sequence
from queue_server.core.queries import ticket_row
from queue_server.core.views import ticket_view
from queue_server.i18n import _


@dataclass(frozen=True, slots=True)
class NewTicketPlace:
    """Where a ticket being issued stands: tickets waiting, people ahead, wait in s."""

    waiting: int
    ahead: int
    wait_s: int


def issue(
    ctx: QueueContext,
    service_code: str,
    priority_code: str | None = None,
    *,
    channel: str = "kiosk",
    actor: str | None = None,
    kiosk: str | None = None,
    contact: Contact | None = None,
    public_url: str | None = None,
    due_at: datetime | None = None,
) -> Outcome[TicketView]:
    """Give a new ticket for ``service_code``, optionally with a priority category.

    ``kiosk`` names the kiosk (and so the printer) the ticket is printed on;
    ``contact`` is a consented phone number, kept apart from the ticket;
    ``public_url`` is where the ticket's QR code points (unset: the configured address);
    ``due_at`` makes it an appointment ticket, due at its slot's start (docs/priority.md).
    """
    service = ctx.service_info(service_code)
    category = _category(ctx, priority_code)
    now = ctx.clock.now()
    day = local_day(now, ctx.options.zone)
    track_code = secrets.token_urlsafe(9)
    with ctx.db.write() as conn:
        ctx.clock_guard.admit(conn, now, actor or channel)  # no ticket on a wrong clock
        place = place_of_new_ticket(ctx, conn, service.id, day, category, now, due_at)
        # Numbering last: on PostgreSQL the day's counter row stays locked until commit.
        ticket = _insert_ticket(
            ctx, conn, service, category, day, now, (channel, track_code, due_at), place
        )
        eventlog.record(
            conn,
            ticket.id,
            now,
            "issue",
            None,
            TicketStatus.WAITING,
            service_id=service.id,
            actor=actor,
            detail={"channel": channel, "kiosk": kiosk} if kiosk else {"channel": channel},
        )
        if contact is not None:
            store_contact(conn, ticket.id, contact, now)
    return Outcome(
        ticket,
        [
            TicketIssued(ticket=ticket, kiosk=kiosk, public_url=public_url, at=now),
            QueueChanged(service=service.code, waiting=place.waiting + 1, at=now),
        ],
    )


def reprint(
    ctx: QueueContext,
    ticket_id: int,
    kiosk: str,
    *,
    actor: str | None = None,
    public_url: str | None = None,
) -> Outcome[str]:
    """Ask for a ticket to be printed again on ``kiosk``'s printer; returns the job id."""
    now = ctx.clock.now()
    with ctx.db.write() as conn:
        row = ticket_row(conn, ticket_id)
        reprints = fast(conn, sql.REPRINTS_OF_TICKET, {"ticket_id": ticket_id}).scalar_one()
        job_id = f"{ticket_id}-r{int(reprints) + 1}"
        eventlog.record(
            conn,
            ticket_id,
            now,
            "reprint",
            row.status,
            row.status,
            service_id=row.service_id,
            actor=actor,
            detail={"kiosk": kiosk, "job": job_id},
        )
        ticket = ticket_view(ctx.catalogue, row)
    requested = PrintRequested(
        ticket=ticket, kiosk=kiosk, job_id=job_id, public_url=public_url, at=now
    )
    return Outcome(job_id, [requested])


def place_of_new_ticket(
    ctx: QueueContext,
    conn: Connection,
    service_id: int,
    day: date,
    category: CategoryInfo | None,
    now: datetime,
    due_at: datetime | None = None,
) -> NewTicketPlace:
    """Tickets waiting for the service, people ahead of a ticket being issued, and
    its estimated wait in seconds.

    A normal ticket has everyone waiting ahead of it and an emergency every earlier
    emergency (counted in one round trip); a priority or appointment ticket's place, and
    any ticket's while an appointment's waits (held until its slot, it may be called
    after this one), comes from the policy (:mod:`queue_server.core.estimates`).
    """
    emergency = bool(category and category.emergency)
    facts = fast(conn, sql.ISSUE_FACTS, {"service_id": service_id, "day": day}).one()
    waiting = int(facts.waiting)
    walk_in = category is None or emergency or category.weight <= 0
    if due_at is None and walk_in and not facts.appointments:
        ahead = int(facts.emergencies) if emergency else waiting
        per_ticket = float(facts.service_s) / max(1, int(facts.open_counters))
        return NewTicketPlace(waiting, ahead, round(ahead * per_ticket))
    place = estimate_place(
        conn,
        ctx.catalogue,
        service_id=service_id,
        day=day,
        target=policy.Candidate(
            NEW_TICKET_ID, now, weight=category.weight if category else 0.0, due_at=due_at
        ),
        now=now,
        max_streak=ctx.options.policy.max_consecutive_priority,
    )
    return NewTicketPlace(waiting, place.ahead, place.wait_s)


def _category(ctx: QueueContext, priority_code: str | None) -> CategoryInfo | None:
    """The priority category ``priority_code`` (none: no priority)."""
    if not priority_code:
        return None
    category = ctx.catalogue.categories.get(priority_code)
    if category is None:
        raise NotFound(_("Unknown priority category: {code}").format(code=priority_code))
    return category


def _insert_ticket(
    ctx: QueueContext,
    conn: Connection,
    service: ServiceInfo,
    category: CategoryInfo | None,
    day: date,
    now: datetime,
    origin: tuple[str, str, datetime | None],
    place: NewTicketPlace,
) -> TicketView:
    """Number the ticket and store it; returns it as issued. ``origin``: its channel,
    tracking code and (an appointment's) due time."""
    channel, track_code, due_at = origin
    numbering = ctx.options.numbering
    sequence = next_sequence(conn, service.id, day)
    number = format_number(
        service.prefix, sequence, width=numbering.width, first=numbering.first, last=numbering.last
    )
    if numbering.site:  # an outreach site: its code first, so numbers never collide
        number = f"{numbering.site}-{number}"
    emergency = bool(category and category.emergency)
    ticket_id = fast(
        conn,
        sql.INSERT_TICKET,
        {
            "service_id": service.id,
            "origin_service_id": service.id,
            "day": day,
            "seq": sequence,
            "number": number,
            "priority_id": category.id if category else None,
            "priority_weight": category.weight if category else 0.0,
            "emergency": emergency,
            "channel": channel,
            "status": TicketStatus.WAITING,
            "issued_at": now,
            "recall_count": 0,
            "transfer_count": 0,
            "track_code": track_code,
            "ahead_at_issue": place.ahead,
            "estimated_wait_s": place.wait_s,
            "due_at": due_at,
        },
    ).scalar_one()
    return TicketView(
        id=ticket_id,
        number=number,
        service=service.code,
        service_name=service.name,
        status=TicketStatus.WAITING,
        issued_at=now,
        priority=category.code if category else None,
        emergency=emergency,
        track_code=track_code,
        ahead=place.ahead,
        estimated_wait_s=place.wait_s,
        channel=channel,
    )
