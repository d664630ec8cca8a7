"""The statements of :mod:`queue_server.core.estimate_groups`: a service's waiting
tickets read by (category) group through the queue index, never the whole queue.

Every statement takes ``service_id``, ``day`` and ``target_id`` (the ticket whose place
is estimated, left out of every group). A group is the waiting tickets of the service
with one ``priority_id`` (``None``: no category), in the index ``ix_tickets_queue``
(status, day, service_id, priority_id, issued_at, id), so the counts read that index
only. Statements are built once per set of categories.
"""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import bindparam, false, func, literal, or_, select, union_all

from queue_server.core import statements as sql
from queue_server.core.column_types import UTCDateTime
from queue_server.core.models import Ticket, TicketStatus

Group = int | None  # a priority category's id, None for tickets without one


def _in_group(priority_id: Group) -> list[Any]:
    """The waiting tickets of the service in one group, the target left out."""
    category = (
        Ticket.priority_id.is_(None) if priority_id is None else Ticket.priority_id == priority_id
    )
    return [
        Ticket.status == TicketStatus.WAITING,
        Ticket.day == bindparam("day"),
        Ticket.service_id == bindparam("service_id"),
        category,
        Ticket.id != bindparam("target_id"),
    ]


def _count(*where: Any) -> Any:
    return select(func.count()).select_from(Ticket).where(*where).scalar_subquery()


def _in_service(*where: Any) -> list[Any]:
    return [
        Ticket.status == TicketStatus.WAITING,
        Ticket.day == bindparam("day"),
        Ticket.service_id == bindparam("service_id"),
        *where,
    ]


@functools.lru_cache(maxsize=64)
def facts(emergency_groups: tuple[int, ...]) -> Any:
    """ISSUE_FACTS' columns (whether an appointment ticket waits: ``appointments``), and
    the tickets of the emergency categories (``in_emergency_groups``) and those of them
    marked emergency (``flagged``): with ``emergencies`` they tell whether the ticket
    column ``emergency`` and the categories agree."""
    # One equality per category, not IN: fastsql runs no expanding parameters.
    in_groups = or_(false(), *(Ticket.priority_id == i for i in emergency_groups))
    return select(
        *sql.ISSUE_FACTS.selected_columns,  # ``appointments`` included
        _count(*_in_service(in_groups)).label("in_emergency_groups"),
        _count(*_in_service(in_groups, Ticket.emergency.is_(True))).label("flagged"),
    )


HEAD_COLUMNS = (Ticket.id, Ticket.issued_at, Ticket.priority_id)


@functools.lru_cache(maxsize=64)
def heads(groups: tuple[Group, ...]) -> Any:
    """The first ``per_group`` tickets of each group, by (issued_at, id)."""
    return union_all(
        *(
            select(*HEAD_COLUMNS)
            .where(*_in_group(group), Ticket.due_at.is_(None))
            # priority_id first: PostgreSQL then follows the index's order after
            # ``IS NULL`` too, instead of sorting the whole group.
            .order_by(Ticket.priority_id, Ticket.issued_at, Ticket.id)
            .limit(bindparam("per_group"))
            .subquery()
            .select()
            for group in groups
        )
    )


def _bound(name: str, index: int) -> Any:
    return bindparam(f"{name}_{index}", type_=UTCDateTime())


@functools.lru_cache(maxsize=64)
def counts(groups: tuple[Group, ...]) -> Any:
    """For the i-th group: ``below_i``, its tickets issued before ``lo_i``, and
    ``near_i``, those issued from ``lo_i`` to ``hi_i``."""
    columns = []
    for index, group in enumerate(groups):
        lo, hi = _bound("lo", index), _bound("hi", index)
        columns.append(_count(*_in_group(group), Ticket.issued_at < lo).label(f"below_{index}"))
        columns.append(
            _count(*_in_group(group), Ticket.issued_at.between(lo, hi)).label(f"near_{index}")
        )
    return select(*columns)


@functools.lru_cache(maxsize=64)
def near(groups: tuple[Group, ...]) -> Any:
    """The tickets ``counts`` gives as ``near_i``, with their group's index ``g``."""
    return union_all(
        *(
            select(literal(index).label("g"), Ticket.id, Ticket.issued_at).where(
                *_in_group(group),
                Ticket.issued_at.between(_bound("lo", index), _bound("hi", index)),
            )
            for index, group in enumerate(groups)
        )
    )
