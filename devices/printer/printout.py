"""What a ticket shows: plain values only, no database objects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class TicketPrintout:
    """Everything printed on one ticket.

    ``issued_at`` is an aware datetime already in the center's local time; ``language`` is
    the language of the printed labels (``vi`` by default).
    """

    center_name: str
    number: str
    service_name: str
    issued_at: datetime
    ahead: int
    estimated_wait_s: int | None = None
    service_name_alt: str | None = None
    priority_label: str | None = None
    track_url: str | None = None
    footer: str | None = None
    language: str = "vi"
    heading: str | None = None
    """Replaces the default heading above the number (used by the test ticket)."""
    second_language: str | None = None
    """The center's second language: the fixed lines are printed in it too, smaller."""

    def __post_init__(self) -> None:
        if self.issued_at.tzinfo is None:
            raise ValueError("issued_at must be timezone-aware (the center's local time)")
        if self.ahead < 0:
            raise ValueError("ahead cannot be negative")


@dataclass(frozen=True)
class SlipPrintout:
    """Everything printed on an appointment slip (giấy hẹn) booked at a kiosk.

    ``slot_start`` and ``slot_end`` are aware datetimes in the center's local time;
    ``code_shown`` is the appointment code as the citizen types it (``K7MX-4RPA``).
    """

    center_name: str
    service_name: str
    slot_start: datetime
    slot_end: datetime
    code_shown: str
    bring: str = ""
    slip_url: str | None = None
    language: str = "vi"

    def __post_init__(self) -> None:
        if self.slot_start.tzinfo is None or self.slot_end.tzinfo is None:
            raise ValueError("the slot must be timezone-aware (the center's local time)")

    @property
    def number(self) -> str:
        """What names this printout in logs and the virtual twin's files."""
        return f"hen-{self.code_shown}"


Printout = TicketPrintout | SlipPrintout
"""What a kiosk's printer prints: a ticket or an appointment slip."""
