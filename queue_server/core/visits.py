"""Home visits booked by phone (hỗ trợ tại nhà): register, schedule, record the outcome.

The help desk registers a request by phone: service, priority category, preferred
weekdays and, only with the citizen's consent, the phone number and the address or
hamlet (kept in ``visit_contacts``, purged ``privacy.visit_days`` after the visit is
closed). It then schedules a day, a time window and the staff who go. Afterwards an
assigned officer (or the help desk) records what happened: done with a dossier received,
done with advice only, not at home, cancelled (these close the visit) or rescheduled
to another day (it stays open). Every command is one short transaction whose events
(``visit_requested``, ``visit_scheduled``, ``visit_closed``) carry no personal data.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from queue_server.core.clock import local_day
from queue_server.core.contacts import consented_contact
from queue_server.core.context import Outcome, QueueContext
from queue_server.core.errors import InvalidState, NotAllowed, NotFound, Rejected
from queue_server.core.events import DomainEvent, VisitClosed, VisitRequested, VisitScheduled
from queue_server.core.outbox import recorded
from queue_server.core.visit_models import (
    CLOSING,
    OPEN_STATUSES,
    HomeVisit,
    VisitContact,
    VisitOfficer,
    VisitOutcome,
    VisitOutcomeKind,
    VisitStatus,
)
from queue_server.core.visit_queries import (
    VisitFilter,
    VisitView,
    read_visits,
    staff_users,
    visits_query,
)
from queue_server.i18n import _

CLOCK_TIME = re.compile(r"^(?:[01][0-9]|2[0-3]):[0-5][0-9]$")
MAX_OFFICERS = 5
MAX_ADDRESS = 200
MAX_HAMLET = 100


@dataclass(frozen=True, slots=True)
class VisitRequest:
    """What the help desk notes on the phone. No name, no identity number."""

    phone: str
    consent: bool
    service: str
    address: str | None = None
    hamlet: str | None = None
    category: str | None = None
    preferred_days: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Appointment:
    """When and who: a local day, a window ("08:00"–"10:00") and staff user ids."""

    day: date
    window_start: str
    window_end: str
    officers: tuple[int, ...]


class HomeVisits:
    """The home visits of one center."""

    def __init__(self, queue: QueueContext) -> None:
        self.queue = queue

    # ------------------------------------------------------------------ commands
    def register(self, request: VisitRequest, actor: str) -> Outcome[VisitView]:
        """Store a request and its consented contact; nothing is stored on any error."""
        contact = consented_contact(request.phone, request.consent, "home_visit")
        address = _place(request.address, MAX_ADDRESS)
        hamlet = _place(request.hamlet, MAX_HAMLET)
        if address is None and hamlet is None:
            raise Rejected(_("Give the address or at least the hamlet (tổ dân phố) to visit."))
        service = self.queue.service_info(request.service)
        category = self._category_id(request.category)
        weekdays = _weekdays(request.preferred_days)
        now = self.queue.clock.now()

        def store() -> Outcome[VisitView]:
            with self.queue.db.write() as conn:
                values = {
                    "requested_day": local_day(now, self.queue.options.zone),
                    "requested_at": now,
                    "service_id": service.id,
                    "priority_id": category,
                    "preferred_days": ",".join(str(d) for d in weekdays),
                    "status": VisitStatus.REQUESTED.value,
                    "created_by": actor[:80],
                    "updated_at": now,
                }
                visit_id = conn.execute(
                    insert(HomeVisit).values(values).returning(HomeVisit.id)
                ).scalar_one()
                conn.execute(
                    insert(VisitContact).values(
                        visit_id=visit_id,
                        phone=contact.phone,
                        address=address,
                        hamlet=hamlet,
                        consented_at=now,
                        created_at=now,
                    )
                )
                view = self._one(conn, visit_id)
            event = VisitRequested(
                visit_id=visit_id, service=view.service, category=view.category, at=now
            )
            return Outcome(view, [event])

        return recorded(self.queue.db, store)

    def schedule(self, visit_id: int, appointment: Appointment, actor: str) -> Outcome[VisitView]:
        """Give an open visit its day, window and staff (again, to re-plan it)."""
        self._check_appointment(appointment)
        now = self.queue.clock.now()

        def store() -> Outcome[VisitView]:
            with self.queue.db.write() as conn:
                visit = self._open_visit(conn, visit_id)
                self._check_staff(conn, appointment.officers)
                self._set_appointment(conn, visit.id, visit.status, appointment, now)
                view = self._one(conn, visit_id)
            return Outcome(view, [_scheduled(visit_id, appointment, now)])

        return recorded(self.queue.db, store)

    def record_outcome(
        self,
        visit_id: int,
        outcome: str,
        actor: str,
        *,
        new_day: date | None = None,
        own_user: int | None = None,
    ) -> Outcome[VisitView]:
        """Record what happened. With ``own_user`` (an officer), only on a visit that user
        is assigned to. "rescheduled" needs ``new_day`` and keeps the visit open."""
        kind = _outcome_kind(outcome)
        if (kind is VisitOutcomeKind.RESCHEDULED) != (new_day is not None):
            raise Rejected(_('Give a new date (new_day) with "rescheduled", and only then.'))
        today = self.queue.today()
        if new_day is not None and new_day < today:
            raise Rejected(_("The new date is in the past."))
        now = self.queue.clock.now()

        def store() -> Outcome[VisitView]:
            with self.queue.db.write() as conn:
                visit = self._open_visit(conn, visit_id)
                if own_user is not None and not self._one(conn, visit_id).assigned(own_user):
                    raise NotAllowed(_("You may record outcomes of your own visits only."))
                _check_outcome_fits(visit, kind, today, new_day)
                events = self._apply_outcome(conn, visit, kind, new_day, actor, now)
                view = self._one(conn, visit_id)
            return Outcome(view, events)

        return recorded(self.queue.db, store)

    # --------------------------------------------------------------------- reads
    def get(self, visit_id: int, *, with_contact: bool = False) -> VisitView:
        with self.queue.db.read() as conn:
            return self._one(conn, visit_id, with_contact=with_contact)

    def find(self, filters: VisitFilter, *, with_contact: bool = False) -> list[VisitView]:
        with self.queue.db.read() as conn:
            return read_visits(
                conn, self.queue.catalogue, visits_query(filters), with_contact=with_contact
            )

    def staff(self) -> list[dict[str, Any]]:
        """Who may be assigned to a visit."""
        with self.queue.db.read() as conn:
            return staff_users(conn)

    # ------------------------------------------------------------------- helpers
    def _one(self, conn: Connection, visit_id: int, *, with_contact: bool = False) -> VisitView:
        query = select(HomeVisit).where(HomeVisit.id == visit_id)
        found = read_visits(conn, self.queue.catalogue, query, with_contact=with_contact)
        if not found:
            raise NotFound(_("Unknown home visit: {id}").format(id=visit_id))
        return found[0]

    def _category_id(self, code: str | None) -> int | None:
        if code is None:
            return None
        category = self.queue.catalogue.categories.get(code)
        if category is None:
            raise NotFound(_("Unknown priority category: {code}").format(code=code))
        return category.id

    def _check_appointment(self, appointment: Appointment) -> None:
        if appointment.day < self.queue.today():
            raise Rejected(_("The visit date is in the past."))
        times = (appointment.window_start, appointment.window_end)
        if not all(CLOCK_TIME.match(t) for t in times) or times[0] >= times[1]:
            raise Rejected(_("Give the time window as two times such as 08:00 and 10:00."))
        officers = appointment.officers
        if not officers or len(officers) > MAX_OFFICERS or len(set(officers)) != len(officers):
            raise Rejected(
                _("Assign one to {count} different staff members.").format(count=MAX_OFFICERS)
            )

    def _check_staff(self, conn: Connection, officers: Sequence[int]) -> None:
        known = {user["id"] for user in staff_users(conn)}
        for user_id in officers:
            if user_id not in known:
                raise NotFound(_("Unknown officer: {id}").format(id=user_id))

    def _open_visit(self, conn: Connection, visit_id: int) -> Any:
        visit = conn.execute(
            select(HomeVisit).where(HomeVisit.id == visit_id).with_for_update()
        ).one_or_none()
        if visit is None:
            raise NotFound(_("Unknown home visit: {id}").format(id=visit_id))
        if visit.status not in OPEN_STATUSES:
            raise InvalidState(_("This home visit is already closed."))
        return visit

    def _set_appointment(
        self, conn: Connection, visit_id: int, status: str, appointment: Appointment, now: Any
    ) -> None:
        changed = conn.execute(
            update(HomeVisit)
            .where(HomeVisit.id == visit_id, HomeVisit.status == status)
            .values(
                status=VisitStatus.SCHEDULED.value,
                visit_day=appointment.day,
                window_start=appointment.window_start,
                window_end=appointment.window_end,
                updated_at=now,
            )
        ).rowcount
        if changed != 1:  # changed by another request in between
            raise InvalidState(_("This home visit changed meanwhile; reload and try again."))
        conn.execute(delete(VisitOfficer).where(VisitOfficer.visit_id == visit_id))
        rows = [{"visit_id": visit_id, "user_id": user} for user in appointment.officers]
        conn.execute(insert(VisitOfficer), rows)

    def _apply_outcome(
        self,
        conn: Connection,
        visit: Any,
        kind: VisitOutcomeKind,
        new_day: date | None,
        actor: str,
        now: Any,
    ) -> list[DomainEvent]:
        conn.execute(
            insert(VisitOutcome).values(
                visit_id=visit.id,
                outcome=kind.value,
                day=visit.visit_day,
                recorded_day=local_day(now, self.queue.options.zone),
                new_day=new_day,
                at=now,
                actor=actor[:80],
            )
        )
        moved = {"visit_day": new_day} if new_day else {}
        closing = {"status": kind.value, "closed_at": now} if kind in CLOSING else {}
        changed = conn.execute(
            update(HomeVisit)
            .where(HomeVisit.id == visit.id, HomeVisit.status == visit.status)
            .values(updated_at=now, **moved, **closing)
        ).rowcount
        if changed != 1:
            raise InvalidState(_("This home visit changed meanwhile; reload and try again."))
        day = visit.visit_day.isoformat() if visit.visit_day else None
        if kind in CLOSING:
            return [VisitClosed(visit_id=visit.id, outcome=kind.value, day=day, at=now)]
        assert new_day is not None
        officers = conn.execute(
            select(VisitOfficer.user_id).where(VisitOfficer.visit_id == visit.id)
        ).scalars()
        appointment = Appointment(
            new_day, visit.window_start, visit.window_end, tuple(sorted(officers))
        )
        return [_scheduled(visit.id, appointment, now, rescheduled=True)]


def _scheduled(
    visit_id: int, appointment: Appointment, now: Any, *, rescheduled: bool = False
) -> VisitScheduled:
    return VisitScheduled(
        visit_id=visit_id,
        day=appointment.day.isoformat(),
        window_start=appointment.window_start,
        window_end=appointment.window_end,
        officers=tuple(sorted(appointment.officers)),
        rescheduled=rescheduled,
        at=now,
    )


def _check_outcome_fits(
    visit: Any, kind: VisitOutcomeKind, today: date, new_day: date | None
) -> None:
    if kind is VisitOutcomeKind.CANCELLED:
        return
    if visit.status != VisitStatus.SCHEDULED:
        raise InvalidState(_("Schedule the visit first: it has no date yet."))
    if kind is VisitOutcomeKind.RESCHEDULED:
        if new_day == visit.visit_day:
            raise Rejected(_("The new date is the date the visit already has."))
        return
    if visit.visit_day > today:
        raise Rejected(
            _("The visit is planned for {day}: record what happened on or after that day.").format(
                day=visit.visit_day.strftime("%d/%m/%Y")
            )
        )


def _outcome_kind(outcome: str) -> VisitOutcomeKind:
    try:
        return VisitOutcomeKind(outcome)
    except ValueError:
        raise Rejected(_("Unknown outcome: {outcome}").format(outcome=outcome[:30])) from None


def _place(text: str | None, limit: int) -> str | None:
    if text is None:
        return None
    cleaned = " ".join(unicodedata.normalize("NFC", text).split())
    if len(cleaned) > limit:
        raise Rejected(_("At most {count} characters, please.").format(count=limit))
    return cleaned or None


def _weekdays(days: Sequence[int]) -> list[int]:
    if any(not isinstance(d, int) or not 1 <= d <= 7 for d in days):
        raise Rejected(_("Preferred days are weekdays from 1 (Monday) to 7 (Sunday)."))
    return sorted(set(days))
