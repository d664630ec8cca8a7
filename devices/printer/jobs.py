"""A print job as a spooler reports it, and what a spooler says about its printer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import TypedDict

from .printout import Printout
from .status import FailureReason, PrinterState, PrinterStatus


class JobState(Enum):
    QUEUED = "queued"
    SENT = "sent"
    CONFIRMED = "confirmed"
    FAILED = "failed"


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # the times of a job made without a clock


@dataclass(frozen=True)
class PrintJob:
    """A snapshot of one job. ``state`` SENT is final for printers that cannot confirm."""

    id: str
    printout: Printout
    state: JobState
    attempts: int = 0
    reason: FailureReason | None = None
    detail: str = ""
    reprint: bool = False
    created_at: datetime = EPOCH
    updated_at: datetime = EPOCH
    awaiting_recovery: bool = False

    @property
    def done(self) -> bool:
        return self.state is JobState.CONFIRMED or (
            self.state in (JobState.FAILED, JobState.SENT) and not self.awaiting_recovery
        )


class JobChanges(TypedDict, total=False):
    """The fields of a ``PrintJob`` the spooler changes as the job goes on."""

    state: JobState
    attempts: int
    reason: FailureReason | None
    detail: str
    awaiting_recovery: bool


@dataclass(frozen=True)
class SpoolerStatus:
    """What the server shows about a printer."""

    printer: PrinterStatus | None
    pending: int
    awaiting_recovery: int

    @property
    def paper_near_end(self) -> bool:
        return self.printer is not None and self.printer.state is PrinterState.PAPER_NEAR_END
