"""An event as it travels from the outbox to screens and device workers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from queue_server.core.events import DomainEvent, event_type_named


@dataclass(frozen=True, slots=True)
class Envelope:
    """An event as it travels: wire name, sequence number, JSON-ready public payload,
    and ``private``, what a ticket printer gets when it differs (the tracking code)."""

    name: str
    seq: int
    payload: dict[str, Any]
    private: dict[str, Any] | None = None
    event: DomainEvent | None = None  # None for an envelope read back or received

    @classmethod
    def of(cls, event: DomainEvent, seq: int) -> Envelope:
        payload = event.payload()
        if type(event).device_payload is DomainEvent.device_payload:
            return cls(event.name, seq, payload, None, event)  # the same for devices
        device = event.device_payload()
        return cls(event.name, seq, payload, None if device == payload else device, event)

    @property
    def event_type(self) -> type[DomainEvent] | None:
        """The event's class: for one read back or received, the class its name is
        registered under in ``core/events.py`` (None: no event type has that name)."""
        return type(self.event) if self.event is not None else event_type_named(self.name)

    def message(self) -> dict[str, Any]:
        """The payload with its sequence number, as sent to screens."""
        return {**self.payload, "seq": self.seq}

    @property
    def device_payload(self) -> dict[str, Any]:
        """The payload as the device worker gets it: with what it prints."""
        return self.private if self.private is not None else self.payload

    def device_message(self) -> dict[str, Any]:
        """:attr:`device_payload` with the sequence number (``/devices`` workers)."""
        return {**self.device_payload, "seq": self.seq}
