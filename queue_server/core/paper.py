"""Paper tickets: numbered in advance for an outage, entered afterwards with their times.

A paper ticket keeps its printed number (``PB007``: :class:`PaperConfig`) and the times
written on it or estimated. It is stored as a ticket of channel ``paper`` on the local
day it was issued, with sequence ``-n`` (normal tickets count up from 1, so the unique
(service, day, sequence) key also refuses a number entered twice that day). Its one
event, ``paper_ticket_entered``, is not a screen event: the hall display never shows or
speaks it (docs/outages.md).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, union_all, update
from sqlalchemy.exc import IntegrityError

from queue_server.core import eventlog
from queue_server.core import statements as sql
from queue_server.core.clock import local_day
from queue_server.core.context import Outcome, QueueContext
from queue_server.core.errors import InvalidState, NotFound, Rejected
from queue_server.core.events import PaperTicketEntered, TicketView
from queue_server.core.models import CenterSetting, Ticket, TicketStatus, tickets_archive
from queue_server.core.outbox import recorded
from queue_server.core.paper_config import PaperConfig
from queue_server.i18n import _

CHANNEL = "paper"
PRINTED_KEY = "paper.printed"  # center_settings: {service code: last number printed}
OUTCOMES = (TicketStatus.DONE, TicketStatus.NO_SHOW, TicketStatus.CANCELLED)


@dataclass(frozen=True, slots=True)
class PaperEntry:
    """One paper ticket as written: ``number`` (``PB007`` or ``7``), its service and
    category codes, its times (aware), the counter that called it and how it ended."""

    number: str
    service: str
    issued_at: datetime
    called_at: datetime | None = None
    finished_at: datetime | None = None
    counter: int | None = None
    category: str | None = None
    outcome: str = TicketStatus.DONE


class PaperTickets:
    """Printing ranges of paper tickets and entering the ones served."""

    def __init__(self, queue: QueueContext, config: PaperConfig | None = None) -> None:
        self.queue = queue
        self.config = config or PaperConfig()

    # -------------------------------------------------------------- printing
    def printed(self) -> dict[str, int]:
        """The last paper number printed per service code (none printed: absent)."""
        with self.queue.db.read() as conn:
            return _printed(conn)

    def reserve(
        self, service: str, count: int, *, start: int | None = None, actor: str = "cli"
    ) -> list[str]:
        """Take ``count`` paper numbers of ``service`` for a print, after the last one
        printed (or from ``start``), and remember the highest; returns the numbers."""
        info = self.queue.service_info(service)
        if not 1 <= count <= self.config.max_print:
            raise Rejected(
                _("Print 1 to {most} paper tickets at a time.").format(most=self.config.max_print)
            )
        now = self.queue.clock.now()
        with self.queue.db.write() as conn:
            printed = _printed(conn, lock=True)
            first = start if start is not None else printed.get(service, 0) + 1
            last = first + count - 1
            if first < 1 or len(str(last)) > max(self.config.width, 6):
                raise Rejected(_("Paper numbers go from 1 to 999999."))
            value = {**printed, service: max(last, printed.get(service, 0))}
            _store_printed(conn, value, now, actor, exists=bool(printed))
        return [self.config.number(info.prefix, n) for n in range(first, last + 1)]

    # -------------------------------------------------------------- entering
    def enter(
        self, entry: PaperEntry, *, actor: str, officer_id: int | None = None
    ) -> Outcome[TicketView]:
        """Store a paper ticket served during an outage; refuse a bad or repeated one
        with nothing changed (NotFound, Rejected, or InvalidState for a repeat)."""
        sequence = self._check(entry)
        return recorded(self.queue.db, lambda: self._store(entry, sequence, actor, officer_id))

    def _check(self, entry: PaperEntry) -> int:
        """Validate ``entry`` against the catalogue, the clock and the printed range;
        returns its sequence number."""
        catalogue = self.queue.catalogue
        service = self.queue.service_info(entry.service)
        if entry.category is not None and entry.category not in catalogue.categories:
            raise NotFound(_("Unknown priority category: {code}").format(code=entry.category))
        if entry.counter is not None:
            self.queue.counter_info(entry.counter)
        if entry.outcome not in OUTCOMES:
            raise Rejected(_("A paper ticket ends served, absent or cancelled."))
        sequence = self.config.sequence(service.prefix, entry.number)
        example = self.config.number(service.prefix, 7)
        if sequence is None:
            raise Rejected(
                _("{number} is not a paper number of this service (e.g. {example}).").format(
                    number=entry.number[:20], example=example
                )
            )
        last = self.printed().get(service.code, 0)
        if sequence > last:
            raise Rejected(
                _("{number} was never printed: paper numbers of {service} go up to {last}.").format(
                    number=self.config.number(service.prefix, sequence),
                    service=service.name,
                    last=last,
                )
            )
        _check_times(entry, self.queue.clock.now(), self.config.max_age_days)
        return sequence

    def _store(
        self, entry: PaperEntry, sequence: int, actor: str, officer_id: int | None
    ) -> Outcome[TicketView]:
        catalogue = self.queue.catalogue
        service = catalogue.services[entry.service]
        category = catalogue.categories[entry.category] if entry.category else None
        counter = catalogue.counters[entry.counter] if entry.counter is not None else None
        now = self.queue.clock.now()
        day = local_day(entry.issued_at, self.queue.options.zone)
        number = self.config.number(service.prefix, sequence)
        finished = entry.finished_at or entry.called_at or entry.issued_at
        emergency = bool(category and category.emergency)
        counter_id = counter.id if counter else None
        row = _ticket_row(
            entry, (service, category), (day, sequence, number), (counter_id, officer_id)
        )
        with self.queue.db.write() as conn:
            if _taken(conn, service.id, day, -sequence):
                raise _repeated(number, day)
            try:
                with conn.begin_nested():
                    ticket_id = conn.execute(sql.INSERT_TICKET, row).scalar_one()
            except IntegrityError:  # entered at the same moment elsewhere
                raise _repeated(number, day) from None
            detail = {
                "channel": CHANNEL,
                "issued_at": entry.issued_at.isoformat(),
                "called_at": entry.called_at.isoformat() if entry.called_at else None,
                "finished_at": finished.isoformat(),
            }
            eventlog.record(
                conn,
                ticket_id,
                now,
                "paper",
                None,
                entry.outcome,
                counter_id=counter_id,
                service_id=service.id,
                actor=actor,
                detail=detail,
            )
        view = TicketView(
            id=ticket_id,
            number=number,
            service=service.code,
            service_name=service.name,
            status=entry.outcome,
            issued_at=entry.issued_at,
            priority=category.code if category else None,
            emergency=emergency,
            counter=entry.counter,
            called_at=entry.called_at,
            channel=CHANNEL,
        )
        return Outcome(view, [PaperTicketEntered(ticket=view, counter=entry.counter, at=now)])


def _ticket_row(
    entry: PaperEntry,
    what: tuple[Any, Any],
    place: tuple[date, int, str],
    who: tuple[int | None, int | None],
) -> dict[str, Any]:
    """The ``tickets`` row of a paper ticket: ``what`` (service, category), ``place``
    (its day, paper sequence and number), ``who`` (counter id, officer id)."""
    service, category = what
    day, sequence, number = place
    counter_id, officer_id = who
    return {
        "service_id": service.id,
        "origin_service_id": service.id,
        "day": day,
        "seq": -sequence,
        "number": number,
        "priority_id": category.id if category else None,
        "priority_weight": category.weight if category else 0.0,
        "emergency": bool(category and category.emergency),
        "channel": CHANNEL,
        "status": entry.outcome,
        "issued_at": entry.issued_at,
        "called_at": entry.called_at,
        "first_called_at": entry.called_at,
        "serving_at": entry.called_at if entry.outcome == TicketStatus.DONE else None,
        "finished_at": entry.finished_at or entry.called_at or entry.issued_at,
        "counter_id": counter_id,
        "officer_id": officer_id,
        "recall_count": 0,
        "transfer_count": 0,
        "track_code": secrets.token_urlsafe(9),
        "ahead_at_issue": 0,
    }


def _check_times(entry: PaperEntry, now: datetime, max_age_days: int) -> None:
    """Times in order, none in the future, not older than ``max_age_days``, and those
    the outcome needs (a call for served or absent; an end for served)."""
    times = [t for t in (entry.issued_at, entry.called_at, entry.finished_at) if t is not None]
    if any(t.tzinfo is None for t in times):
        raise Rejected(_("Times need a time zone."))
    if any(t > now for t in times):
        raise Rejected(_("A time of a paper ticket is in the future."))
    if entry.issued_at < now - timedelta(days=max_age_days):
        raise Rejected(_("Paper tickets are entered within {days} days.").format(days=max_age_days))
    if times != sorted(times):
        raise Rejected(_("The times must follow each other: issued, called, finished."))
    if entry.outcome == TicketStatus.CANCELLED and (entry.called_at or entry.counter):
        raise Rejected(_("A cancelled paper ticket was never called to a counter."))
    if entry.outcome != TicketStatus.CANCELLED and (entry.called_at is None or not entry.counter):
        raise Rejected(_("Give the counter and the time the ticket was called."))
    if entry.outcome == TicketStatus.DONE and entry.finished_at is None:
        raise Rejected(_("Give the time the citizen was served until."))


def _repeated(number: str, day: Any) -> InvalidState:
    return InvalidState(
        _("Paper ticket {number} of {day} was already entered.").format(
            number=number, day=f"{day:%d/%m/%Y}"
        )
    )


def _taken(conn: Connection, service_id: int, day: Any, seq: int) -> bool:
    """Whether the day already has this ticket, live or archived."""
    parts = [
        select(table.c.id).where(
            table.c.origin_service_id == service_id, table.c.day == day, table.c.seq == seq
        )
        for table in (Ticket.__table__, tickets_archive)
    ]
    return conn.execute(union_all(*parts).limit(1)).first() is not None


def _printed(conn: Connection, *, lock: bool = False) -> dict[str, int]:
    query = select(CenterSetting.value).where(CenterSetting.key == PRINTED_KEY)
    value = conn.execute(query.with_for_update() if lock else query).scalar_one_or_none()
    if not isinstance(value, dict):
        return {}
    return {str(k): int(v) for k, v in value.items() if isinstance(v, int)}


def _store_printed(
    conn: Connection, value: dict[str, int], now: datetime, actor: str, *, exists: bool
) -> None:
    values = {"value": value, "updated_at": now, "updated_by": actor[:80]}
    if exists:
        conn.execute(update(CenterSetting).where(CenterSetting.key == PRINTED_KEY).values(**values))
    else:
        conn.execute(insert(CenterSetting).values(key=PRINTED_KEY, **values))
