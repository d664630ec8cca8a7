"""Ticket operations. Each is one short transaction that returns domain events.

Device I/O never happens here: callers publish the returned events after commit.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, and_, func, or_, select, update
from sqlalchemy.engine import Row

from queue_server.core import policy
from queue_server.core.catalogue import Catalogue, CategoryInfo, CounterInfo, load_catalogue
from queue_server.core.clock import Clock, SystemClock, local_day
from queue_server.core.db import Database
from queue_server.core.errors import InvalidState, NotFound, Rejected
from queue_server.core.events import (
    CounterChanged,
    CounterView,
    DomainEvent,
    QueueChanged,
    TicketCalled,
    TicketChanged,
    TicketIssued,
    TicketView,
)
from queue_server.core.models import (
    ACTIVE_AT_COUNTER,
    Counter,
    CounterService,
    CounterStatus,
    Service,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from queue_server.core.numbering import format_number, next_sequence
from queue_server.i18n import _
from queue_server.settings import NumberingConfig, PolicyConfig

T = TypeVar("T")

SERVICE_TIME_SMOOTHING = 0.2  # weight of the newest service time in the moving average
MAX_COUNTED_SERVICE_S = 2 * 3600  # longer services are outliers (a forgotten "finish")
CLAIM_ATTEMPTS = 64


@dataclass(frozen=True, slots=True)
class Outcome(Generic[T]):
    """An operation's result plus the events to publish after commit."""

    value: T
    events: list[DomainEvent] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class QueueOptions:
    """The parts of the configuration the queue needs."""

    zone: ZoneInfo
    numbering: NumberingConfig = field(default_factory=NumberingConfig)
    policy: PolicyConfig = field(default_factory=PolicyConfig)


_TICKET_COLUMNS = (
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
)


class Queue:
    """The ticket queue of one center."""

    def __init__(self, db: Database, options: QueueOptions, clock: Clock | None = None) -> None:
        self.db = db
        self.options = options
        self.clock = clock or SystemClock()
        self._catalogue_lock = threading.Lock()
        self._catalogue: Catalogue | None = None

    # ----------------------------------------------------------------- catalogue
    @property
    def catalogue(self) -> Catalogue:
        """Services, counters and categories (cached; see :meth:`reload`)."""
        with self._catalogue_lock:
            if self._catalogue is None:
                with self.db.read() as conn:
                    self._catalogue = load_catalogue(conn)
            return self._catalogue

    def reload(self) -> None:
        """Forget the cached catalogue after services or counters changed."""
        with self._catalogue_lock:
            self._catalogue = None

    def today(self) -> date:
        return local_day(self.clock.now(), self.options.zone)

    # ------------------------------------------------------------------ issuing
    def issue(
        self,
        service_code: str,
        priority_code: str | None = None,
        *,
        channel: str = "kiosk",
        actor: str | None = None,
    ) -> Outcome[TicketView]:
        """Give a new ticket for ``service_code``, optionally with a priority category."""
        catalogue = self.catalogue
        service = catalogue.services.get(service_code)
        if service is None:
            raise NotFound(_("Unknown service: {code}").format(code=service_code))
        category: CategoryInfo | None = None
        if priority_code:
            category = catalogue.categories.get(priority_code)
            if category is None:
                raise NotFound(_("Unknown priority category: {code}").format(code=priority_code))
        now = self.clock.now()
        day = local_day(now, self.options.zone)
        numbering = self.options.numbering
        with self.db.write() as conn:
            sequence = next_sequence(conn, service.id, day)
            number = format_number(
                service.prefix,
                sequence,
                width=numbering.width,
                first=numbering.first,
                last=numbering.last,
            )
            ahead = self._count_ahead(
                conn, service.id, day, emergency=bool(category and category.emergency)
            )
            estimate = self._estimate_wait(conn, service.id, ahead)
            ticket_id = conn.execute(
                Ticket.__table__.insert()
                .values(
                    service_id=service.id,
                    origin_service_id=service.id,
                    day=day,
                    seq=sequence,
                    number=number,
                    priority_id=category.id if category else None,
                    priority_weight=category.weight if category else 0.0,
                    emergency=bool(category and category.emergency),
                    channel=channel,
                    status=TicketStatus.WAITING,
                    issued_at=now,
                    recall_count=0,
                    transfer_count=0,
                    track_code=secrets.token_urlsafe(9),
                    ahead_at_issue=ahead,
                    estimated_wait_s=estimate,
                )
                .returning(Ticket.id)
            ).scalar_one()
            self._log(
                conn,
                ticket_id,
                now,
                "issue",
                None,
                TicketStatus.WAITING,
                None,
                service.id,
                actor,
                {"channel": channel},
            )
            ticket = self._ticket_view(conn, ticket_id, ahead=ahead)
            waiting = self._waiting_count(conn, service.id, day)
        return Outcome(
            ticket,
            [
                TicketIssued(ticket=ticket, at=now),
                QueueChanged(service=service.code, waiting=waiting, at=now),
            ],
        )

    # ------------------------------------------------------------------ calling
    def call_next(
        self, counter_number: int, *, actor: str | None = None, officer_id: int | None = None
    ) -> Outcome[TicketView | None]:
        """Finish the counter's current ticket and call the next one by the policy."""
        counter = self._counter(counter_number)
        now = self.clock.now()
        day = local_day(now, self.options.zone)
        events: list[DomainEvent] = []
        with self.db.write() as conn:
            state = self._lock_counter(conn, counter)
            touched = self._finish_current(conn, counter, state, now, actor, events)
            candidates = self._candidates(conn, counter, day)
            ranked = policy.order(
                candidates,
                now,
                streak=state.priority_streak,
                max_streak=self.options.policy.max_consecutive_priority,
            )
            claimed: policy.Candidate | None = None
            for candidate in ranked[:CLAIM_ATTEMPTS]:
                if self._claim(conn, candidate.ticket_id, counter, now, officer_id):
                    claimed = candidate
                    break
            streak = state.priority_streak
            if claimed is not None:
                normal_waiting = any(
                    not c.is_priority and not c.emergency for c in candidates if c is not claimed
                )
                streak = policy.next_streak(claimed, streak=streak, normal_waiting=normal_waiting)
            conn.execute(
                update(Counter)
                .where(Counter.id == counter.id)
                .values(
                    current_ticket_id=claimed.ticket_id if claimed else None,
                    priority_streak=streak,
                    status=CounterStatus.OPEN,
                    updated_at=now,
                )
            )
            ticket: TicketView | None = None
            if claimed is not None:
                self._log(
                    conn,
                    claimed.ticket_id,
                    now,
                    "call",
                    TicketStatus.WAITING,
                    TicketStatus.CALLED,
                    counter.id,
                    None,
                    actor,
                    None,
                )
                ticket = self._ticket_view(conn, claimed.ticket_id)
                touched.add(self.catalogue.services[ticket.service].id)
                events.append(
                    TicketCalled(
                        ticket=ticket, counter=counter.number, counter_name=counter.name, at=now
                    )
                )
            events.extend(self._queue_events(conn, touched, day, now))
            events.append(CounterChanged(counter=self._counter_view(conn, counter), at=now))
        return Outcome(ticket, events)

    def call_ticket(
        self,
        counter_number: int,
        ticket_id: int,
        *,
        actor: str | None = None,
        officer_id: int | None = None,
    ) -> Outcome[TicketView]:
        """Call a specific waiting (or earlier no-show) ticket of today to the counter."""
        counter = self._counter(counter_number)
        now = self.clock.now()
        day = local_day(now, self.options.zone)
        events: list[DomainEvent] = []
        with self.db.write() as conn:
            state = self._lock_counter(conn, counter)
            row = self._ticket_row(conn, ticket_id)
            if row.status not in (TicketStatus.WAITING, TicketStatus.NO_SHOW) or row.day != day:
                raise InvalidState(
                    _("Ticket {number} cannot be called now (status: {status}).").format(
                        number=row.number, status=_status_label(row.status)
                    )
                )
            touched = self._finish_current(conn, counter, state, now, actor, events)
            claimed = conn.execute(
                update(Ticket)
                .where(Ticket.id == ticket_id, Ticket.status == row.status)
                .values(
                    status=TicketStatus.CALLED,
                    counter_id=counter.id,
                    called_at=now,
                    first_called_at=func.coalesce(Ticket.first_called_at, now),
                    officer_id=officer_id,
                    target_counter_id=None,
                )
            ).rowcount
            if claimed != 1:
                raise InvalidState(
                    _("Ticket {number} was just taken by another counter.").format(
                        number=row.number
                    )
                )
            conn.execute(
                update(Counter)
                .where(Counter.id == counter.id)
                .values(current_ticket_id=ticket_id, status=CounterStatus.OPEN, updated_at=now)
            )
            self._log(
                conn,
                ticket_id,
                now,
                "call",
                row.status,
                TicketStatus.CALLED,
                counter.id,
                None,
                actor,
                {"specific": True},
            )
            ticket = self._ticket_view(conn, ticket_id)
            touched.add(row.service_id)
            events.append(
                TicketCalled(
                    ticket=ticket, counter=counter.number, counter_name=counter.name, at=now
                )
            )
            events.extend(self._queue_events(conn, touched, day, now))
            events.append(CounterChanged(counter=self._counter_view(conn, counter), at=now))
        return Outcome(ticket, events)

    def recall(self, counter_number: int, *, actor: str | None = None) -> Outcome[TicketView]:
        """Call the counter's current ticket again (announce and show it once more)."""
        counter = self._counter(counter_number)
        now = self.clock.now()
        with self.db.write() as conn:
            state = self._lock_counter(conn, counter)
            row = self._current_row(conn, counter, state)
            conn.execute(
                update(Ticket)
                .where(Ticket.id == row.id)
                .values(recall_count=Ticket.recall_count + 1, called_at=now)
            )
            self._log(
                conn, row.id, now, "recall", row.status, row.status, counter.id, None, actor, None
            )
            ticket = self._ticket_view(conn, row.id)
        return Outcome(
            ticket,
            [
                TicketCalled(
                    ticket=ticket,
                    counter=counter.number,
                    counter_name=counter.name,
                    recall=True,
                    at=now,
                )
            ],
        )

    # --------------------------------------------------------------- at the counter
    def start_serving(
        self, counter_number: int, *, actor: str | None = None
    ) -> Outcome[TicketView]:
        """The citizen has arrived at the counter: called → serving."""
        return self._change_current(counter_number, "serve", TicketStatus.SERVING, actor, keep=True)

    def finish(self, counter_number: int, *, actor: str | None = None) -> Outcome[TicketView]:
        """The citizen was served: the current ticket is done."""
        return self._change_current(counter_number, "finish", TicketStatus.DONE, actor)

    def no_show(self, counter_number: int, *, actor: str | None = None) -> Outcome[TicketView]:
        """The called citizen did not come."""
        return self._change_current(counter_number, "no_show", TicketStatus.NO_SHOW, actor)

    def transfer(
        self,
        counter_number: int,
        service_code: str,
        *,
        to_counter: int | None = None,
        actor: str | None = None,
    ) -> Outcome[TicketView]:
        """Send the current ticket to another service (optionally one counter).

        It keeps its number and its original place in time (issue time).
        """
        counter = self._counter(counter_number)
        service = self.catalogue.services.get(service_code)
        if service is None:
            raise NotFound(_("Unknown service: {code}").format(code=service_code))
        target: CounterInfo | None = None
        if to_counter is not None:
            target = self._counter(to_counter)
        now = self.clock.now()
        day = local_day(now, self.options.zone)
        with self.db.write() as conn:
            state = self._lock_counter(conn, counter)
            row = self._current_row(conn, counter, state)
            conn.execute(
                update(Ticket)
                .where(Ticket.id == row.id)
                .values(
                    status=TicketStatus.WAITING,
                    service_id=service.id,
                    counter_id=None,
                    target_counter_id=target.id if target else None,
                    transfer_count=Ticket.transfer_count + 1,
                )
            )
            conn.execute(
                update(Counter)
                .where(Counter.id == counter.id)
                .values(current_ticket_id=None, updated_at=now)
            )
            detail = {
                "from_service": self.catalogue.service_by_id(row.service_id).code,
                "to_service": service.code,
            }
            if target:
                detail["to_counter"] = target.number
            self._log(
                conn,
                row.id,
                now,
                "transfer",
                row.status,
                TicketStatus.WAITING,
                counter.id,
                service.id,
                actor,
                detail,
            )
            ticket = self._ticket_view(conn, row.id)
            events: list[DomainEvent] = [TicketChanged(ticket=ticket, action="transferred", at=now)]
            events.extend(self._queue_events(conn, {service.id, row.service_id}, day, now))
            events.append(CounterChanged(counter=self._counter_view(conn, counter), at=now))
        return Outcome(ticket, events)

    def cancel(self, ticket_id: int, *, actor: str | None = None) -> Outcome[TicketView]:
        """Cancel a waiting ticket (the citizen left, or it was issued by mistake)."""
        now = self.clock.now()
        day = local_day(now, self.options.zone)
        with self.db.write() as conn:
            row = self._ticket_row(conn, ticket_id)
            if row.status != TicketStatus.WAITING:
                raise InvalidState(
                    _("Only a waiting ticket can be cancelled (status: {status}).").format(
                        status=_status_label(row.status)
                    )
                )
            conn.execute(
                update(Ticket)
                .where(Ticket.id == ticket_id)
                .values(status=TicketStatus.CANCELLED, finished_at=now)
            )
            self._log(
                conn,
                ticket_id,
                now,
                "cancel",
                row.status,
                TicketStatus.CANCELLED,
                None,
                row.service_id,
                actor,
                None,
            )
            ticket = self._ticket_view(conn, ticket_id)
            events: list[DomainEvent] = [TicketChanged(ticket=ticket, action="cancelled", at=now)]
            events.extend(self._queue_events(conn, {row.service_id}, day, now))
        return Outcome(ticket, events)

    def pause(self, counter_number: int, *, actor: str | None = None) -> Outcome[CounterView]:
        """Stop calling at this counter for a while (its current ticket stays)."""
        return self._set_counter_status(counter_number, CounterStatus.PAUSED)

    def resume(self, counter_number: int, *, actor: str | None = None) -> Outcome[CounterView]:
        """Take calls again."""
        return self._set_counter_status(counter_number, CounterStatus.OPEN)

    def close_day(self, *, actor: str | None = "system") -> Outcome[int]:
        """Cancel tickets left over from earlier days; returns how many."""
        now = self.clock.now()
        day = local_day(now, self.options.zone)
        events: list[DomainEvent] = []
        with self.db.write() as conn:
            stale = conn.execute(
                select(Ticket.id, Ticket.status, Ticket.service_id).where(
                    Ticket.day < day,
                    Ticket.status.in_(
                        [TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING]
                    ),
                )
            ).all()
            for row in stale:
                to_status = (
                    TicketStatus.CANCELLED
                    if row.status == TicketStatus.WAITING
                    else TicketStatus.DONE
                )
                conn.execute(
                    update(Ticket)
                    .where(Ticket.id == row.id)
                    .values(status=to_status, finished_at=now)
                )
                self._log(
                    conn,
                    row.id,
                    now,
                    "expire",
                    row.status,
                    to_status,
                    None,
                    row.service_id,
                    actor,
                    None,
                )
            if stale:
                stale_ids = [row.id for row in stale]
                changed = (
                    conn.execute(select(Counter.id).where(Counter.current_ticket_id.in_(stale_ids)))
                    .scalars()
                    .all()
                )
                conn.execute(
                    update(Counter)
                    .where(Counter.id.in_(changed))
                    .values(current_ticket_id=None, updated_at=now)
                )
                for counter in self.catalogue.counters.values():
                    if counter.id in changed:
                        events.append(
                            CounterChanged(counter=self._counter_view(conn, counter), at=now)
                        )
        return Outcome(len(stale), events)

    # ------------------------------------------------------------------- reading
    def ticket(self, ticket_id: int) -> TicketView:
        """One ticket, with the people ahead of it now if it still waits."""
        with self.db.read() as conn:
            row = self._ticket_row(conn, ticket_id)
            return self._view_from_row(conn, row, ahead=self._live_ahead(conn, row))

    def ticket_by_track_code(self, track_code: str) -> TicketView:
        """The ticket with this public tracking code."""
        with self.db.read() as conn:
            ticket_id = conn.execute(
                select(Ticket.id).where(Ticket.track_code == track_code)
            ).scalar()
            if ticket_id is None:
                raise NotFound(_("No ticket has this tracking code."))
            row = self._ticket_row(conn, ticket_id)
            return self._view_from_row(conn, row, ahead=self._live_ahead(conn, row))

    def counter(self, counter_number: int) -> CounterView:
        counter = self._counter(counter_number)
        with self.db.read() as conn:
            return self._counter_view(conn, counter)

    def waiting_for_counter(self, counter_number: int) -> list[TicketView]:
        """The tickets this counter would call, in policy order."""
        counter = self._counter(counter_number)
        now = self.clock.now()
        day = local_day(now, self.options.zone)
        with self.db.read() as conn:
            streak = conn.execute(
                select(Counter.priority_streak).where(Counter.id == counter.id)
            ).scalar_one()
            ranked = policy.order(
                self._candidates(conn, counter, day),
                now,
                streak=streak,
                max_streak=self.options.policy.max_consecutive_priority,
            )
            rows = {
                row.id: row
                for row in conn.execute(
                    select(*_TICKET_COLUMNS).where(Ticket.id.in_([c.ticket_id for c in ranked]))
                )
            }
            return [
                self._view_from_row(conn, rows[c.ticket_id], ahead=i) for i, c in enumerate(ranked)
            ]

    def snapshot(self, recent: int = 6) -> dict[str, Any]:
        """Everything a screen needs to draw itself from scratch."""
        now = self.clock.now()
        day = local_day(now, self.options.zone)
        catalogue = self.catalogue
        with self.db.read() as conn:
            waiting = dict(
                conn.execute(
                    select(Ticket.service_id, func.count())
                    .where(Ticket.status == TicketStatus.WAITING, Ticket.day == day)
                    .group_by(Ticket.service_id)
                ).all()
            )
            services = [
                {
                    "code": s.code,
                    "prefix": s.prefix,
                    "name": s.name,
                    "labels": s.labels,
                    "icon": s.icon,
                    "helpdesk": s.helpdesk,
                    "waiting": int(waiting.get(s.id, 0)),
                }
                for s in catalogue.services.values()
            ]
            counters = [self._counter_view(conn, c).to_dict() for c in catalogue.counters.values()]
            recent_calls = self._recent_calls(conn, day, recent)
        return {
            "day": day.isoformat(),
            "at": now.isoformat(),
            "services": services,
            "counters": counters,
            "recent_calls": recent_calls,
        }

    # ------------------------------------------------------------------ helpers
    def _counter(self, number: int) -> CounterInfo:
        counter = self.catalogue.counters.get(number)
        if counter is None:
            raise NotFound(_("Unknown counter: {number}").format(number=number))
        return counter

    def _lock_counter(self, conn: Connection, counter: CounterInfo) -> Row[Any]:
        statement = select(
            Counter.current_ticket_id, Counter.priority_streak, Counter.status
        ).where(Counter.id == counter.id)
        return conn.execute(statement.with_for_update()).one()

    def _ticket_row(self, conn: Connection, ticket_id: int) -> Row[Any]:
        row = conn.execute(select(*_TICKET_COLUMNS).where(Ticket.id == ticket_id)).one_or_none()
        if row is None:
            raise NotFound(_("Unknown ticket: {id}").format(id=ticket_id))
        return row

    def _current_row(self, conn: Connection, counter: CounterInfo, state: Row[Any]) -> Row[Any]:
        if state.current_ticket_id is None:
            raise InvalidState(
                _("Counter {number} is not serving anyone.").format(number=counter.number)
            )
        row = self._ticket_row(conn, state.current_ticket_id)
        if row.status not in ACTIVE_AT_COUNTER:
            raise InvalidState(
                _("Counter {number} is not serving anyone.").format(number=counter.number)
            )
        return row

    def _finish_current(
        self,
        conn: Connection,
        counter: CounterInfo,
        state: Row[Any],
        now: datetime,
        actor: str | None,
        events: list[DomainEvent],
    ) -> set[int]:
        """Mark the counter's current ticket done (part of calling someone new)."""
        if state.current_ticket_id is None:
            return set()
        row = self._ticket_row(conn, state.current_ticket_id)
        if row.status not in ACTIVE_AT_COUNTER:
            return set()
        self._close_ticket(conn, row, counter, TicketStatus.DONE, "finish", now, actor)
        events.append(
            TicketChanged(ticket=self._ticket_view(conn, row.id), action="finish", at=now)
        )
        return set()

    def _close_ticket(
        self,
        conn: Connection,
        row: Row[Any],
        counter: CounterInfo,
        to_status: TicketStatus,
        action: str,
        now: datetime,
        actor: str | None,
    ) -> None:
        conn.execute(
            update(Ticket).where(Ticket.id == row.id).values(status=to_status, finished_at=now)
        )
        self._log(
            conn,
            row.id,
            now,
            action,
            row.status,
            to_status,
            counter.id,
            row.service_id,
            actor,
            None,
        )
        if to_status == TicketStatus.DONE:
            started = row.serving_at or row.called_at
            if started is not None:
                self._learn_service_time(conn, row.service_id, (now - started).total_seconds())

    def _change_current(
        self,
        counter_number: int,
        action: str,
        to_status: TicketStatus,
        actor: str | None,
        *,
        keep: bool = False,
    ) -> Outcome[TicketView]:
        counter = self._counter(counter_number)
        now = self.clock.now()
        with self.db.write() as conn:
            state = self._lock_counter(conn, counter)
            row = self._current_row(conn, counter, state)
            if keep:
                if row.status != TicketStatus.CALLED:
                    raise InvalidState(_("The citizen is already being served."))
                conn.execute(
                    update(Ticket)
                    .where(Ticket.id == row.id)
                    .values(status=to_status, serving_at=now)
                )
                self._log(
                    conn, row.id, now, action, row.status, to_status, counter.id, None, actor, None
                )
            else:
                if to_status == TicketStatus.NO_SHOW and row.status != TicketStatus.CALLED:
                    raise InvalidState(_("The citizen is already being served."))
                self._close_ticket(conn, row, counter, to_status, action, now, actor)
                conn.execute(
                    update(Counter)
                    .where(Counter.id == counter.id)
                    .values(current_ticket_id=None, updated_at=now)
                )
            ticket = self._ticket_view(conn, row.id)
            events: list[DomainEvent] = [TicketChanged(ticket=ticket, action=action, at=now)]
            events.append(CounterChanged(counter=self._counter_view(conn, counter), at=now))
        return Outcome(ticket, events)

    def _set_counter_status(
        self, counter_number: int, status: CounterStatus
    ) -> Outcome[CounterView]:
        counter = self._counter(counter_number)
        now = self.clock.now()
        with self.db.write() as conn:
            self._lock_counter(conn, counter)
            conn.execute(
                update(Counter)
                .where(Counter.id == counter.id)
                .values(status=status, updated_at=now)
            )
            view = self._counter_view(conn, counter)
        return Outcome(view, [CounterChanged(counter=view, at=now)])

    def _claim(
        self,
        conn: Connection,
        ticket_id: int,
        counter: CounterInfo,
        now: datetime,
        officer_id: int | None,
    ) -> bool:
        """Atomically take a waiting ticket; False if another counter got it first."""
        still_waiting = (
            select(Ticket.id)
            .where(Ticket.id == ticket_id, Ticket.status == TicketStatus.WAITING)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        result = conn.execute(
            update(Ticket)
            .where(Ticket.id == still_waiting)
            .values(
                status=TicketStatus.CALLED,
                counter_id=counter.id,
                called_at=now,
                first_called_at=now,
                officer_id=officer_id,
                target_counter_id=None,
            )
            .returning(Ticket.id)
        ).scalar()
        return result is not None

    def _candidates(
        self, conn: Connection, counter: CounterInfo, day: date
    ) -> list[policy.Candidate]:
        if not counter.service_ids:
            return []
        ranks = {service_id: rank for rank, service_id in enumerate(counter.service_ids)}
        rows = conn.execute(
            select(
                Ticket.id,
                Ticket.issued_at,
                Ticket.priority_weight,
                Ticket.emergency,
                Ticket.service_id,
            ).where(
                Ticket.status == TicketStatus.WAITING,
                Ticket.service_id.in_(counter.service_ids),
                Ticket.day == day,
                or_(Ticket.target_counter_id.is_(None), Ticket.target_counter_id == counter.id),
            )
        )
        return [
            policy.Candidate(
                ticket_id=row.id,
                issued_at=row.issued_at,
                weight=row.priority_weight,
                emergency=row.emergency,
                service_rank=ranks[row.service_id],
            )
            for row in rows
        ]

    def _count_ahead(self, conn: Connection, service_id: int, day: date, *, emergency: bool) -> int:
        conditions = [
            Ticket.status == TicketStatus.WAITING,
            Ticket.service_id == service_id,
            Ticket.day == day,
        ]
        if emergency:
            conditions.append(Ticket.emergency.is_(True))
        return int(conn.execute(select(func.count()).where(*conditions)).scalar_one())

    def _live_ahead(self, conn: Connection, row: Row[Any]) -> int:
        if row.status != TicketStatus.WAITING:
            return 0
        earlier = and_(
            Ticket.status == TicketStatus.WAITING,
            Ticket.service_id == row.service_id,
            Ticket.day == row.day,
            Ticket.id != row.id,
            or_(Ticket.issued_at < row.issued_at, Ticket.emergency.is_(True))
            if not row.emergency
            else and_(Ticket.emergency.is_(True), Ticket.issued_at < row.issued_at),
        )
        return int(conn.execute(select(func.count()).where(earlier)).scalar_one())

    def _estimate_wait(self, conn: Connection, service_id: int, ahead: int) -> int:
        average = conn.execute(
            select(func.coalesce(Service.avg_service_s, Service.default_service_s)).where(
                Service.id == service_id
            )
        ).scalar_one()
        open_counters = conn.execute(
            select(func.count())
            .select_from(CounterService)
            .join(Counter, Counter.id == CounterService.counter_id)
            .where(
                CounterService.service_id == service_id,
                Counter.status == CounterStatus.OPEN,
                Counter.active.is_(True),
            )
        ).scalar_one()
        return round(ahead * float(average) / max(1, int(open_counters)))

    def _learn_service_time(self, conn: Connection, service_id: int, seconds: float) -> None:
        if not 0 < seconds <= MAX_COUNTED_SERVICE_S:
            return
        alpha = SERVICE_TIME_SMOOTHING
        conn.execute(
            update(Service)
            .where(Service.id == service_id)
            .values(
                avg_service_s=func.coalesce(Service.avg_service_s, Service.default_service_s)
                * (1 - alpha)
                + seconds * alpha
            )
        )

    def _waiting_count(self, conn: Connection, service_id: int, day: date) -> int:
        return int(
            conn.execute(
                select(func.count()).where(
                    Ticket.status == TicketStatus.WAITING,
                    Ticket.service_id == service_id,
                    Ticket.day == day,
                )
            ).scalar_one()
        )

    def _queue_events(
        self, conn: Connection, service_ids: set[int], day: date, now: datetime
    ) -> list[DomainEvent]:
        return [
            QueueChanged(
                service=self.catalogue.service_by_id(sid).code,
                waiting=self._waiting_count(conn, sid, day),
                at=now,
            )
            for sid in sorted(service_ids)
        ]

    def _ticket_view(self, conn: Connection, ticket_id: int, *, ahead: int = 0) -> TicketView:
        return self._view_from_row(conn, self._ticket_row(conn, ticket_id), ahead=ahead)

    def _view_from_row(self, conn: Connection, row: Row[Any], *, ahead: int = 0) -> TicketView:
        catalogue = self.catalogue
        service = catalogue.service_by_id(row.service_id)
        counter = catalogue.counter_by_id(row.counter_id) if row.counter_id else None
        counter_number = counter.number if counter else None
        return TicketView(
            id=row.id,
            number=row.number,
            service=service.code,
            service_name=service.name,
            status=row.status,
            issued_at=row.issued_at,
            priority=catalogue.category_by_id(row.priority_id).code if row.priority_id else None,
            emergency=row.emergency,
            counter=counter_number,
            called_at=row.called_at,
            recall_count=row.recall_count,
            track_code=row.track_code,
            ahead=ahead,
            estimated_wait_s=row.estimated_wait_s,
            channel=row.channel,
        )

    def _counter_view(self, conn: Connection, counter: CounterInfo) -> CounterView:
        state = conn.execute(
            select(Counter.status, Counter.current_ticket_id).where(Counter.id == counter.id)
        ).one()
        current = None
        if state.current_ticket_id is not None:
            current = self._ticket_view(conn, state.current_ticket_id)
        codes = tuple(self.catalogue.service_by_id(sid).code for sid in counter.service_ids)
        return CounterView(
            number=counter.number,
            name=counter.name,
            status=state.status,
            current=current,
            services=codes,
        )

    def _recent_calls(self, conn: Connection, day: date, limit: int) -> list[dict[str, Any]]:
        rows = conn.execute(
            select(
                TicketEvent.at,
                TicketEvent.action,
                TicketEvent.counter_id,
                Ticket.id,
                Ticket.number,
                Ticket.service_id,
            )
            .join(Ticket, Ticket.id == TicketEvent.ticket_id)
            .where(TicketEvent.action.in_(["call", "recall"]), Ticket.day == day)
            .order_by(TicketEvent.id.desc())
            .limit(limit)
        ).all()
        calls = []
        for row in rows:
            counter = self.catalogue.counter_by_id(row.counter_id) if row.counter_id else None
            calls.append(
                {
                    "ticket_id": row.id,
                    "number": row.number,
                    "service": self.catalogue.service_by_id(row.service_id).code,
                    "counter": counter.number if counter else None,
                    "counter_name": counter.name if counter else None,
                    "recall": row.action == "recall",
                    "at": row.at.isoformat(),
                }
            )
        return calls

    @staticmethod
    def _log(
        conn: Connection,
        ticket_id: int,
        at: datetime,
        action: str,
        from_status: str | None,
        to_status: str,
        counter_id: int | None,
        service_id: int | None,
        actor: str | None,
        detail: dict[str, Any] | None,
    ) -> None:
        conn.execute(
            TicketEvent.__table__.insert().values(
                ticket_id=ticket_id,
                at=at,
                action=action,
                from_status=from_status,
                to_status=to_status,
                counter_id=counter_id,
                service_id=service_id,
                actor=actor,
                detail=detail,
            )
        )


def _status_label(status: str) -> str:
    labels = {
        TicketStatus.WAITING: _("waiting"),
        TicketStatus.CALLED: _("called"),
        TicketStatus.SERVING: _("being served"),
        TicketStatus.DONE: _("done"),
        TicketStatus.NO_SHOW: _("did not come"),
        TicketStatus.CANCELLED: _("cancelled"),
    }
    return labels.get(TicketStatus(status), status)


def status_label(status: str) -> str:
    """A ticket status in words, in the current language."""
    return _status_label(status)


__all__: Sequence[str] = ("Outcome", "Queue", "QueueOptions", "Rejected", "status_label")
