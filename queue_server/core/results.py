"""Result slips (giấy hẹn trả kết quả): issue, look up, postpone, collect.

An officer who finished a ticket gives the citizen a slip: the date the result will be
ready (by default the service's working days from today, skipping weekends and the
configured holidays) and a secret code. On or after that date the citizen takes a
"receive results" ticket with the code at the kiosk or the help desk: that ticket is
linked to the slip, and the slip is collected. A ready date the center cannot keep is
postponed, with a reason: the slip counts as late. Each command is one transaction
writing its events through the outbox; no event carries the code.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError

from queue_server.core import issuing
from queue_server.core.clock import local_day
from queue_server.core.context import Outcome, QueueContext
from queue_server.core.errors import InvalidState, NotAllowed, NotFound, Rejected
from queue_server.core.events import (
    ResultSlipCollected,
    ResultSlipIssued,
    ResultSlipPostponed,
    TicketView,
)
from queue_server.core.models import Ticket, TicketStatus
from queue_server.core.outbox import recorded
from queue_server.core.result_config import ResultsConfig
from queue_server.core.slip_tables import ResultSlip
from queue_server.i18n import _

if TYPE_CHECKING:
    from queue_server.settings import Settings

# No 0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B, Q: nothing to confuse on paper or when typed.
CODE_ALPHABET = "34679ACDEFHJKMNPRTUVWXY"
CODE_LENGTH = 10  # 23**10 ≈ 4·10^13 codes: not guessable
MAX_AHEAD_DAYS = 366


@dataclass(frozen=True, slots=True)
class ResultRules:
    """What slips need from the configuration: ``[results]``, each service's working
    days and the service that receives results (None: none configured)."""

    config: ResultsConfig = field(default_factory=ResultsConfig)
    days: Mapping[str, int] = field(default_factory=dict)
    results_service: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> ResultRules:
        config = settings.results
        days = {
            s.code: s.result_days if s.result_days is not None else config.default_days
            for s in settings.services
        }
        receiving = next((s.code for s in settings.services if s.results and s.active), None)
        return cls(config, days, receiving)

    def default_ready_on(self, service: str, today: date) -> date:
        days = self.days.get(service, self.config.default_days)
        return self.config.add_working_days(today, days)


@dataclass(frozen=True, slots=True)
class SlipView:
    """A slip. ``code`` is a bearer secret: :meth:`to_dict` has it only for its holder."""

    id: int
    code: str
    ticket_id: int
    number: str
    service: str
    service_name: str
    counter: int | None
    issued_at: datetime
    promised_on: date
    ready_on: date
    postponements: int
    postpone_reason: str | None
    collect_ticket_id: int | None
    collected_day: date | None

    @property
    def display_code(self) -> str:  # as printed: ACD34-EFH79
        return format_code(self.code)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "result_code": self.display_code,
            "ticket_id": self.ticket_id,
            "number": self.number,
            "service": self.service,
            "service_name": self.service_name,
            "counter": self.counter,
            "issued_at": self.issued_at.isoformat(),
            "promised_on": self.promised_on.isoformat(),
            "ready_on": self.ready_on.isoformat(),
            "postponed": self.postponements > 0,
            "postponements": self.postponements,
            "postpone_reason": self.postpone_reason,
            "collected": self.collect_ticket_id is not None,
            "collect_ticket_id": self.collect_ticket_id,
            "collected_day": self.collected_day.isoformat() if self.collected_day else None,
        }


@dataclass(frozen=True, slots=True)
class Collection:
    """A "receive results" ticket and the slip it collected."""

    ticket: TicketView
    slip: SlipView


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """``ACD34EFH79`` as ``ACD34-EFH79`` (as printed)."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def normalize_code(raw: str) -> str | None:
    """The stored form of a typed code (any case, spaces and dashes ignored), or None
    when it cannot be a code."""
    code = "".join(ch for ch in raw[:40] if ch not in " -").upper()
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def unknown_code() -> NotFound:
    return NotFound(_("No result slip has this code."))  # the same for a malformed code


class ResultSlips:
    """The result slips of one center."""

    def __init__(self, queue: QueueContext, rules: ResultRules | None = None) -> None:
        self.queue = queue
        self.rules = rules or ResultRules()

    def issue(
        self,
        ticket_id: int,
        *,
        counter: int | None,
        ready_on: date | None = None,
    ) -> Outcome[SlipView]:
        """Give a slip for a finished ticket. ``counter``: the officer's counter, which
        must be the one that served it (None: the admin, any counter)."""
        return recorded(self.queue.db, lambda: self._issue(ticket_id, counter, ready_on))

    def find(self, raw_code: str) -> SlipView:
        """The slip with this code; NotFound if there is none."""
        code = normalize_code(raw_code)
        if code is None:
            raise unknown_code()
        with self.queue.db.read() as conn:
            return self._view(conn, self._row(conn, code))

    def for_ticket(self, ticket_id: int) -> SlipView | None:
        """The slip given for ``ticket_id``, if any (the citizen's tracking page)."""
        with self.queue.db.read() as conn:
            row = conn.execute(
                select(ResultSlip).where(ResultSlip.ticket_id == ticket_id)
            ).one_or_none()
            return None if row is None else self._view(conn, row)

    def postpone(self, raw_code: str, ready_on: date, reason: str) -> Outcome[SlipView]:
        """Move a slip's ready date later, for one of the configured reasons."""
        if self.rules.config.reason(reason) is None:
            raise NotFound(_("Unknown reason: {code}").format(code=reason))
        code = normalize_code(raw_code)
        if code is None:
            raise unknown_code()
        return recorded(self.queue.db, lambda: self._postpone(code, ready_on, reason))

    def collect(
        self,
        raw_code: str,
        priority: str | None = None,
        *,
        channel: str = "kiosk",
        actor: str | None = None,
        kiosk: str | None = None,
        public_url: str | None = None,
    ) -> Outcome[Collection]:
        """Issue a "receive results" ticket for the slip with this code, linked to it."""
        code = normalize_code(raw_code)
        if code is None:
            raise unknown_code()
        service = self.rules.results_service
        if service is None:
            raise Rejected(_("No service receives results at this center."))

        now = self.queue.clock.now()

        def run() -> Outcome[Collection]:
            today = local_day(now, self.queue.options.zone)
            with self.queue.db.write() as conn:
                _check_collectable(self._row(conn, code), today)
            issued = issuing.issue(
                self.queue,
                service,
                priority,
                channel=channel,
                actor=actor,
                kiosk=kiosk,
                public_url=public_url,
            )
            ticket = issued.value
            with self.queue.db.write() as conn:
                linked = conn.execute(
                    update(ResultSlip)
                    .where(ResultSlip.code == code, ResultSlip.collect_ticket_id.is_(None))
                    .values(collect_ticket_id=ticket.id, collected_day=today, collected_at=now)
                ).rowcount
                if linked != 1:  # another ticket took it meanwhile: nothing is kept
                    raise InvalidState(_("This result has already been collected."))
                slip = self._view(conn, self._row(conn, code))
            event = ResultSlipCollected(
                slip_id=slip.id, service=slip.service, ticket_id=ticket.id, at=now
            )
            return Outcome(Collection(ticket, slip), [*issued.events, event])

        return recorded(self.queue.db, run)

    def _issue(self, ticket_id: int, counter: int | None, ready_on: date | None) -> Outcome[Any]:
        now = self.queue.clock.now()
        today = local_day(now, self.queue.options.zone)
        with self.queue.db.write() as conn:
            ticket = _ticket(conn, ticket_id)
            service = self.queue.catalogue.service_by_id(ticket.service_id)
            self._check_issuable(conn, ticket, counter, service.code)
            when = ready_on or self.rules.default_ready_on(service.code, today)
            self._check_date(when, today)
            values = {
                "ticket_id": ticket_id,
                "service_id": ticket.service_id,
                "counter_id": ticket.counter_id,
                "issued_day": today,
                "issued_at": now,
                "promised_on": when,
                "ready_on": when,
                "postponements": 0,
            }
            slip_id = _insert_with_new_code(conn, values)
            row = conn.execute(select(ResultSlip).where(ResultSlip.id == slip_id)).one()
            slip = self._view(conn, row)
        event = ResultSlipIssued(
            slip_id=slip.id,
            ticket_id=ticket_id,
            service=slip.service,
            counter=slip.counter,
            ready_on=when.isoformat(),
            at=now,
        )
        return Outcome(slip, [event])

    def _check_issuable(
        self, conn: Connection, ticket: Row[Any], counter: int | None, service: str
    ) -> None:
        if ticket.status != TicketStatus.DONE:
            raise InvalidState(_("A result slip is given for a finished ticket only."))
        if counter is not None:
            info = self.queue.counter_info(counter)
            if ticket.counter_id != info.id:
                raise NotAllowed(_("This ticket was not served at your counter."))
        if service == self.rules.results_service:
            raise Rejected(_("This ticket was for receiving results."))
        exists = conn.execute(
            select(ResultSlip.id).where(ResultSlip.ticket_id == ticket.id)
        ).one_or_none()
        if exists is not None:
            raise InvalidState(_("This ticket already has a result slip."))

    def _check_date(self, when: date, today: date) -> None:
        if when < today:
            raise Rejected(_("The ready date is in the past."))
        if (when - today).days > MAX_AHEAD_DAYS:
            raise Rejected(_("The ready date is more than a year away."))
        if not self.rules.config.is_working_day(when):
            raise Rejected(_("The ready date is not a working day."))

    def _postpone(self, code: str, ready_on: date, reason: str) -> Outcome[Any]:
        now = self.queue.clock.now()
        today = local_day(now, self.queue.options.zone)
        with self.queue.db.write() as conn:
            row = self._row(conn, code)
            if row.collect_ticket_id is not None:
                raise InvalidState(_("This result has already been collected."))
            self._check_date(ready_on, today)
            if ready_on <= row.ready_on:
                raise Rejected(_("The new date must be after the current ready date."))
            conn.execute(
                update(ResultSlip)
                .where(ResultSlip.id == row.id)
                .values(
                    ready_on=ready_on,
                    postponements=ResultSlip.postponements + 1,
                    postpone_reason=reason,
                )
            )
            slip = self._view(conn, self._row(conn, code))
        event = ResultSlipPostponed(
            slip_id=slip.id,
            service=slip.service,
            ready_on=ready_on.isoformat(),
            reason=reason,
            at=now,
        )
        return Outcome(slip, [event])

    def _row(self, conn: Connection, code: str) -> Row[Any]:
        row = conn.execute(select(ResultSlip).where(ResultSlip.code == code)).one_or_none()
        if row is None:
            raise unknown_code()
        return row

    def _view(self, conn: Connection, row: Row[Any]) -> SlipView:
        catalogue = self.queue.catalogue
        service = catalogue.service_by_id(row.service_id)
        number = conn.execute(
            select(Ticket.number).where(Ticket.id == row.ticket_id)
        ).scalar_one_or_none()
        counter = catalogue.counter_by_id(row.counter_id) if row.counter_id else None
        return SlipView(
            id=row.id,
            code=row.code,
            ticket_id=row.ticket_id,
            number=number or "",
            service=service.code,
            service_name=service.name,
            counter=counter.number if counter else None,
            issued_at=row.issued_at,
            promised_on=row.promised_on,
            ready_on=row.ready_on,
            postponements=row.postponements,
            postpone_reason=row.postpone_reason,
            collect_ticket_id=row.collect_ticket_id,
            collected_day=row.collected_day,
        )


def _check_collectable(row: Row[Any], today: date) -> None:
    if row.collect_ticket_id is not None:
        raise InvalidState(_("This result has already been collected."))
    if today < row.ready_on:
        raise InvalidState(
            _("The result will be ready on {date}.").format(date=row.ready_on.strftime("%d/%m/%Y"))
        )


def _ticket(conn: Connection, ticket_id: int) -> Any:
    row = conn.execute(
        select(Ticket.id, Ticket.status, Ticket.service_id, Ticket.counter_id).where(
            Ticket.id == ticket_id
        )
    ).one_or_none()
    if row is None:
        raise NotFound(_("Unknown ticket: {id}").format(id=ticket_id))
    return row


def _insert_with_new_code(conn: Connection, values: dict[str, Any]) -> int:
    """Insert the slip with a fresh random code (a clash, one in 10^13, draws again)."""
    for _attempt in range(5):
        try:
            with conn.begin_nested():
                return int(
                    conn.execute(
                        insert(ResultSlip)
                        .values(code=new_code(), **values)
                        .returning(ResultSlip.id)
                    ).scalar_one()
                )
        except IntegrityError:
            taken = conn.execute(
                select(ResultSlip.id).where(ResultSlip.ticket_id == values["ticket_id"])
            ).one_or_none()
            if taken is not None:  # a slip given for the same ticket at the same moment
                raise InvalidState(_("This ticket already has a result slip.")) from None
    raise InvalidState(_("No free code was found; please try again."))
