"""Events of the work beyond the counter and away from it: home visits, feedback, result
and appointment slips, calls for assistance, outreach sessions, paper tickets. Kept apart
from :mod:`.events` for size; that module imports them into the one registry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from queue_server.core.event_base import DomainEvent, TicketView
from queue_server.core.plain import plain


@dataclass(frozen=True, slots=True)
class VisitRequested(DomainEvent):
    """A home visit was asked for by phone: service and category, never the phone or
    address."""

    name: ClassVar[str] = "visit_requested"
    visit_id: int
    service: str
    category: str | None


@dataclass(frozen=True, slots=True)
class VisitScheduled(DomainEvent):
    """A home visit got (or moved to) a day, window and officers (user ids);
    ``rescheduled`` when an outcome moved it."""

    name: ClassVar[str] = "visit_scheduled"
    visit_id: int
    day: str  # ISO date
    window_start: str
    window_end: str
    officers: tuple[int, ...]
    rescheduled: bool = False


@dataclass(frozen=True, slots=True)
class VisitClosed(DomainEvent):
    """A home visit was closed: done, not at home or cancelled."""

    name: ClassVar[str] = "visit_closed"
    visit_id: int
    outcome: str
    day: str | None  # the visit day (ISO), None for a request cancelled before one


@dataclass(frozen=True, slots=True)
class FeedbackChanged(DomainEvent):
    """A feedback record was received, forwarded or answered: its id, kind, channel and
    status only (never its text, answer or phone number)."""

    name: ClassVar[str] = "feedback_changed"
    feedback_id: int
    kind: str
    channel: str
    status: str


@dataclass(frozen=True, slots=True)
class ResultSlipIssued(DomainEvent):
    """A result slip was given for a served ticket. Never its code (a bearer secret)."""

    name: ClassVar[str] = "result_slip_issued"
    slip_id: int
    ticket_id: int
    service: str
    counter: int | None
    ready_on: str  # ISO date


@dataclass(frozen=True, slots=True)
class ResultSlipPostponed(DomainEvent):
    """A slip's ready date was moved (the result is late): the new date and the reason."""

    name: ClassVar[str] = "result_slip_postponed"
    slip_id: int
    service: str
    ready_on: str  # ISO date
    reason: str


@dataclass(frozen=True, slots=True)
class ResultSlipCollected(DomainEvent):
    """A "receive results" ticket was issued with a slip's code: the slip is collected."""

    name: ClassVar[str] = "result_slip_collected"
    slip_id: int
    service: str
    ticket_id: int  # the "receive results" ticket


@dataclass(frozen=True, slots=True)
class AssistanceRequested(DomainEvent):
    """A call for assistance was raised. ``call`` is its public view (where it comes
    from, why, since when; the role and first name of who took it, once taken; never
    anything about the citizen). Like the three below, published to staff only (the
    ``/assistance`` and ``/officer`` namespaces), never to ``/display``."""

    name: ClassVar[str] = "assistance_requested"
    call: dict[str, Any]


@dataclass(frozen=True, slots=True)
class AssistanceAccepted(DomainEvent):
    """Someone took the call."""

    name: ClassVar[str] = "assistance_accepted"
    call: dict[str, Any]


@dataclass(frozen=True, slots=True)
class AssistanceClosed(DomainEvent):
    """Closed by who took it; ``call["help_kind"]`` is the help recorded."""

    name: ClassVar[str] = "assistance_closed"
    call: dict[str, Any]


@dataclass(frozen=True, slots=True)
class AssistanceCancelled(DomainEvent):
    """Withdrawn by who raised it."""

    name: ClassVar[str] = "assistance_cancelled"
    call: dict[str, Any]


@dataclass(frozen=True, slots=True)
class PaperTicketEntered(DomainEvent):
    """A paper ticket of an outage was entered afterwards: history, never a call (not a
    screen event, so the hall display neither shows nor speaks it)."""

    name: ClassVar[str] = "paper_ticket_entered"
    ticket: TicketView
    counter: int | None

    def payload(self) -> dict[str, Any]:
        return {"ticket": self.ticket.to_dict(), "counter": self.counter, "at": self.at.isoformat()}


@dataclass(frozen=True, slots=True)
class AppointmentChanged(DomainEvent):
    """An appointment was booked, checked in (on time or late) or cancelled: its service,
    slot, channel and new status; never its code (a bearer secret) nor anything personal."""

    name: ClassVar[str] = "appointment_changed"
    appointment_id: int
    service: str
    slot_start: datetime
    channel: str
    status: str
    ticket_id: int | None = None


@dataclass(frozen=True, slots=True)
class OutreachChanged(DomainEvent):
    """Outreach sessions were created, updated or cancelled: screens redraw their line."""

    name: ClassVar[str] = "outreach_changed"
    session_ids: tuple[int, ...]
    change: str


@dataclass(frozen=True, slots=True)
class SlipPrintRequested(DomainEvent):
    """Print the slip of an appointment just booked at a kiosk on that kiosk's printer.

    The public payload says which appointment, service, slot and print job; only the
    device worker's payload carries the code (a bearer secret) and what to bring.
    """

    name: ClassVar[str] = "slip_print_requested"
    appointment_id: int
    kiosk: str
    job_id: str
    service: str
    service_name: str
    slot_start: datetime
    slot_end: datetime
    appointment_code: str
    bring: str = ""
    public_url: str | None = None  # where the slip's QR code points (unset: the config's)

    def payload(self) -> dict[str, Any]:
        data = self.device_payload()
        for name in ("appointment_code", "service_name", "bring", "public_url"):
            del data[name]
        return data

    def device_payload(self) -> dict[str, Any]:
        return plain(self)
