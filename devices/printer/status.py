"""Printer state from ``DLE EOT n`` answers, and the outcome of printing one ticket."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum

from xephang.i18n import N_, translate


class PrinterState(Enum):
    ONLINE = "online"
    PAPER_NEAR_END = "paper_near_end"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"
    UNKNOWN = "unknown"


class FailureReason(Enum):
    OFFLINE = "offline"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    TIMEOUT = "timeout"
    ERROR = "error"
    EXPIRED = "expired"  # older than ``retry.abandon_after_s``: never printed late
    ABANDONED = "abandoned"  # still waiting when the spooler (the server) stopped


# Untranslated message ids; `PrinterStatus.message` translates on demand.
READY = N_("Printer is ready")
OFFLINE = N_("Printer is offline")
PAPER_OUT = N_("Printer is out of paper")
PAPER_LOW = N_("Paper is running low")
COVER_OPEN = N_("Printer cover is open")
ERROR = N_("Printer reports an error")
NO_ANSWER = N_("Printer does not answer status queries")
NO_STATUS = N_("This printer cannot report its status")
NOT_CONFIRMED = N_("Printing was not confirmed by the printer")
FAILED = N_("Printing failed")
NO_DRIVER = N_("Printer driver is not available: {detail}")


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class PrinterStatus:
    """What the printer said (or why it said nothing).

    ``reason`` is an English message id; ``message()`` gives it in the current language.
    ``detail`` is technical text for logs (exception text, raw bytes).
    """

    state: PrinterState
    reason: str
    detail: str = ""
    checked_at: datetime = field(default_factory=_now)

    @property
    def can_print(self) -> bool:
        return self.state in (PrinterState.ONLINE, PrinterState.PAPER_NEAR_END)

    @property
    def paper_near_end(self) -> bool:
        return self.state is PrinterState.PAPER_NEAR_END

    def message(self, language: str | None = None) -> str:
        return translate(self.reason, language).format(detail=self.detail)

    def failure_reason(self) -> FailureReason:
        """The job failure this state stands for (only meaningful when not printable)."""
        return {
            PrinterState.PAPER_OUT: FailureReason.PAPER_OUT,
            PrinterState.COVER_OPEN: FailureReason.COVER_OPEN,
            PrinterState.OFFLINE: FailureReason.OFFLINE,
        }.get(
            self.state, FailureReason.TIMEOUT if self.reason == NO_ANSWER else FailureReason.ERROR
        )


def valid_answer(byte: int) -> bool:
    """Real-time status bytes have bits 1 and 4 set and bits 0 and 7 clear."""
    return byte & 0b1001_0011 == 0b0001_0010


def decode_status(printer: int, offline_cause: int | None, paper: int | None) -> PrinterStatus:
    """Combine answers to ``DLE EOT 1`` (printer), ``2`` (offline cause) and ``4`` (paper)."""
    raw = " ".join(f"{b:02x}" for b in (printer, offline_cause, paper) if b is not None)
    if paper is not None and paper & 0x60 == 0x60:
        return PrinterStatus(PrinterState.PAPER_OUT, PAPER_OUT, raw)
    if offline_cause is not None:
        if offline_cause & 0x04:
            return PrinterStatus(PrinterState.COVER_OPEN, COVER_OPEN, raw)
        if offline_cause & 0x20:
            return PrinterStatus(PrinterState.PAPER_OUT, PAPER_OUT, raw)
        if offline_cause & 0x40:
            return PrinterStatus(PrinterState.OFFLINE, ERROR, raw)
    if printer & 0x08:
        return PrinterStatus(PrinterState.OFFLINE, OFFLINE, raw)
    if paper is not None and paper & 0x0C == 0x0C:
        return PrinterStatus(PrinterState.PAPER_NEAR_END, PAPER_LOW, raw)
    return PrinterStatus(PrinterState.ONLINE, READY, raw)


class Outcome(Enum):
    CONFIRMED = "confirmed"
    SENT = "sent"
    """The bytes left, but the printer cannot report whether it printed (file, CUPS)."""
    FAILED = "failed"


@dataclass(frozen=True)
class PrintOutcome:
    """Result of one attempt to print one ticket."""

    outcome: Outcome
    reason: FailureReason | None = None
    status: PrinterStatus | None = None
    bytes_sent: int = 0
    detail: str = ""

    @property
    def confirmed(self) -> bool:
        return self.outcome is Outcome.CONFIRMED

    @property
    def failed(self) -> bool:
        return self.outcome is Outcome.FAILED
