"""Satisfaction ratings: one per served ticket, from the counter's tablet or the tracking page.

Each rating is one short transaction returning an :class:`Outcome` with a
:class:`TicketRated` event that carries no score (screens never learn it). Counter and
officer are copied from the ticket. A second rating of the same ticket is refused,
also when two arrive at once (the unique ``ratings.ticket_id`` decides).
"""

from __future__ import annotations

from collections import Counter as Counts
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, insert, select
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError

from queue_server.core.errors import InvalidState, NotFound, Rejected
from queue_server.core.events import DomainEvent, TicketRated
from queue_server.core.feedback import rating_comment, rating_feedback
from queue_server.core.feedback_config import FeedbackConfig
from queue_server.core.models import Rating, Ticket, TicketStatus
from queue_server.core.operations import Outcome, Queue
from queue_server.core.outbox import recorded
from queue_server.core.rating_config import RatingsConfig
from queue_server.i18n import _

VERY_SATISFIED, SATISFIED, NOT_SATISFIED = 3, 2, 1
SCORES = (VERY_SATISFIED, SATISFIED, NOT_SATISFIED)
AT_COUNTER, FROM_TRACKING = "counter", "track"


@dataclass(frozen=True, slots=True)
class PendingRating:
    """The ticket a counter's tablet may ask about now."""

    ticket_id: int
    number: str
    service: str
    service_name: str
    counter: int
    finished_at: datetime
    ask_until: datetime  # the question's own timeout, from the finish
    open_until: datetime  # the last moment the tablet may still send it

    def to_dict(self) -> dict[str, Any]:
        return {
            "ticket_id": self.ticket_id,
            "number": self.number,
            "service": self.service,
            "service_name": self.service_name,
            "counter": self.counter,
            "finished_at": self.finished_at.isoformat(),
            "ask_until": self.ask_until.isoformat(),
            "open_until": self.open_until.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class RatingReceipt:
    """What a stored rating tells its sender (the score stays with the caller)."""

    ticket_id: int
    number: str
    channel: str
    at: datetime
    score: int = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ticket_id": self.ticket_id,
            "number": self.number,
            "channel": self.channel,
            "at": self.at.isoformat(),
        }


@dataclass
class ScoreTally:
    """Counts per score and per reason of a group of ratings."""

    very_satisfied: int = 0
    satisfied: int = 0
    not_satisfied: int = 0
    reasons: Counts[str] = field(default_factory=Counts)

    def add(self, score: int, reasons: Iterable[str] = ()) -> None:
        if score == VERY_SATISFIED:
            self.very_satisfied += 1
        elif score == SATISFIED:
            self.satisfied += 1
        else:
            self.not_satisfied += 1
        self.reasons.update(reasons)

    @property
    def count(self) -> int:
        return self.very_satisfied + self.satisfied + self.not_satisfied

    @property
    def percent_satisfied(self) -> float | None:
        """(Very satisfied + satisfied) over all ratings, in %, one decimal; None if none."""
        if not self.count:
            return None
        return round(100 * (self.very_satisfied + self.satisfied) / self.count, 1)

    def to_dict(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "very_satisfied": self.very_satisfied,
            "satisfied": self.satisfied,
            "not_satisfied": self.not_satisfied,
            "percent_satisfied": self.percent_satisfied,
        }


RATING_TICKET_COLUMNS = (
    Ticket.id,
    Ticket.number,
    Ticket.status,
    Ticket.day,
    Ticket.service_id,
    Ticket.counter_id,
    Ticket.officer_id,
    Ticket.finished_at,
)


class Ratings:
    """Satisfaction ratings of one center's queue."""

    def __init__(
        self,
        queue: Queue,
        config: RatingsConfig | None = None,
        feedback: FeedbackConfig | None = None,
    ) -> None:
        self.queue = queue
        self.config = config or RatingsConfig()
        self.feedback = feedback or FeedbackConfig()

    # ----------------------------------------------------------------- reading
    def pending_at_counter(self, counter_number: int) -> PendingRating | None:
        """Today's ticket last finished at this counter, if it is unrated and still open."""
        counter = self._counter_id(counter_number)
        now = self.queue.clock.now()
        with self.queue.db.read() as conn:
            row = self._last_finished(conn, counter, now)
            if row is None or self._rated(conn, row.id):
                return None
        return self._pending(row, counter_number)

    def track_state(self, track_code: str) -> str:
        """``open``, ``rated``, ``not_yet`` (not served yet) or ``closed``."""
        with self.queue.db.read() as conn:
            row = self._ticket_by_code(conn, track_code)
            if self._rated(conn, row.id):
                return "rated"
        if row.status in (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING):
            return "not_yet"
        if row.status != TicketStatus.DONE or not self._track_window_open(row.day):
            return "closed"
        return "open"

    def officer_tally(self, officer_id: int, day: date | None = None) -> ScoreTally:
        """An officer's ratings of ``day`` (default today), as counts only."""
        day = day or self.queue.today()
        tally = ScoreTally()
        with self.queue.db.read() as conn:
            rows = conn.execute(
                select(Rating.score, Rating.reasons).where(
                    Rating.officer_id == officer_id, Rating.day == day
                )
            )
            for row in rows:
                tally.add(row.score, row.reasons or ())
        return tally

    # ----------------------------------------------------------------- rating
    def rate_at_counter(
        self,
        counter_number: int,
        ticket_id: int,
        score: int,
        reasons: Iterable[str] = (),
        comment: str | None = None,
    ) -> Outcome[RatingReceipt]:
        """The counter's tablet rates the ticket it last saw finished there; a comment
        with "not satisfied" becomes a feedback record linked to the rating."""
        counter = self._counter_id(counter_number)
        chosen = self._check(score, reasons)
        said = rating_comment(self.feedback, score == NOT_SATISFIED, comment)
        now = self.queue.clock.now()

        def fits(conn: Connection, row: Row) -> None:
            last = self._last_finished(conn, counter, now)
            if last is None or last.id != row.id:
                raise InvalidState(
                    _("Ticket {number} can no longer be rated at this counter.").format(
                        number=row.number
                    )
                )

        def find(conn: Connection) -> Row:
            return self._ticket_by_id(conn, ticket_id)

        return recorded(
            self.queue.db,
            lambda: self._store(find, fits, (score, chosen, said), AT_COUNTER, now),
        )

    def rate_by_track_code(
        self,
        track_code: str,
        score: int,
        reasons: Iterable[str] = (),
        comment: str | None = None,
    ) -> Outcome[RatingReceipt]:
        """The citizen rates from the ticket's tracking page (a comment as above)."""
        chosen = self._check(score, reasons)
        said = rating_comment(self.feedback, score == NOT_SATISFIED, comment)

        def fits(conn: Connection, row: Row) -> None:
            if not self._track_window_open(row.day):
                raise InvalidState(_("The time to rate this ticket has passed."))

        def find(conn: Connection) -> Row:
            return self._ticket_by_code(conn, track_code)

        now = self.queue.clock.now()
        return recorded(
            self.queue.db,
            lambda: self._store(find, fits, (score, chosen, said), FROM_TRACKING, now),
        )

    # ----------------------------------------------------------------- helpers
    def _store(
        self,
        find: Callable[[Connection], Row],
        fits: Callable[[Connection, Row], None],
        given: tuple[int, list[str], str | None],
        channel: str,
        now: datetime,
    ) -> Outcome[RatingReceipt]:
        """Insert the rating (score, reasons, comment) of the ticket ``find`` returns,
        if it is done, unrated and ``fits`` the channel's rules."""
        score, reasons, comment = given
        events: list[DomainEvent] = []
        try:
            with self.queue.db.write() as conn:
                row = find(conn)
                if row.status != TicketStatus.DONE:
                    raise InvalidState(_("Only a ticket that has been served can be rated."))
                if self._rated(conn, row.id):
                    raise _already_rated(row.number)
                fits(conn, row)
                rating_id = conn.execute(
                    insert(Rating)
                    .values(
                        ticket_id=row.id,
                        day=row.day,
                        service_id=row.service_id,
                        counter_id=row.counter_id,
                        officer_id=row.officer_id,
                        score=score,
                        reasons=reasons,
                        channel=channel,
                        at=now,
                    )
                    .returning(Rating.id)
                ).scalar_one()
                if comment is not None:
                    zone = self.queue.options.zone
                    link = (row, rating_id, zone)
                    events.append(rating_feedback(conn, self.feedback, link, comment, now))
        except IntegrityError:  # the other of two simultaneous ratings won
            raise _already_rated(None) from None
        # None for a counter deactivated since (no tablet is left there to tell).
        counter = self.queue.catalogue.counter_by_id(row.counter_id) if row.counter_id else None
        receipt = RatingReceipt(row.id, row.number, channel, now, score)
        number = counter.number if counter else None
        rated = TicketRated(ticket_id=row.id, counter=number, channel=channel, at=now)
        return Outcome(receipt, [rated, *events])

    def _check(self, score: int, reasons: Iterable[str]) -> list[str]:
        """The reasons in configured order, without repeats; refuses what does not fit."""
        if score not in SCORES:
            raise Rejected(_("The score must be 3, 2 or 1."))
        given = set(reasons)
        if given and score != NOT_SATISFIED:
            raise Rejected(_("Reasons go only with 'not satisfied'."))
        known = self.config.reason_codes()
        unknown = sorted(given - set(known))
        if unknown:
            raise Rejected(_("Unknown reason: {code}").format(code=unknown[0]))
        return [code for code in known if code in given]

    def _counter_id(self, number: int) -> int:
        counter = self.queue.catalogue.counters.get(number)
        if counter is None:
            raise NotFound(_("Unknown counter: {number}").format(number=number))
        return counter.id

    def _last_finished(self, conn: Connection, counter_id: int, now: datetime) -> Row | None:
        """Today's ticket finished last at the counter, if within the counter window."""
        row = conn.execute(
            select(*RATING_TICKET_COLUMNS)
            .where(
                Ticket.counter_id == counter_id,
                Ticket.status == TicketStatus.DONE,
                Ticket.day == self.queue.today(),
                Ticket.finished_at.is_not(None),
            )
            .order_by(Ticket.finished_at.desc(), Ticket.id.desc())
            .limit(1)
        ).one_or_none()
        window = timedelta(seconds=self.config.counter_window_s)
        if row is None or row.finished_at < now - window:
            return None
        return row

    def _pending(self, row: Row, counter_number: int) -> PendingRating:
        service = self.queue.catalogue.service_by_id(row.service_id)
        return self._make_pending(
            row.id, row.number, service.code, service.name, counter_number, row.finished_at
        )

    def pending_for_finished(
        self, ticket: Mapping[str, Any], finished_at: datetime
    ) -> PendingRating:
        """The question to ask about a ticket just finished at its counter (``ticket``:
        its public view, as in the ``ticket_changed`` event)."""
        return self._make_pending(
            ticket["id"],
            ticket["number"],
            ticket["service"],
            ticket["service_name"],
            ticket["counter"],
            finished_at,
        )

    def _make_pending(
        self,
        ticket_id: int,
        number: str,
        service: str,
        service_name: str,
        counter: int,
        finished_at: datetime,
    ) -> PendingRating:
        return PendingRating(
            ticket_id=ticket_id,
            number=number,
            service=service,
            service_name=service_name,
            counter=counter,
            finished_at=finished_at,
            ask_until=finished_at + timedelta(seconds=self.config.timeout_s),
            open_until=finished_at + timedelta(seconds=self.config.counter_window_s),
        )

    def _track_window_open(self, day: date) -> bool:
        today = self.queue.today()
        return day <= today and (today - day).days <= self.config.track_window_days

    @staticmethod
    def _rated(conn: Connection, ticket_id: int) -> bool:
        found = conn.execute(
            select(func.count()).select_from(Rating).where(Rating.ticket_id == ticket_id)
        ).scalar_one()
        return bool(found)

    @staticmethod
    def _ticket_by_id(conn: Connection, ticket_id: int) -> Row:
        row = conn.execute(
            select(*RATING_TICKET_COLUMNS).where(Ticket.id == ticket_id)
        ).one_or_none()
        if row is None:
            raise NotFound(_("Unknown ticket: {id}").format(id=ticket_id))
        return row

    @staticmethod
    def _ticket_by_code(conn: Connection, track_code: str) -> Row:
        row = conn.execute(
            select(*RATING_TICKET_COLUMNS).where(Ticket.track_code == track_code)
        ).one_or_none()
        if row is None:
            raise NotFound(_("No ticket has this tracking code."))
        return row


def _already_rated(number: str | None) -> InvalidState:
    if number is None:
        return InvalidState(_("This ticket has already been rated. Thank you."))
    return InvalidState(
        _("Ticket {number} has already been rated. Thank you.").format(number=number)
    )
