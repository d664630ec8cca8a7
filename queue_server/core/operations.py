"""Ticket operations. Each is one short transaction that returns domain events.

Device I/O never happens here: callers publish the returned events after commit.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, func, select, update
from sqlalchemy.engine import Row

from queue_server.core import policy
from queue_server.core import statements as sql
from queue_server.core.catalogue import Catalogue, CategoryInfo, CounterInfo, load_catalogue
from queue_server.core.clock import Clock, SystemClock, local_day
from queue_server.core.contacts import Contact, store_contact
from queue_server.core.db import Database
from queue_server.core.errors import InvalidState, NotAllowed, NotFound
from queue_server.core.estimates import NEW_TICKET_ID, Estimate, estimate_place
from queue_server.core.events import (
    CounterChanged,
    CounterView,
    DomainEvent,
    PrintRequested,
    QueueChanged,
    TicketCalled,
    TicketChanged,
    TicketIssued,
    TicketView,
)
from queue_server.core.fastsql import execute as fast
from queue_server.core.models import (
    ACTIVE_AT_COUNTER,
    Counter,
    CounterStatus,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from queue_server.core.numbering import format_number, next_sequence
from queue_server.core.options import NumberingConfig, PolicyConfig
from queue_server.i18n import _

T = TypeVar("T")

SERVICE_TIME_SMOOTHING = 0.2  # weight of the newest service time in the moving average
MAX_COUNTED_SERVICE_S = 2 * 3600  # longer services are outliers (a forgotten "finish")
CLAIM_PER_GROUP = 16  # oldest tickets per (service, category) group read per round
CLAIM_ROUNDS = 50  # rounds of reading candidates while other counters take them
LIST_PER_GROUP = 10_000  # the officer's waiting list shows every ticket


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
        """The center's current local day."""
        return local_day(self.clock.now(), self.options.zone)

    # ------------------------------------------------------------------ issuing
    def issue(
        self,
        service_code: str,
        priority_code: str | None = None,
        *,
        channel: str = "kiosk",
        actor: str | None = None,
        kiosk: str | None = None,
        contact: Contact | None = None,
    ) -> Outcome[TicketView]:
        """Give a new ticket for ``service_code``, optionally with a priority category.

        ``kiosk`` names the kiosk (and so the printer) the ticket is printed on;
        ``contact`` is a consented phone number, kept apart from the ticket.
        """
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
        emergency = bool(category and category.emergency)
        track_code = secrets.token_urlsafe(9)
        with self.db.write() as conn:
            waiting_before, ahead, estimate = self._place_of_new_ticket(
                conn, service.id, day, category, now
            )
            # Numbering last: on PostgreSQL the day's counter row stays locked until commit.
            sequence = next_sequence(conn, service.id, day)
            number = format_number(
                service.prefix,
                sequence,
                width=numbering.width,
                first=numbering.first,
                last=numbering.last,
            )
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
                    "ahead_at_issue": ahead,
                    "estimated_wait_s": estimate,
                },
            ).scalar_one()
            self._log(
                conn,
                ticket_id,
                now,
                "issue",
                None,
                TicketStatus.WAITING,
                service_id=service.id,
                actor=actor,
                detail={"channel": channel, "kiosk": kiosk} if kiosk else {"channel": channel},
            )
            if contact is not None:
                store_contact(conn, ticket_id, contact, now)
        ticket = TicketView(
            id=ticket_id,
            number=number,
            service=service.code,
            service_name=service.name,
            status=TicketStatus.WAITING,
            issued_at=now,
            priority=category.code if category else None,
            emergency=emergency,
            track_code=track_code,
            ahead=ahead,
            estimated_wait_s=estimate,
            channel=channel,
        )
        return Outcome(
            ticket,
            [
                TicketIssued(ticket=ticket, kiosk=kiosk, at=now),
                QueueChanged(service=service.code, waiting=waiting_before + 1, at=now),
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
        max_streak = self.options.policy.max_consecutive_priority
        events: list[DomainEvent] = []
        log: list[dict[str, Any]] = []
        with self.db.write() as conn:
            state = self._lock_counter(conn, counter)
            self._finish_current(conn, counter, state, now, actor, events, log)
            streak = state.priority_streak
            claimed: Row[Any] | None = None
            for _round in range(CLAIM_ROUNDS):
                candidates = self._candidates(conn, counter, day, per_group=CLAIM_PER_GROUP)
                if not candidates:
                    break
                ranked = policy.order(candidates, now, streak=streak, max_streak=max_streak)
                claimed = self._claim_first(conn, ranked, counter, now, officer_id)
                if claimed is not None:
                    chosen = next(c for c in ranked if c.ticket_id == claimed.id)
                    normal_waiting = any(
                        not c.is_priority and not c.emergency for c in candidates if c is not chosen
                    )
                    streak = policy.next_streak(
                        chosen, streak=streak, normal_waiting=normal_waiting
                    )
                if claimed is not None:
                    break
            fast(
                conn,
                sql.SET_COUNTER_AFTER_CALL,
                {
                    "counter_id": counter.id,
                    "current": claimed.id if claimed is not None else None,
                    "streak": streak,
                    "now": now,
                },
            )
            ticket: TicketView | None = None
            if claimed is not None:
                self._log(
                    conn,
                    claimed.id,
                    now,
                    "call",
                    TicketStatus.WAITING,
                    TicketStatus.CALLED,
                    counter_id=counter.id,
                    actor=actor,
                    batch=log,
                )
                ticket = self._view_from_row(claimed)
                events.append(
                    TicketCalled(
                        ticket=ticket, counter=counter.number, counter_name=counter.name, at=now
                    )
                )
                events.extend(self._queue_events(conn, {claimed.service_id}, day, now))
            if log:
                fast(conn, sql.INSERT_EVENT, log)
            view = self._make_counter_view(counter, CounterStatus.OPEN, ticket)
            events.append(CounterChanged(counter=view, at=now))
        return Outcome(ticket, events)

    def call_ticket(
        self,
        counter_number: int,
        ticket_id: int,
        *,
        actor: str | None = None,
        officer_id: int | None = None,
        only_served: bool = False,
    ) -> Outcome[TicketView]:
        """Call a specific waiting (or earlier no-show) ticket of today to the counter.

        ``only_served``: refuse a ticket of a service the counter does not serve (unless
        it was transferred to this very counter); officers call with it, admins without.
        """
        counter = self._counter(counter_number)
        now = self.clock.now()
        day = local_day(now, self.options.zone)
        events: list[DomainEvent] = []
        with self.db.write() as conn:
            state = self._lock_counter(conn, counter)
            row = self._ticket_row(conn, ticket_id)
            if only_served:
                self._check_served(conn, counter, row)
            if row.status not in (TicketStatus.WAITING, TicketStatus.NO_SHOW) or row.day != day:
                raise InvalidState(
                    _("Ticket {number} cannot be called now (status: {status}).").format(
                        number=row.number, status=status_label(row.status)
                    )
                )
            self._finish_current(conn, counter, state, now, actor, events)
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
                .returning(*sql.TICKET_COLUMNS)
            ).one_or_none()
            if claimed is None:
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
                counter_id=counter.id,
                actor=actor,
                detail={"specific": True},
            )
            ticket = self._view_from_row(claimed)
            events.append(
                TicketCalled(
                    ticket=ticket, counter=counter.number, counter_name=counter.name, at=now
                )
            )
            events.extend(self._queue_events(conn, {row.service_id}, day, now))
            view = self._make_counter_view(counter, CounterStatus.OPEN, ticket)
            events.append(CounterChanged(counter=view, at=now))
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
                conn,
                row.id,
                now,
                "recall",
                row.status,
                row.status,
                counter_id=counter.id,
                actor=actor,
            )
            ticket = self._ticket_view(conn, row.id)
        called = TicketCalled(
            ticket=ticket, counter=counter.number, counter_name=counter.name, recall=True, at=now
        )
        return Outcome(ticket, [called])

    # --------------------------------------------------------------- at the counter
    def start_serving(
        self, counter_number: int, *, actor: str | None = None
    ) -> Outcome[TicketView]:
        """The citizen has arrived at the counter: called → serving."""
        counter = self._counter(counter_number)
        now = self.clock.now()
        with self.db.write() as conn:
            state = self._lock_counter(conn, counter)
            row = self._current_row(conn, counter, state)
            if row.status != TicketStatus.CALLED:
                raise InvalidState(_("The citizen is already being served."))
            conn.execute(
                update(Ticket)
                .where(Ticket.id == row.id)
                .values(status=TicketStatus.SERVING, serving_at=now)
            )
            self._log(
                conn,
                row.id,
                now,
                "serve",
                row.status,
                TicketStatus.SERVING,
                counter_id=counter.id,
                actor=actor,
            )
            ticket = self._ticket_view(conn, row.id)
            view = self._make_counter_view(counter, state.status, ticket)
        return Outcome(
            ticket,
            [
                TicketChanged(ticket=ticket, action="serve", at=now),
                CounterChanged(counter=view, at=now),
            ],
        )

    def finish(self, counter_number: int, *, actor: str | None = None) -> Outcome[TicketView]:
        """The citizen was served: the current ticket is done."""
        return self._close_current(counter_number, "finish", TicketStatus.DONE, actor)

    def no_show(self, counter_number: int, *, actor: str | None = None) -> Outcome[TicketView]:
        """The called citizen did not come."""
        return self._close_current(counter_number, "no_show", TicketStatus.NO_SHOW, actor)

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
        target = self._counter(to_counter) if to_counter is not None else None
        if target is not None and service.id not in target.service_ids:
            raise NotAllowed(
                _("Counter {number} does not serve {service}: choose another counter.").format(
                    number=target.number, service=service.name
                )
            )
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
            detail: dict[str, Any] = {
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
                counter_id=counter.id,
                service_id=service.id,
                actor=actor,
                detail=detail,
            )
            ticket = self._ticket_view(conn, row.id)
            events: list[DomainEvent] = [TicketChanged(ticket=ticket, action="transferred", at=now)]
            events.extend(self._queue_events(conn, {service.id, row.service_id}, day, now))
            view = self._make_counter_view(counter, state.status, None)
            events.append(CounterChanged(counter=view, at=now))
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
                        status=status_label(row.status)
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
                service_id=row.service_id,
                actor=actor,
            )
            ticket = self._ticket_view(conn, ticket_id)
            events: list[DomainEvent] = [TicketChanged(ticket=ticket, action="cancelled", at=now)]
            events.extend(self._queue_events(conn, {row.service_id}, day, now))
        return Outcome(ticket, events)

    def reprint(self, ticket_id: int, kiosk: str, *, actor: str | None = None) -> Outcome[str]:
        """Ask for a ticket to be printed again on ``kiosk``'s printer; returns the job id."""
        now = self.clock.now()
        with self.db.write() as conn:
            row = self._ticket_row(conn, ticket_id)
            reprints = fast(conn, sql.REPRINTS_OF_TICKET, {"ticket_id": ticket_id}).scalar_one()
            job_id = f"{ticket_id}-r{int(reprints) + 1}"
            self._log(
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
            ticket = self._view_from_row(row)
        return Outcome(job_id, [PrintRequested(ticket=ticket, kiosk=kiosk, job_id=job_id, at=now)])

    def pause(self, counter_number: int, *, actor: str | None = None) -> Outcome[CounterView]:
        """Stop calling at this counter for a while (its current ticket stays)."""
        return self._set_counter_status(counter_number, CounterStatus.PAUSED)

    def resume(self, counter_number: int, *, actor: str | None = None) -> Outcome[CounterView]:
        """Take calls again."""
        return self._set_counter_status(counter_number, CounterStatus.OPEN)

    def close_day(self, *, actor: str | None = "system") -> Outcome[int]:
        """Close tickets left over from earlier days; returns how many.

        Waiting ones are cancelled; ones still at a counter are counted as done.
        """
        now = self.clock.now()
        day = local_day(now, self.options.zone)
        events: list[DomainEvent] = []
        open_statuses = [TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING]
        with self.db.write() as conn:
            stale = conn.execute(
                select(Ticket.id, Ticket.status, Ticket.service_id).where(
                    Ticket.day < day, Ticket.status.in_(open_statuses)
                )
            ).all()
            for row in stale:
                done = row.status != TicketStatus.WAITING
                to_status = TicketStatus.DONE if done else TicketStatus.CANCELLED
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
                    service_id=row.service_id,
                    actor=actor,
                )
            if stale:
                stale_ids = [row.id for row in stale]
                changed = set(
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
                        view = self._counter_view(conn, counter)
                        events.append(CounterChanged(counter=view, at=now))
        return Outcome(len(stale), events)

    # ------------------------------------------------------------------- reading
    def ticket(self, ticket_id: int) -> TicketView:
        """One ticket, with the people ahead of it now if it still waits."""
        with self.db.read() as conn:
            row = self._ticket_row(conn, ticket_id)
            return self._live_view(conn, row)

    def ticket_by_number(self, number: str) -> TicketView:
        """Today's ticket shown as ``number`` (e.g. "B012"); the latest if numbers wrapped."""
        day = self.today()
        with self.db.read() as conn:
            ticket_id = conn.execute(
                select(Ticket.id)
                .where(Ticket.day == day, Ticket.number == number.strip().upper())
                .order_by(Ticket.id.desc())
                .limit(1)
            ).scalar()
            if ticket_id is None:
                raise NotFound(_("No ticket {number} today.").format(number=number))
            row = self._ticket_row(conn, ticket_id)
            return self._live_view(conn, row)

    def ticket_by_track_code(self, track_code: str) -> TicketView:
        """The ticket with this public tracking code."""
        with self.db.read() as conn:
            ticket_id = conn.execute(
                select(Ticket.id).where(Ticket.track_code == track_code)
            ).scalar()
            if ticket_id is None:
                raise NotFound(_("No ticket has this tracking code."))
            row = self._ticket_row(conn, ticket_id)
            return self._live_view(conn, row)

    def counter(self, counter_number: int) -> CounterView:
        """A counter's state and current ticket."""
        counter = self._counter(counter_number)
        with self.db.read() as conn:
            return self._counter_view(conn, counter)

    def waiting_for_counter(self, counter_number: int) -> list[TicketView]:
        """The tickets this counter would call, in policy order."""
        counter = self._counter(counter_number)
        now = self.clock.now()
        day = local_day(now, self.options.zone)
        with self.db.read() as conn:
            streak = fast(conn, sql.COUNTER_STATE, {"counter_id": counter.id}).one().priority_streak
            candidates = self._candidates(conn, counter, day, per_group=LIST_PER_GROUP)
            ranked = policy.order(
                candidates,
                now,
                streak=streak,
                max_streak=self.options.policy.max_consecutive_priority,
            )
            ids = [c.ticket_id for c in ranked]
            rows = {
                row.id: row
                for row in conn.execute(select(*sql.TICKET_COLUMNS).where(Ticket.id.in_(ids)))
            }
        return [self._view_from_row(rows[tid], ahead=place) for place, tid in enumerate(ids)]

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

    def _check_served(self, conn: Connection, counter: CounterInfo, row: Row[Any]) -> None:
        """Refuse a ticket of a service ``counter`` does not serve (not sent to it)."""
        if row.service_id in counter.service_ids:
            return
        target = conn.execute(
            select(Ticket.target_counter_id).where(Ticket.id == row.id)
        ).scalar_one_or_none()
        if target == counter.id:
            return
        service = self.catalogue.service_by_id(row.service_id)
        raise NotAllowed(
            _(
                "Counter {number} does not serve {service}, so it cannot call ticket "
                "{ticket}: transfer the ticket or ask an administrator."
            ).format(number=counter.number, service=service.name, ticket=row.number)
        )

    def _lock_counter(self, conn: Connection, counter: CounterInfo) -> Row[Any]:
        return fast(conn, sql.COUNTER_STATE_FOR_UPDATE, {"counter_id": counter.id}).one()

    def _ticket_row(self, conn: Connection, ticket_id: int) -> Row[Any]:
        row = fast(conn, sql.TICKET_BY_ID, {"ticket_id": ticket_id}).one_or_none()
        if row is None:
            raise NotFound(_("Unknown ticket: {id}").format(id=ticket_id))
        return row

    def _current_row(self, conn: Connection, counter: CounterInfo, state: Row[Any]) -> Row[Any]:
        row = None
        if state.current_ticket_id is not None:
            row = self._ticket_row(conn, state.current_ticket_id)
        if row is None or row.status not in ACTIVE_AT_COUNTER:
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
        log: list[dict[str, Any]] | None = None,
    ) -> None:
        """Mark the counter's current ticket done (part of calling someone new)."""
        if state.current_ticket_id is None:
            return
        row = self._close(
            conn, state.current_ticket_id, counter, TicketStatus.DONE, "finish", now, actor, log
        )
        if row is not None:
            events.append(TicketChanged(ticket=self._view_from_row(row), action="finish", at=now))

    def _close(
        self,
        conn: Connection,
        ticket_id: int,
        counter: CounterInfo,
        to_status: TicketStatus,
        action: str,
        now: datetime,
        actor: str | None,
        log: list[dict[str, Any]] | None = None,
    ) -> Row[Any] | None:
        """Close a called or serving ticket; None if it was not at a counter."""
        row = fast(
            conn, sql.CLOSE_CURRENT, {"ticket_id": ticket_id, "to_status": to_status, "now": now}
        ).one_or_none()
        if row is None:
            return None
        from_status = TicketStatus.SERVING if row.serving_at is not None else TicketStatus.CALLED
        self._log(
            conn,
            row.id,
            now,
            action,
            from_status,
            to_status,
            counter_id=counter.id,
            service_id=row.service_id,
            actor=actor,
            batch=log,
        )
        if to_status == TicketStatus.DONE:
            started = row.serving_at or row.called_at
            if started is not None:
                self._learn_service_time(conn, row.service_id, (now - started).total_seconds())
        return row

    def _close_current(
        self, counter_number: int, action: str, to_status: TicketStatus, actor: str | None
    ) -> Outcome[TicketView]:
        counter = self._counter(counter_number)
        now = self.clock.now()
        with self.db.write() as conn:
            state = self._lock_counter(conn, counter)
            row = self._current_row(conn, counter, state)
            if to_status == TicketStatus.NO_SHOW and row.status != TicketStatus.CALLED:
                raise InvalidState(_("The citizen is already being served."))
            closed = self._close(conn, row.id, counter, to_status, action, now, actor)
            assert closed is not None  # the counter row lock keeps the ticket at the counter
            conn.execute(
                update(Counter)
                .where(Counter.id == counter.id)
                .values(current_ticket_id=None, updated_at=now)
            )
            ticket = self._view_from_row(closed)
            view = self._make_counter_view(counter, state.status, None)
        return Outcome(
            ticket,
            [
                TicketChanged(ticket=ticket, action=action, at=now),
                CounterChanged(counter=view, at=now),
            ],
        )

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

    def _claim_first(
        self,
        conn: Connection,
        ranked: list[policy.Candidate],
        counter: CounterInfo,
        now: datetime,
        officer_id: int | None,
    ) -> Row[Any] | None:
        """Take the first ticket of ``ranked`` that no other counter has taken."""
        params: dict[str, Any] = {"counter_id": counter.id, "now": now, "officer_id": officer_id}
        if conn.dialect.name == "postgresql":
            ids = [c.ticket_id for c in ranked]
            params |= {"ticket_ids": ids, "ranking": ids}
            return fast(conn, sql.CLAIM_FIRST_FREE, params).one_or_none()
        for candidate in ranked:  # SQLite: writers are serialised, the first one wins
            row = fast(conn, sql.CLAIM, params | {"ticket_id": candidate.ticket_id})
            claimed = row.one_or_none()
            if claimed is not None:
                return claimed
        return None

    def _candidates(
        self, conn: Connection, counter: CounterInfo, day: date, *, per_group: int
    ) -> list[policy.Candidate]:
        if not counter.service_ids:
            return []
        catalogue = self.catalogue
        ranks = {service_id: rank for rank, service_id in enumerate(counter.service_ids)}
        statement = sql.candidates(counter.service_ids, catalogue.category_ids)
        rows = fast(conn, statement, {"day": day, "counter_id": counter.id, "per_group": per_group})
        return [
            policy.Candidate(
                ticket_id=row.id,
                issued_at=row.issued_at,
                weight=catalogue.category_by_id(row.priority_id).weight if row.priority_id else 0.0,
                emergency=row.emergency,
                service_rank=ranks[row.service_id],
            )
            for row in rows
        ]

    def _place_of_new_ticket(
        self,
        conn: Connection,
        service_id: int,
        day: date,
        category: CategoryInfo | None,
        now: datetime,
    ) -> tuple[int, int, int]:
        """Tickets waiting for the service, people ahead of a ticket being issued, and
        its estimated wait in seconds.

        A normal ticket has everyone waiting ahead of it and an emergency every earlier
        emergency (counted in one round trip); a priority ticket's place comes from the
        policy (:mod:`queue_server.core.estimates`).
        """
        emergency = bool(category and category.emergency)
        facts = fast(conn, sql.ISSUE_FACTS, {"service_id": service_id, "day": day}).one()
        waiting = int(facts.waiting)
        if category is None or emergency or category.weight <= 0:
            ahead = int(facts.emergencies) if emergency else waiting
            per_ticket = float(facts.service_s) / max(1, int(facts.open_counters))
            return waiting, ahead, round(ahead * per_ticket)
        place = estimate_place(
            conn,
            self.catalogue,
            service_id=service_id,
            day=day,
            target=policy.Candidate(NEW_TICKET_ID, now, weight=category.weight),
            now=now,
            max_streak=self.options.policy.max_consecutive_priority,
        )
        return waiting, place.ahead, place.wait_s

    def _live_place(self, conn: Connection, row: Row[Any]) -> Estimate | None:
        """People ahead of a waiting ticket now, in policy order, and its wait from now."""
        if row.status != TicketStatus.WAITING:
            return None
        weight = self.catalogue.category_by_id(row.priority_id).weight if row.priority_id else 0.0
        return estimate_place(
            conn,
            self.catalogue,
            service_id=row.service_id,
            day=row.day,
            target=policy.Candidate(row.id, row.issued_at, weight=weight, emergency=row.emergency),
            now=self.clock.now(),
            max_streak=self.options.policy.max_consecutive_priority,
        )

    def _live_view(self, conn: Connection, row: Row[Any]) -> TicketView:
        """A ticket as read now: a waiting one with its live place and estimate."""
        place = self._live_place(conn, row)
        view = self._view_from_row(row)
        if place is None:
            return view
        return replace(view, ahead=place.ahead, estimated_wait_s=place.wait_s)

    def _learn_service_time(self, conn: Connection, service_id: int, seconds: float) -> None:
        """Move the service's average service time toward a new measurement."""
        if not 0 < seconds <= MAX_COUNTED_SERVICE_S:
            return
        alpha = SERVICE_TIME_SMOOTHING
        fast(
            conn,
            sql.LEARN_SERVICE_TIME,
            {"service_id": service_id, "keep": 1 - alpha, "add": seconds * alpha},
        )

    def _queue_events(
        self, conn: Connection, service_ids: set[int], day: date, now: datetime
    ) -> list[DomainEvent]:
        events: list[DomainEvent] = []
        for service_id in sorted(service_ids):
            params = {"service_id": service_id, "day": day}
            waiting = int(fast(conn, sql.WAITING_IN_SERVICE, params).scalar_one())
            code = self.catalogue.service_by_id(service_id).code
            events.append(QueueChanged(service=code, waiting=waiting, at=now))
        return events

    def _ticket_view(self, conn: Connection, ticket_id: int) -> TicketView:
        return self._view_from_row(self._ticket_row(conn, ticket_id))

    def _view_from_row(self, row: Row, *, ahead: int = 0) -> TicketView:
        catalogue = self.catalogue
        service = catalogue.service_by_id(row.service_id)
        counter = catalogue.counter_by_id(row.counter_id) if row.counter_id else None
        return TicketView(
            id=row.id,
            number=row.number,
            service=service.code,
            service_name=service.name,
            status=row.status,
            issued_at=row.issued_at,
            priority=catalogue.category_by_id(row.priority_id).code if row.priority_id else None,
            emergency=row.emergency,
            counter=counter.number if counter else None,
            called_at=row.called_at,
            recall_count=row.recall_count,
            track_code=row.track_code,
            ahead=ahead,
            estimated_wait_s=row.estimated_wait_s,
            channel=row.channel,
        )

    def _counter_view(self, conn: Connection, counter: CounterInfo) -> CounterView:
        state = fast(conn, sql.COUNTER_STATE, {"counter_id": counter.id}).one()
        current = None
        if state.current_ticket_id is not None:
            current = self._ticket_view(conn, state.current_ticket_id)
        return self._make_counter_view(counter, state.status, current)

    def _make_counter_view(
        self, counter: CounterInfo, status: str, current: TicketView | None
    ) -> CounterView:
        codes = tuple(self.catalogue.service_by_id(sid).code for sid in counter.service_ids)
        return CounterView(
            number=counter.number, name=counter.name, status=status, current=current, services=codes
        )

    def _recent_calls(self, conn: Connection, day: date, limit: int) -> list[dict[str, Any]]:
        # The counter from its table: one deactivated since still has its number and name.
        rows = conn.execute(
            select(
                TicketEvent.at,
                TicketEvent.action,
                Counter.number.label("counter_number"),
                Counter.name.label("counter_name"),
                Ticket.id,
                Ticket.number,
                Ticket.service_id,
            )
            .join(Ticket, Ticket.id == TicketEvent.ticket_id)
            .outerjoin(Counter, Counter.id == TicketEvent.counter_id)
            .where(TicketEvent.action.in_(["call", "recall"]), Ticket.day == day)
            .order_by(TicketEvent.id.desc())
            .limit(limit)
        ).all()
        calls = []
        for row in rows:
            calls.append(
                {
                    "ticket_id": row.id,
                    "number": row.number,
                    "service": self.catalogue.service_by_id(row.service_id).code,
                    "counter": row.counter_number,
                    "counter_name": row.counter_name,
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
        *,
        counter_id: int | None = None,
        service_id: int | None = None,
        actor: str | None = None,
        detail: dict[str, Any] | None = None,
        batch: list[dict[str, Any]] | None = None,
    ) -> None:
        """Append to the ticket event log (into ``batch`` to write several at once)."""
        row = {
            "ticket_id": ticket_id,
            "at": at,
            "action": action,
            "from_status": from_status,
            "to_status": to_status,
            "counter_id": counter_id,
            "service_id": service_id,
            "actor": actor,
            "detail": detail,
        }
        if batch is None:
            fast(conn, sql.INSERT_EVENT, row)
        else:
            batch.append(row)


def status_label(status: str) -> str:
    """A ticket status in words, in the current language."""
    labels = {
        TicketStatus.WAITING: _("waiting"),
        TicketStatus.CALLED: _("called"),
        TicketStatus.SERVING: _("being served"),
        TicketStatus.DONE: _("done"),
        TicketStatus.NO_SHOW: _("did not come"),
        TicketStatus.CANCELLED: _("cancelled"),
    }
    return labels.get(TicketStatus(status), status)
