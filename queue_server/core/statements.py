"""Prepared SQL statements of the hot paths, built once with bind parameters.

Building a SQLAlchemy statement costs more than running it on SQLite; keeping the
statements here makes issuing and calling several times faster.
"""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    Integer,
    any_,
    bindparam,
    extract,
    func,
    or_,
    select,
    type_coerce,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql.elements import BindParameter, Grouping
from sqlalchemy.sql.visitors import replacement_traverse

from queue_server.core.models import (
    Counter,
    CounterService,
    CounterStatus,
    Service,
    Ticket,
    TicketEvent,
    TicketStatus,
    UTCDateTime,
)
from queue_server.core.waiting_counts import WaitingCount

NOW = bindparam("now", type_=UTCDateTime())

TICKET_COLUMNS = (
    Ticket.id,
    Ticket.number,
    Ticket.service_id,
    Ticket.status,
    Ticket.issued_at,
    Ticket.priority_id,
    Ticket.emergency,
    Ticket.counter_id,
    Ticket.called_at,
    Ticket.recall_count,
    Ticket.track_code,
    Ticket.ahead_at_issue,
    Ticket.estimated_wait_s,
    Ticket.channel,
    Ticket.day,
    Ticket.serving_at,
    Ticket.due_at,
)

TICKET_BY_ID = select(*TICKET_COLUMNS).where(Ticket.id == bindparam("ticket_id"))

INSERT_TICKET = Ticket.__table__.insert().returning(Ticket.id)

INSERT_EVENT = TicketEvent.__table__.insert()
_EVENT_KEYS = (
    "ticket_id",
    "at",
    "action",
    "from_status",
    "to_status",
    "counter_id",
    "service_id",
    "actor",
    "detail",
)


@functools.lru_cache(maxsize=16)
def insert_events(count: int) -> Any:
    """INSERT_EVENT for ``count`` rows in one statement (PostgreSQL: one round trip
    and no pipeline, where ``executemany`` sends one per row): the parameters of row
    ``i`` are ``<column>_<i>``."""
    columns = TicketEvent.__table__.c
    rows = [
        {key: bindparam(f"{key}_{i}", type_=columns[key].type) for key in _EVENT_KEYS}
        for i in range(count)
    ]
    return TicketEvent.__table__.insert().values(rows)


# Tickets waiting for a service on a day, and the emergencies among them: one row of
# ``waiting_counts`` (kept by triggers, ``core/waiting_counts.py``), not a count of the
# queue, so issuing and ``queue_changed`` cost the same however many wait.
_WAITING_ROW = (
    WaitingCount.service_id == bindparam("service_id"),
    WaitingCount.day == bindparam("day"),
)
_WAITING = func.coalesce(select(WaitingCount.waiting).where(*_WAITING_ROW).scalar_subquery(), 0)
_EMERGENCIES = func.coalesce(
    select(WaitingCount.emergencies).where(*_WAITING_ROW).scalar_subquery(), 0
)
WAITING_IN_SERVICE = select(_WAITING)

SERVICE_TIME = select(func.coalesce(Service.avg_service_s, Service.default_service_s)).where(
    Service.id == bindparam("service_id")
)

OPEN_COUNTERS_FOR_SERVICE = (
    select(func.count())
    .select_from(CounterService)
    .join(Counter, Counter.id == CounterService.counter_id)
    .where(
        CounterService.service_id == bindparam("service_id"),
        Counter.status == CounterStatus.OPEN,
        Counter.active.is_(True),
    )
)

# Whether an appointment's ticket waits for the service (read on the partial index
# ix_tickets_appointments: nothing to read on a day without appointments).
APPOINTMENT_WAITS = (
    select(Ticket.id)
    .where(
        Ticket.status == TicketStatus.WAITING,
        Ticket.day == bindparam("day"),
        Ticket.service_id == bindparam("service_id"),
        Ticket.due_at.is_not(None),
    )
    .exists()
)

# What issuing needs to know, in one round trip: people waiting, emergencies waiting,
# the service's average service time, how many open counters serve it, and whether an
# appointment's ticket waits (then the policy, not the count, says who is ahead).
ISSUE_FACTS = select(
    _WAITING.label("waiting"),
    _EMERGENCIES.label("emergencies"),
    SERVICE_TIME.scalar_subquery().label("service_s"),
    OPEN_COUNTERS_FOR_SERVICE.scalar_subquery().label("open_counters"),
    APPOINTMENT_WAITS.label("appointments"),
)

COUNTER_STATE = select(Counter.current_ticket_id, Counter.priority_streak, Counter.status).where(
    Counter.id == bindparam("counter_id")
)

COUNTER_STATE_FOR_UPDATE = COUNTER_STATE.with_for_update()

CLOSE_CURRENT = (
    update(Ticket)
    .where(
        Ticket.id == bindparam("ticket_id"),
        or_(Ticket.status == TicketStatus.CALLED, Ticket.status == TicketStatus.SERVING),
    )
    .values(status=bindparam("to_status"), finished_at=NOW)
    .returning(*TICKET_COLUMNS)
)

LEARN_SERVICE_TIME = (
    update(Service)
    .where(Service.id == bindparam("service_id"))
    .values(
        avg_service_s=func.coalesce(Service.avg_service_s, Service.default_service_s)
        * bindparam("keep", type_=Service.avg_service_s.type)
        + bindparam("add", type_=Service.avg_service_s.type)
    )
)


CANDIDATE_COLUMNS = (
    Ticket.id,
    Ticket.issued_at,
    Ticket.priority_id,
    Ticket.emergency,
    Ticket.service_id,
    Ticket.due_at,
    Ticket.estimated_wait_s,
)

_FOR_THIS_COUNTER = or_(
    Ticket.target_counter_id.is_(None), Ticket.target_counter_id == bindparam("counter_id")
)


def _oldest_of_group(service_id: int, priority_id: int | None) -> Any:
    """The oldest waiting walk-in tickets of one (service, category) group, by the queue
    index (appointment tickets are read by their slot, below)."""
    category = (
        Ticket.priority_id.is_(None) if priority_id is None else (Ticket.priority_id == priority_id)
    )
    return (
        select(*CANDIDATE_COLUMNS)
        .where(
            Ticket.status == TicketStatus.WAITING,
            Ticket.day == bindparam("day"),
            Ticket.service_id == service_id,
            category,
            Ticket.due_at.is_(None),
            _FOR_THIS_COUNTER,
        )
        # priority_id first, as in the index: PostgreSQL does not take "IS NULL" as an
        # equality for the order, and without it read and sorted the whole normal group.
        .order_by(Ticket.priority_id, Ticket.issued_at, Ticket.id)
        .limit(bindparam("per_group"))
        .subquery()
        .select()
    )


def _earliest_appointments(service_id: int) -> Any:
    """The waiting appointment tickets of one service with the earliest slots."""
    return (
        select(*CANDIDATE_COLUMNS)
        .where(
            Ticket.status == TicketStatus.WAITING,
            Ticket.day == bindparam("day"),
            Ticket.service_id == service_id,
            Ticket.due_at.is_not(None),
            _FOR_THIS_COUNTER,
        )
        .order_by(Ticket.due_at, Ticket.issued_at, Ticket.id)
        .limit(bindparam("per_group"))
        .subquery()
        .select()
    )


@functools.lru_cache(maxsize=256)
def candidates(service_ids: tuple[int, ...], priority_ids: tuple[int, ...]) -> Any:
    """The oldest few tickets of each (service, category) group a counter serves.

    Within a group the policy is first come first served, so the policy's best
    tickets are always among these, and reading them costs the same however long
    the queue is.
    """
    groups = [
        _oldest_of_group(service_id, priority_id)
        for service_id in service_ids
        for priority_id in (None, *priority_ids)
    ]
    groups += [_earliest_appointments(service_id) for service_id in service_ids]
    return union_all(*groups)


# What claiming a ticket for a counter sets (both claim statements below).
_CALLED = {
    "status": TicketStatus.CALLED,
    "counter_id": bindparam("counter_id"),
    "called_at": NOW,
    "first_called_at": func.coalesce(Ticket.first_called_at, NOW),  # a transfer keeps it
    "officer_id": bindparam("officer_id"),
    "target_counter_id": None,
}

_still_waiting = (
    select(Ticket.id)
    .where(Ticket.id == bindparam("ticket_id"), Ticket.status == TicketStatus.WAITING)
    .with_for_update(skip_locked=True)
    .scalar_subquery()
)

CLAIM = (
    update(Ticket).where(Ticket.id == _still_waiting).values(**_CALLED).returning(*TICKET_COLUMNS)
)

# PostgreSQL: claim the first still-waiting, unlocked ticket of a ranked list (``ranking``,
# an array: one SQL text, and one prepared statement, whatever its length) in one
# statement, so counters racing for the same tickets skip each other without retries.
_RANKING = bindparam("ranking", type_=ARRAY(Integer))
_first_free = (
    select(Ticket.id)
    .where(Ticket.id == any_(_RANKING), Ticket.status == TicketStatus.WAITING)
    .order_by(func.array_position(_RANKING, Ticket.id))
    .limit(1)
    .with_for_update(skip_locked=True)
    .scalar_subquery()
)

CLAIM_FIRST_FREE = (
    update(Ticket).where(Ticket.id == _first_free).values(**_CALLED).returning(*TICKET_COLUMNS)
)

SET_COUNTER_AFTER_CALL = (
    update(Counter)
    .where(Counter.id == bindparam("counter_id"))
    .values(
        current_ticket_id=bindparam("current"),
        priority_streak=bindparam("streak"),
        status=CounterStatus.OPEN,
        updated_at=NOW,
    )
)

REPRINTS_OF_TICKET = select(func.count()).where(
    TicketEvent.ticket_id == bindparam("ticket_id"), TicketEvent.action == "reprint"
)


# ---------------------------------------------------------------- PostgreSQL only
# Fewer round trips where PostgreSQL can do several changes in one statement
# (data-modifying CTEs, which all see the statement's snapshot).

_closed = CLOSE_CURRENT.cte("closed")
_served_s = extract("epoch", NOW - func.coalesce(_closed.c.serving_at, _closed.c.called_at))
_learned = (
    update(Service)
    .where(
        Service.id == _closed.c.service_id,
        bindparam("learn", type_=Boolean),
        _served_s > 0,
        _served_s <= bindparam("max_s", type_=Float),
    )
    .values(
        avg_service_s=func.coalesce(Service.avg_service_s, Service.default_service_s)
        * bindparam("keep", type_=Float)
        + _served_s * bindparam("alpha", type_=Float)
    )
    .cte("learned")
)

# Close a called or serving ticket and (``learn``) move its service's average service
# time toward this service's length, as CLOSE_CURRENT then LEARN_SERVICE_TIME do.
CLOSE_AND_LEARN = select(*_closed.c).add_cte(_learned)


_WAITING_DAY = bindparam("waiting_day", type_=Date)


def _waiting_in(service_id: Any) -> Any:
    """WAITING_IN_SERVICE for the service ``service_id`` (a column) on the day
    ``waiting_day``, as a scalar."""

    def swap(element: Any, **_kw: Any) -> Any:
        if isinstance(element, BindParameter) and element.key == "service_id":
            return service_id
        if isinstance(element, BindParameter) and element.key == "day":
            return _WAITING_DAY  # "day" would also set the column of an UPDATE's rows
        return None

    counted: Any = WAITING_IN_SERVICE
    return replacement_traverse(counted, {}, swap).scalar_subquery()


_claimed = CLAIM_FIRST_FREE.cte("claimed")
# The streak the counter would have after calling each ticket of ``ranking`` (in brackets:
# PostgreSQL takes no subscript right after a cast).
_STREAKS = type_coerce(Grouping(bindparam("streaks", type_=ARRAY(Integer))), ARRAY(Integer))
_seated = (
    update(Counter)
    .where(Counter.id == bindparam("counter_id"))
    .values(
        current_ticket_id=select(_claimed.c.id).scalar_subquery(),
        priority_streak=func.coalesce(
            select(_STREAKS[func.array_position(_RANKING, _claimed.c.id)]).scalar_subquery(),
            bindparam("streak"),
        ),
        status=CounterStatus.OPEN,
        updated_at=NOW,
    )
    .cte("seated")
)

# Claim the first free ticket of a ranked list (CLAIM_FIRST_FREE), make it the counter's
# current one with the priority streak ``streaks`` gives for it (SET_COUNTER_AFTER_CALL:
# no row, none free, and the counter is left with none), and count the tickets still
# waiting for its service. The count reads the statement's snapshot, taken before the
# claim: it still counts the claimed ticket, hence ``waiting - 1``.
CLAIM_AND_SEAT = select(
    *_claimed.c, (_waiting_in(_claimed.c.service_id) - 1).label("waiting")
).add_cte(_seated)
