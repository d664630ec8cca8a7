"""Citizens' feedback (phản ánh, kiến nghị): received → forwarded → answered.

The help desk records what a citizen says at the center; the citizen sends it from the
ticket's tracking page, or adds a few words to a "not satisfied" rating. The manager
forwards it (to a staff account or a named unit) and records the answer. Each step is
one short transaction writing a :class:`FeedbackChanged` event (ids, kind, channel and
status: never the text, the answer or a phone number). A phone number is kept only
when the citizen agrees to be called back with the answer, and deleted on schedule
after the answer (:func:`queue_server.core.contacts.purge_contacts`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.engine import Row

from queue_server.core.clock import local_day
from queue_server.core.contacts import consented_contact
from queue_server.core.context import Outcome, QueueContext
from queue_server.core.errors import InvalidState, NotFound, Rejected
from queue_server.core.events import FeedbackChanged
from queue_server.core.feedback_config import FeedbackConfig
from queue_server.core.models import Feedback, Ticket, User
from queue_server.core.outbox import recorded
from queue_server.core.text import bad_character
from queue_server.i18n import _

HELPDESK, TRACK, RATING = "helpdesk", "track", "rating"
CHANNELS = (HELPDESK, TRACK, RATING)
RECEIVED, FORWARDED, ANSWERED = "received", "forwarded", "answered"
STATUSES = (RECEIVED, FORWARDED, ANSWERED)
MAX_UNIT_CHARS = 120


class TooManyFeedback(Rejected):
    """A ticket has sent as many feedback records as it may."""

    code = "too_many"


@dataclass(frozen=True, slots=True)
class Submission:
    """What a citizen says: kind, text, and a phone number only with consent."""

    kind: str
    text: str
    phone: str | None = None
    consent: bool = False


def clean_text(raw: str, max_chars: int) -> str:
    """``raw`` in NFC without surrounding blanks; :class:`Rejected` when empty, too long
    or holding characters that are not allowed."""
    if bad_character(raw, multiline=True) is not None:
        raise Rejected(_("The text contains characters that are not allowed."))
    text = unicodedata.normalize("NFC", raw).strip()
    if not text:
        raise Rejected(_("Write what the citizen says: the text is empty."))
    if len(text) > max_chars:
        raise Rejected(
            _("The text is too long: at most {count} characters.").format(count=max_chars)
        )
    return text


def check_kind(config: FeedbackConfig, code: str) -> None:
    kind = config.kind(code)
    if kind is None:
        raise NotFound(_("Unknown kind of feedback: {code}").format(code=code[:30]))
    if not kind.active:
        raise Rejected(_("This kind of feedback is no longer recorded: {code}").format(code=code))


def prepared(config: FeedbackConfig, given: Submission) -> tuple[str, str | None]:
    """The clean text and phone number of ``given``, or :class:`Rejected`."""
    check_kind(config, given.kind)
    text = clean_text(given.text, config.max_chars)
    phone = None
    if given.phone is not None and given.phone.strip():
        phone = consented_contact(given.phone, given.consent).phone
    return text, phone


def insert_feedback(
    conn: Connection,
    config: FeedbackConfig,
    values: dict[str, Any],
    now: datetime,
    day: Any,
) -> FeedbackChanged:
    """Insert one received record (``values``: kind, text, channel, recorded_by and
    what is known of service, counter, ticket, rating, phone) in ``conn``'s
    transaction; the event to write with it."""
    row = {
        "day": day,
        "at": now,
        "due_day": config.due_day(day),
        "status": RECEIVED,
        "phone_consented_at": now if values.get("phone") else None,
        **values,
    }
    new_id = conn.execute(insert(Feedback).values(row).returning(Feedback.id)).scalar_one()
    return FeedbackChanged(
        feedback_id=new_id, kind=row["kind"], channel=row["channel"], status=RECEIVED, at=now
    )


def rating_comment(config: FeedbackConfig, not_satisfied: bool, comment: str | None) -> str | None:
    """The clean comment written with a rating, None if none; only 'not satisfied'."""
    if comment is None or not comment.strip():
        return None
    if not not_satisfied:
        raise Rejected(_("A comment goes only with 'not satisfied'."))
    return clean_text(comment, config.max_chars)


def rating_feedback(
    conn: Connection,
    config: FeedbackConfig,
    link: tuple[Any, int, ZoneInfo],
    comment: str,
    now: datetime,
) -> FeedbackChanged:
    """Store a rating's comment as feedback linked to it, in the rating's transaction;
    ``link``: the rated ticket's row (id, service, counter), the rating's id, the zone."""
    ticket, rating_id, zone = link
    values = {
        "kind": config.rating_kind,
        "text": comment,
        "channel": RATING,
        "service_id": ticket.service_id,
        "counter_id": ticket.counter_id,
        "ticket_id": ticket.id,
        "rating_id": rating_id,
        "recorded_by": "citizen",
    }
    return insert_feedback(conn, config, values, now, local_day(now, zone))


class Feedbacks:
    """Recording and handling the feedback of one center."""

    def __init__(self, queue: QueueContext, config: FeedbackConfig | None = None) -> None:
        self.queue = queue
        self.config = config or FeedbackConfig()

    # ----------------------------------------------------------------- commands
    def record(
        self,
        given: Submission,
        *,
        actor: str,
        service: str | None = None,
        counter: int | None = None,
    ) -> Outcome[int]:
        """The help desk records what a citizen says at the center; the new id."""
        text, phone = prepared(self.config, given)
        service_id = self.queue.service_info(service).id if service is not None else None
        counter_id = self.queue.counter_info(counter).id if counter is not None else None
        values = {
            "kind": given.kind,
            "text": text,
            "channel": HELPDESK,
            "service_id": service_id,
            "counter_id": counter_id,
            "recorded_by": actor[:80],
            "phone": phone,
        }
        return recorded(self.queue.db, lambda: self._insert(values))

    def record_from_ticket(self, track_code: str, given: Submission) -> Outcome[int]:
        """The citizen sends feedback from the ticket's tracking page; the ticket's
        service and counter go with it. At most ``per_ticket`` records per ticket."""
        text, phone = prepared(self.config, given)

        def run() -> Outcome[int]:
            with self.queue.db.write() as conn:
                ticket = conn.execute(
                    select(Ticket.id, Ticket.service_id, Ticket.counter_id).where(
                        Ticket.track_code == track_code
                    )
                ).one_or_none()
                if ticket is None:
                    raise NotFound(_("No ticket has this tracking code."))
                sent = conn.execute(
                    select(func.count())
                    .select_from(Feedback)
                    .where(Feedback.ticket_id == ticket.id)
                ).scalar_one()
                if sent >= self.config.per_ticket:
                    raise TooManyFeedback(
                        _("This ticket has already sent {count} messages.").format(count=sent)
                    )
                values = {
                    "kind": given.kind,
                    "text": text,
                    "channel": TRACK,
                    "service_id": ticket.service_id,
                    "counter_id": ticket.counter_id,
                    "ticket_id": ticket.id,
                    "recorded_by": "citizen",
                    "phone": phone,
                }
                return self._insert_in(conn, values)

        return recorded(self.queue.db, run)

    def forward(
        self, feedback_id: int, *, actor: str, user_id: int | None = None, unit: str | None = None
    ) -> Outcome[int]:
        """Forward an unanswered record to a staff account or a named unit."""
        target = _unit(unit)
        if (user_id is None) == (target is None):
            raise Rejected(_("Forward to one staff account or one unit (not both)."))

        def run() -> Outcome[int]:
            now = self.queue.clock.now()
            with self.queue.db.write() as conn:
                row = self._open(conn, feedback_id)
                if user_id is not None:
                    _check_user(conn, user_id)
                conn.execute(
                    update(Feedback)
                    .where(Feedback.id == feedback_id)
                    .values(
                        status=FORWARDED,
                        forwarded_at=now,
                        forwarded_by=actor[:80],
                        forwarded_user_id=user_id,
                        forwarded_unit=target,
                    )
                )
            return _changed(row, FORWARDED, now)

        return recorded(self.queue.db, run)

    def answer(self, feedback_id: int, text: str, *, actor: str) -> Outcome[int]:
        """Record the answer given to the citizen; once per record."""
        answer = clean_text(text, self.config.max_chars)

        def run() -> Outcome[int]:
            now = self.queue.clock.now()
            with self.queue.db.write() as conn:
                row = self._open(conn, feedback_id)
                done = conn.execute(
                    update(Feedback)
                    .where(Feedback.id == feedback_id, Feedback.status != ANSWERED)
                    .values(status=ANSWERED, answered_at=now, answered_by=actor[:80], answer=answer)
                ).rowcount
                if not done:  # answered in between
                    raise _answered(feedback_id)
            return _changed(row, ANSWERED, now)

        return recorded(self.queue.db, run)

    # ----------------------------------------------------------------- helpers
    def _insert(self, values: dict[str, Any]) -> Outcome[int]:
        with self.queue.db.write() as conn:
            return self._insert_in(conn, values)

    def _insert_in(self, conn: Connection, values: dict[str, Any]) -> Outcome[int]:
        now = self.queue.clock.now()
        event = insert_feedback(
            conn, self.config, values, now, local_day(now, self.queue.options.zone)
        )
        return Outcome(event.feedback_id, [event])

    @staticmethod
    def _open(conn: Connection, feedback_id: int) -> Any:
        row = conn.execute(
            select(Feedback.id, Feedback.kind, Feedback.channel, Feedback.status)
            .where(Feedback.id == feedback_id)
            .with_for_update()
        ).one_or_none()
        if row is None:
            raise NotFound(_("Unknown feedback: {id}").format(id=feedback_id))
        if row.status == ANSWERED:
            raise _answered(feedback_id)
        return row


def _unit(unit: str | None) -> str | None:
    if unit is None:
        return None
    if bad_character(unit) is not None:
        raise Rejected(_("The text contains characters that are not allowed."))
    text = unicodedata.normalize("NFC", unit).strip()
    if len(text) > MAX_UNIT_CHARS:
        raise Rejected(
            _("The unit's name is too long: at most {count} characters.").format(
                count=MAX_UNIT_CHARS
            )
        )
    return text or None


def _check_user(conn: Connection, user_id: int) -> None:
    active = conn.execute(select(User.active).where(User.id == user_id)).scalar_one_or_none()
    if not active:
        raise NotFound(_("Unknown staff account: {id}").format(id=user_id))


def _answered(feedback_id: int) -> InvalidState:
    return InvalidState(_("Feedback {id} has already been answered.").format(id=feedback_id))


def _changed(row: Row[Any], status: str, now: datetime) -> Outcome[int]:
    event = FeedbackChanged(
        feedback_id=row.id, kind=row.kind, channel=row.channel, status=status, at=now
    )
    return Outcome(row.id, [event])
