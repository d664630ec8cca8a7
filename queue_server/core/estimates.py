"""Wait estimates: the people ahead of a ticket in the policy's own order, and the time.

People ahead are counted with :func:`queue_server.core.policy.calls_before` over the
tickets waiting for the same service, so a priority ticket is not told about the normal
tickets it will overtake, and a normal ticket counts the priority tickets that will
overtake it. The time is ``ahead × service time ÷ open counters serving the service``
(the learned average service time, else the configured default).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.engine import Row

from queue_server.core import estimate_sql, policy
from queue_server.core.catalogue import Catalogue
from queue_server.core.estimate_groups import PlaceQuestion, emergency_groups, place_by_groups
from queue_server.core.fastsql import execute as fast
from queue_server.core.models import Ticket, TicketStatus

NEW_TICKET_ID = sys.maxsize  # a ticket being issued: after every existing one on ties

WAITING_FOR_SERVICE = select(
    Ticket.id,
    Ticket.issued_at,
    Ticket.priority_id,
    Ticket.emergency,
    Ticket.due_at,
    Ticket.estimated_wait_s,
).where(
    Ticket.status == TicketStatus.WAITING,
    Ticket.service_id == bindparam("service_id"),
    Ticket.day == bindparam("day"),
)


@dataclass(frozen=True, slots=True)
class Estimate:
    """People the policy calls before a ticket, and the expected wait in seconds."""

    ahead: int
    wait_s: int


def estimate_place(
    conn: Connection,
    catalogue: Catalogue,
    *,
    service_id: int,
    day: date,
    target: policy.Candidate,
    now: datetime,
    max_streak: int,
) -> Estimate:
    """Where ``target`` stands among the waiting tickets of its service today.

    Read by groups (:mod:`queue_server.core.estimate_groups`: a few rows and counts,
    however long the queue); when an appointment waits, the whole queue is read
    (:func:`whole_queue_place`). Both give ``calls_before`` over every waiting ticket.
    """
    facts = fast(
        conn,
        estimate_sql.facts(emergency_groups(catalogue)),
        {"service_id": service_id, "day": day},
    ).one()
    per_call = float(facts.service_s) / max(1, int(facts.open_counters))
    question = PlaceQuestion(service_id, day, target, now, per_call, max_streak)
    ahead = place_by_groups(conn, catalogue, facts, question)
    if ahead is None:
        ahead = whole_queue_place(conn, catalogue, question)
    return Estimate(ahead, round(ahead * per_call))


def whole_queue_place(conn: Connection, catalogue: Catalogue, question: PlaceQuestion) -> int:
    """``calls_before`` over every waiting ticket of the service, read whole (the
    reference of :func:`~queue_server.core.estimate_groups.place_by_groups`)."""
    rows = fast(conn, WAITING_FOR_SERVICE, {"service_id": question.service_id, "day": question.day})
    waiting = [candidate_of(catalogue, row) for row in rows]
    return policy.calls_before(
        question.target,
        waiting,
        question.now,
        seconds_per_call=question.seconds_per_call,
        max_streak=question.max_streak,
    )


def candidate_of(catalogue: Catalogue, row: Row, service_rank: int = 0) -> policy.Candidate:
    """A waiting ticket's row as the policy sees it (with ``id``, ``issued_at``,
    ``priority_id``, ``emergency``, ``due_at``, ``estimated_wait_s``); a walk-in's
    promise is its issue time plus the estimate it was given."""
    promised = None
    if row.due_at is None and row.estimated_wait_s is not None:
        promised = row.issued_at + timedelta(seconds=row.estimated_wait_s)
    return policy.Candidate(
        ticket_id=row.id,
        issued_at=row.issued_at,
        weight=catalogue.category_by_id(row.priority_id).weight if row.priority_id else 0.0,
        emergency=row.emergency,
        service_rank=service_rank,
        due_at=row.due_at,
        promised_at=promised,
    )
