"""What every event is built on: the base class and the ticket and counter views events
carry. Kept apart so that event modules (:mod:`.events`, :mod:`.support_events`,
:mod:`.site_events`) import it without importing each other."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
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
