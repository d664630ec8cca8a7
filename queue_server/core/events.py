"""Domain events returned by every operation and published on the event bus."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar

from queue_server.core.event_base import SECRET_FIELDS as SECRET_FIELDS
from queue_server.core.event_base import CounterView, DomainEvent, TicketView
from queue_server.core.site_events import SiteImported
from queue_server.core.support_events import (
    AppointmentChanged,
    AssistanceAccepted,
    AssistanceCancelled,
    AssistanceClosed,
    AssistanceRequested,
    FeedbackChanged,
    OutreachChanged,
    PaperTicketEntered,
    ResultSlipCollected,
    ResultSlipIssued,
    ResultSlipPostponed,
    SlipPrintRequested,
    VisitClosed,
    VisitRequested,
    VisitScheduled,
)


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


ASSISTANCE_EVENTS = frozenset(
    {"assistance_requested", "assistance_accepted", "assistance_closed", "assistance_cancelled"}
)
"""Events for staff only: never to the hall display or the kiosks (``web/realtime.py``)."""


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
