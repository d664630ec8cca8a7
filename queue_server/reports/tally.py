"""The facts a report reads per ticket, and the tally of a group of tickets."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from queue_server.core.models import TicketStatus
from queue_server.reports.stats import Durations, summarize

HELPDESK_CHANNEL = "helpdesk"  # tickets.channel of a ticket issued at the help desk


@dataclass(frozen=True)
class TicketFacts:
    """What a report needs to know about one ticket.

    ``emergency``: the ticket was marked an emergency or its category is an emergency
    category; ``vulnerable``: it has a priority category that is not an emergency one
    (an emergency alone does not make a citizen vulnerable)."""

    day: date
    local_hour: int
    status: str
    service: str
    service_position: int
    counter: str | None
    counter_number: int | None
    officer: str | None
    category: str | None
    wait_s: float | None
    service_s: float | None
    channel: str = "kiosk"
    emergency: bool = False
    vulnerable: bool = False

    @property
    def from_helpdesk(self) -> bool:
        return self.channel == HELPDESK_CHANNEL


@dataclass
class Tally:
    """Counts and durations of a group of tickets."""

    issued: int = 0
    served: int = 0
    no_show: int = 0
    cancelled: int = 0
    waits_s: list[float] = field(default_factory=list)
    service_times_s: list[float] = field(default_factory=list)

    def add(self, ticket: TicketFacts) -> None:
        self.issued += 1
        self.served += ticket.status == TicketStatus.DONE
        self.no_show += ticket.status == TicketStatus.NO_SHOW
        self.cancelled += ticket.status == TicketStatus.CANCELLED
        if ticket.wait_s is not None:
            self.waits_s.append(ticket.wait_s)
        if ticket.service_s is not None:
            self.service_times_s.append(ticket.service_s)

    def merge(self, other: Tally) -> None:
        """Add ``other``'s tickets to this tally."""
        self.issued += other.issued
        self.served += other.served
        self.no_show += other.no_show
        self.cancelled += other.cancelled
        self.waits_s.extend(other.waits_s)
        self.service_times_s.extend(other.service_times_s)

    @classmethod
    def merged(cls, tallies: Iterable[Tally]) -> Tally:
        """One tally of every ticket of ``tallies``."""
        result = cls()
        for tally in tallies:
            result.merge(tally)
        return result

    @property
    def wait(self) -> Durations:
        """Issue → first call, for every ticket that was called."""
        return summarize(self.waits_s)

    @property
    def service_time(self) -> Durations:
        """Start of service (serving, else called) → finished, for served tickets."""
        return summarize(self.service_times_s)

    def as_json(self) -> dict[str, Any]:
        """Counts, and waits and service times in seconds (``None``: nothing measured)."""
        return {
            "issued": self.issued,
            "served": self.served,
            "no_show": self.no_show,
            "cancelled": self.cancelled,
            "wait_s": durations_json(self.wait),
            "service_time_s": durations_json(self.service_time),
        }


def durations_json(durations: Durations) -> dict[str, Any]:
    """``{"count", "mean", "median", "p90"}`` in seconds, one decimal."""
    return {
        "count": durations.count,
        "mean": _rounded(durations.mean),
        "median": _rounded(durations.median),
        "p90": _rounded(durations.p90),
    }


def _rounded(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds, 1)
