"""Calls for assistance (yêu cầu hỗ trợ): a kiosk or a counter asks for a helper.

A call is raised (``open``) with a reason, taken by one staff member (``accepted``: a
conditional update, so of two at once exactly one wins), then ``closed`` by that same
person with the kind of help given, which stores a help record (:mod:`.assists`) in the
same transaction; or ``cancelled`` by whoever raised it. Each step is one short
transaction writing its event through the outbox. A kiosk has at most one open call,
a counter one per reason: raising again returns the open call (``created`` False).
Nothing about the citizen is kept; of the helper, the role and first name only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError

from queue_server.core import outbox
from queue_server.core.assistance_config import AssistanceConfig
from queue_server.core.assistance_table import AssistanceCall
from queue_server.core.assists import Assists
from queue_server.core.clock import local_day
from queue_server.core.context import Outcome
from queue_server.core.envelope import Envelope
from queue_server.core.errors import InvalidState, NotAllowed, NotFound, Rejected
from queue_server.core.events import (
    AssistanceAccepted,
    AssistanceCancelled,
    AssistanceClosed,
    AssistanceRequested,
)
from queue_server.core.outbox import recorded
from queue_server.i18n import _

Origin = Literal["kiosk", "counter"]
OPEN, ACCEPTED, CLOSED, CANCELLED = "open", "accepted", "closed", "cancelled"
LIVE = (OPEN, ACCEPTED)
TABLE = AssistanceCall.__table__


@dataclass(frozen=True, slots=True)
class CallView:
    """A call as staff see it; ``created`` is False when raising found it open already."""

    id: int
    origin: str
    kiosk: str | None
    counter: int | None
    reason: str
    status: str
    raised_at: datetime
    manager: bool = False  # the reason alerts the manager too
    accepted_at: datetime | None = None
    taker_role: str | None = None
    taker_name: str | None = None
    ended_at: datetime | None = None
    help_kind: str | None = None
    assist_id: int | None = None
    created: bool = True

    def to_dict(self) -> dict[str, Any]:
        """The public view (every field; none is about the citizen)."""
        return {
            "id": self.id,
            "origin": self.origin,
            "kiosk": self.kiosk,
            "counter": self.counter,
            "reason": self.reason,
            "status": self.status,
            "manager": self.manager,
            "raised_at": self.raised_at.isoformat(),
            "accepted_at": _iso(self.accepted_at),
            "taken_by": (
                {"role": self.taker_role, "name": self.taker_name} if self.taker_role else None
            ),
            "ended_at": _iso(self.ended_at),
            "help_kind": self.help_kind,
            "assist_id": self.assist_id,
            "created": self.created,
        }


class AssistanceDesk:
    """Raising, taking, closing and cancelling the calls of one center."""

    def __init__(self, assists: Assists, config: AssistanceConfig | None = None) -> None:
        self.assists = assists
        self.queue = assists.queue
        self.config = config or AssistanceConfig()

    # ----------------------------------------------------------------- commands
    def raise_call(
        self,
        origin: Origin,
        reason: str | None = None,
        *,
        raised_by: str,
        kiosk: str | None = None,
        counter: int | None = None,
    ) -> Outcome[CallView]:
        """Open a call from a kiosk (its reason by default the kiosk's) or a counter;
        the open call of the same kiosk (or counter and reason) if there is one."""
        if origin == "kiosk":
            reason = reason or self.config.kiosk_reason
            key = f"kiosk:{raised_by}"
            counter = None
        else:
            if counter is None:
                raise Rejected(_("Choose your counter first."))
            self.queue.counter_info(counter)
            if reason is None:
                raise Rejected(_("Choose a reason for help."))
            key = f"counter:{counter}:{reason}"
            kiosk = None
        self._check_reason(reason)
        values = {
            "origin": origin,
            "kiosk": (kiosk or "")[:80] or None,
            "counter": counter,
            "reason": reason,
            "status": OPEN,
            "raised_by": raised_by[:40],
            "open_key": key[:60],
        }
        return recorded(self.queue.db, lambda: self._insert(values))

    def accept(self, call_id: int, *, taker: str, role: str, name: str) -> Outcome[CallView]:
        """Take an open call: of two at once, one wins; the other gets InvalidState
        naming who took it."""

        def run() -> Outcome[CallView]:
            now = self.queue.clock.now()
            change = {
                "status": ACCEPTED,
                "accepted_at": now,
                "taker": taker[:40],
                "taker_role": role[:20],
                "taker_name": name[:40],
            }
            with self.queue.db.write() as conn:
                if not self._update(conn, call_id, change, TABLE.c.status == OPEN):
                    self._refuse_accept(self._row(conn, call_id))
                view = self._view(self._row(conn, call_id))
            return Outcome(view, [AssistanceAccepted(call=view.to_dict(), at=now)])

        return recorded(self.queue.db, run)

    def close(
        self,
        call_id: int,
        *,
        closer: str,
        role: str,
        help_kind: str | None = None,
        category: str | None = None,
    ) -> Outcome[CallView]:
        """End a call taken by ``closer``, recording the help given (the reason's kind
        unless ``help_kind`` says otherwise) as a help record, in one transaction."""
        made: list[Envelope] = []

        def run() -> Outcome[CallView]:
            now = self.queue.clock.now()
            with self.queue.db.write() as conn:
                row = self._row(conn, call_id)
                self._check_closable(row, closer)
                kind = help_kind or self._reason_kind(row.reason)
                change = {"status": CLOSED, "ended_at": now, "open_key": None, "help_kind": kind}
                guard = (TABLE.c.status == ACCEPTED) & (TABLE.c.taker == closer)
                if not self._update(conn, call_id, change, guard):  # changed meanwhile
                    self._check_closable(self._row(conn, call_id), closer)
                    raise InvalidState(_("This call for help is already over."))
                record = self.assists.record(kind, role=role, category=category)
                made.extend(record.envelopes)  # written in this transaction
                self._update(conn, call_id, {"assist_id": record.value.id}, None)
                view = self._view(self._row(conn, call_id))
            return Outcome(view, [AssistanceClosed(call=view.to_dict(), at=now)])

        outcome = recorded(self.queue.db, run)
        return replace(outcome, envelopes=[*made, *outcome.envelopes])

    def cancel(self, call_id: int, *, by: str) -> Outcome[CallView]:
        """Withdraw a call that is not over; only whoever raised it may."""

        def run() -> Outcome[CallView]:
            now = self.queue.clock.now()
            change = {"status": CANCELLED, "ended_at": now, "open_key": None}
            guard = TABLE.c.status.in_(LIVE) & (TABLE.c.raised_by == by)
            with self.queue.db.write() as conn:
                if not self._update(conn, call_id, change, guard):
                    row = self._row(conn, call_id)
                    if row.raised_by != by:
                        raise NotAllowed(_("Only whoever asked for help can cancel the call."))
                    raise InvalidState(_("This call for help is already over."))
                view = self._view(self._row(conn, call_id))
            return Outcome(view, [AssistanceCancelled(call=view.to_dict(), at=now)])

        return recorded(self.queue.db, run)

    # ------------------------------------------------------------------ queries
    def get(self, call_id: int) -> CallView:
        with self.queue.db.read() as conn:
            return self._view(self._row(conn, call_id))

    def live_calls(self, conn: Connection) -> list[CallView]:
        """Calls open or taken, oldest first."""
        rows = conn.execute(
            select(AssistanceCall)
            .where(AssistanceCall.status.in_(LIVE))
            .order_by(AssistanceCall.raised_at, AssistanceCall.id)
        )
        return [self._view(row) for row in rows]

    def calls(self, status: str | None = None) -> list[CallView]:
        """Calls open or taken (``status`` None), or those of one status today."""
        with self.queue.db.read() as conn:
            if status is None:
                return self.live_calls(conn)
            query = select(AssistanceCall).where(AssistanceCall.status == status)
            if status not in LIVE:
                query = query.where(AssistanceCall.day == self.queue.today())
            rows = conn.execute(query.order_by(AssistanceCall.raised_at, AssistanceCall.id))
            return [self._view(row) for row in rows]

    def snapshot(self) -> dict[str, Any]:
        """What a staff screen draws from scratch, and ``seq``, the last event it counts."""
        now = self.queue.clock.now()
        with self.queue.db.read() as conn:
            seq = outbox.last_seq(conn)
            calls = [view.to_dict() for view in self.live_calls(conn)]
        return {"at": now.isoformat(), "calls": calls, "seq": seq}

    # ------------------------------------------------------------------ helpers
    def _check_reason(self, code: str) -> None:
        reason = self.config.reason(code)
        if reason is None:
            raise NotFound(_("Unknown reason for help: {code}").format(code=code))
        if not reason.active:
            raise Rejected(_("This reason for help is no longer offered: {code}").format(code=code))

    def _reason_kind(self, code: str) -> str:
        """The kind of help the reason leads to; if the center does not record that kind
        (it replaced the kinds of help), ``other``, else its first kind."""
        reason = self.config.reason(code)
        kinds = self.assists.config.active_kinds()
        codes = [kind.code for kind in kinds]
        for candidate in (reason.help_kind if reason else None, "other"):
            if candidate in codes:
                return candidate
        return codes[0] if codes else "other"

    def _insert(self, values: dict[str, Any]) -> Outcome[CallView]:
        now = self.queue.clock.now()
        row_values = {**values, "raised_at": now, "day": local_day(now, self.queue.options.zone)}
        with self.queue.db.write() as conn:
            existing = self._open(conn, values["open_key"])
            if existing is not None:
                return Outcome(replace(existing, created=False))
            try:
                with conn.begin_nested():  # a savepoint: the other of two at once won
                    new_id = conn.execute(
                        insert(AssistanceCall).values(row_values).returning(AssistanceCall.id)
                    ).scalar_one()
            except IntegrityError:
                existing = self._open(conn, values["open_key"])
                if existing is None:
                    raise
                return Outcome(replace(existing, created=False))
            view = self._view(self._row(conn, new_id))
        return Outcome(view, [AssistanceRequested(call=view.to_dict(), at=now)])

    def _open(self, conn: Connection, key: str) -> CallView | None:
        row = conn.execute(
            select(AssistanceCall).where(AssistanceCall.open_key == key)
        ).one_or_none()
        return None if row is None else self._view(row)

    def _update(self, conn: Connection, call_id: int, values: dict[str, Any], guard: Any) -> bool:
        """Change the call if ``guard`` holds (a single conditional UPDATE)."""
        condition = TABLE.c.id == call_id
        if guard is not None:
            condition = condition & guard
        result = conn.execute(update(AssistanceCall).where(condition).values(values))
        return bool(result.rowcount)

    def _row(self, conn: Connection, call_id: int) -> Row[Any]:
        row = conn.execute(select(AssistanceCall).where(AssistanceCall.id == call_id)).one_or_none()
        if row is None:
            raise NotFound(_("Unknown call for help: {id}").format(id=call_id))
        return row

    def _refuse_accept(self, row: Row[Any]) -> None:
        if row.status == ACCEPTED:
            who = row.taker_name or row.taker_role
            raise InvalidState(
                _("This call for help was already taken by {name}.").format(name=who)
            )
        raise InvalidState(_("This call for help is already over."))

    def _check_closable(self, row: Row[Any], closer: str) -> None:
        if row.status == OPEN:
            raise InvalidState(_("Take the call for help before closing it."))
        if row.status != ACCEPTED:
            raise InvalidState(_("This call for help is already over."))
        if row.taker != closer:
            raise NotAllowed(_("Only whoever took the call for help can close it."))

    def _view(self, row: Row[Any]) -> CallView:
        reason = self.config.reason(row.reason)
        return CallView(
            id=row.id,
            origin=row.origin,
            kiosk=row.kiosk,
            counter=row.counter,
            reason=row.reason,
            status=row.status,
            raised_at=row.raised_at,
            manager=bool(reason and reason.manager),
            accepted_at=row.accepted_at,
            taker_role=row.taker_role,
            taker_name=row.taker_name,
            ended_at=row.ended_at,
            help_kind=row.help_kind,
            assist_id=row.assist_id,
        )


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()
