"""Domain events returned by every operation and published on the event bus."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, ClassVar

from queue_server.core.plain import field_names, plain

SECRET_FIELDS = frozenset({"track_code"})


@dataclass(frozen=True, slots=True)
class TicketView:
    """A ticket as the core returns it.

    ``track_code`` is a bearer secret (whoever holds it may follow and rate the ticket):
    :meth:`to_dict` is the public view that screens, staff and the API get;
    :meth:`to_private_dict` adds the code, only for the citizen (the answer to the
    issuing request) and the device worker that prints the ticket's QR code.
    """

    id: int
    number: str
    service: str
    service_name: str
    status: str
    issued_at: datetime
    priority: str | None = None
    emergency: bool = False
    counter: int | None = None
    called_at: datetime | None = None
    recall_count: int = 0
    track_code: str = ""
    ahead: int = 0
    estimated_wait_s: int | None = None
    channel: str = "kiosk"

    def to_dict(self) -> dict[str, Any]:
        """The public view: everything but the tracking code."""
        data = self.to_private_dict()
        for name in SECRET_FIELDS:
            del data[name]
        return data

    def to_private_dict(self) -> dict[str, Any]:
        """With the tracking code: for the citizen and the ticket printer only."""
        data = {name: getattr(self, name) for name in field_names(TicketView)}
        for name in ("issued_at", "called_at"):  # the only non-JSON fields
            if data[name] is not None:
                data[name] = data[name].isoformat()
        return data


@dataclass(frozen=True, slots=True)
class CounterView:
    """A counter's public state."""

    number: int
    name: str
    status: str
    current: TicketView | None = None
    services: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = {
            "number": self.number,
            "name": self.name,
            "status": self.status,
            "services": list(self.services),
            "current": self.current.to_dict() if self.current else None,
        }
        return data


@dataclass(frozen=True, slots=True)
class DomainEvent:
    """Base class: ``name`` is the event's wire name."""

    name: ClassVar[str] = "event"
    at: datetime = field(kw_only=True)

    def payload(self) -> dict[str, Any]:
        """What screens, staff and display tokens may see (no tracking code)."""
        return plain(self)

    def device_payload(self) -> dict[str, Any]:
        """What the device worker gets: the payload plus what it prints (the code)."""
        return self.payload()


@dataclass(frozen=True, slots=True)
class TicketIssued(DomainEvent):
    name: ClassVar[str] = "ticket_issued"
    ticket: TicketView
    kiosk: str | None = None
    public_url: str | None = None  # where the ticket's QR code points (unset: the config's)

    def payload(self) -> dict[str, Any]:
        data = {"ticket": self.ticket.to_dict(), "kiosk": self.kiosk, "at": self.at.isoformat()}
        if self.public_url:
            data["public_url"] = self.public_url
        return data

    def device_payload(self) -> dict[str, Any]:
        return {**self.payload(), "ticket": self.ticket.to_private_dict()}


@dataclass(frozen=True, slots=True)
class PrintRequested(DomainEvent):
    """Print a ticket (again) on a kiosk's printer."""

    name: ClassVar[str] = "print_requested"
    ticket: TicketView
    kiosk: str
    job_id: str
    public_url: str | None = None  # where the ticket's QR code points (unset: the config's)

    def payload(self) -> dict[str, Any]:
        data = {
            "ticket": self.ticket.to_dict(),
            "kiosk": self.kiosk,
            "job_id": self.job_id,
            "at": self.at.isoformat(),
        }
        if self.public_url:
            data["public_url"] = self.public_url
        return data

    def device_payload(self) -> dict[str, Any]:
        return {**self.payload(), "ticket": self.ticket.to_private_dict()}


@dataclass(frozen=True, slots=True)
class TicketCalled(DomainEvent):
    """A ticket was called (or called again) to a counter."""

    name: ClassVar[str] = "ticket_called"
    ticket: TicketView
    counter: int
    counter_name: str
    recall: bool = False

    def payload(self) -> dict[str, Any]:
        return {
            "ticket_id": self.ticket.id,
            "number": self.ticket.number,
            "counter": self.counter,
            "counter_name": self.counter_name,
            "service": self.ticket.service,
            "priority": self.ticket.priority,
            "recall": self.recall,
            "at": self.at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class TicketChanged(DomainEvent):
    """A ticket changed state other than by a call (served, finished, transferred …)."""

    name: ClassVar[str] = "ticket_changed"
    ticket: TicketView
    action: str

    def payload(self) -> dict[str, Any]:
        return {"ticket": self.ticket.to_dict(), "action": self.action, "at": self.at.isoformat()}


@dataclass(frozen=True, slots=True)
class QueueChanged(DomainEvent):
    """How many people wait for a service now."""

    name: ClassVar[str] = "queue_changed"
    service: str
    waiting: int


@dataclass(frozen=True, slots=True)
class CounterChanged(DomainEvent):
    """A counter's status or current ticket changed."""

    name: ClassVar[str] = "counter_changed"
    counter: CounterView

    def payload(self) -> dict[str, Any]:
        return {**self.counter.to_dict(), "at": self.at.isoformat()}


@dataclass(frozen=True, slots=True)
class SettingsChanged(DomainEvent):
    """The admin changed settings; screens and devices redraw or rebuild ``sections``."""

    name: ClassVar[str] = "settings_changed"
    sections: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TicketRated(DomainEvent):
    """A ticket was rated. No score: the officer's screens must not learn it."""

    name: ClassVar[str] = "ticket_rated"
    ticket_id: int
    counter: int | None
    channel: str


@dataclass(frozen=True, slots=True)
class AssistRecorded(DomainEvent):
    """A help record was stored: its kind and category, nothing about the person."""

    name: ClassVar[str] = "assist_recorded"
    assist_id: int
    kind: str
    category: str | None
    service: str | None


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


ASSISTANCE_EVENTS = frozenset(
    {"assistance_requested", "assistance_accepted", "assistance_closed", "assistance_cancelled"}
)
"""Events for staff only: never to the hall display or the kiosks (``web/realtime.py``)."""


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


from queue_server.core.site_events import SiteImported  # noqa: E402  (uses DomainEvent)

EVENT_TYPES: Mapping[str, type[DomainEvent]] = MappingProxyType(
    {
        event_type.name: event_type
        for event_type in (
            TicketIssued,
            PrintRequested,
            TicketCalled,
            TicketChanged,
            QueueChanged,
            CounterChanged,
            SettingsChanged,
            TicketRated,
            AssistRecorded,
            VisitRequested,
            VisitScheduled,
            VisitClosed,
            FeedbackChanged,
            ResultSlipIssued,
            ResultSlipPostponed,
            ResultSlipCollected,
            AssistanceRequested,
            AssistanceAccepted,
            AssistanceClosed,
            AssistanceCancelled,
            AppointmentChanged,
            OutreachChanged,
            PaperTicketEntered,
            SlipPrintRequested,
            SiteImported,
        )
    }
)
"""Every event type by its wire name: the one registry that maps a name received over
Socket.IO back to its class (``tests/core/test_event_types.py`` checks it is complete)."""


def event_type_named(name: str) -> type[DomainEvent] | None:
    """The event type whose wire name is ``name`` (None: no event is so named)."""
    return EVENT_TYPES.get(name)
