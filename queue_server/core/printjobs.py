"""Print job records: what the spooler said about each ticket's printing.

The ticket is committed first; the job is queued after, and its state changes are
recorded here as the device worker reports them, so the help desk and the admin can
see "sent" apart from "confirmed" and reprint a ticket that failed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, or_, select, update

from queue_server.core.db import Database
from queue_server.core.models import PrintJobRecord, Ticket


@dataclass(frozen=True, slots=True)
class PrintJobView:
    """A print job as the API shows it."""

    id: str
    ticket_id: int
    kiosk: str
    state: str
    reason: str | None
    detail: str
    attempts: int
    reprint: bool
    awaiting_recovery: bool
    created_at: datetime
    updated_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "ticket_id": self.ticket_id,
            "kiosk": self.kiosk,
            "state": self.state,
            "reason": self.reason,
            "detail": self.detail,
            "attempts": self.attempts,
            "reprint": self.reprint,
            "awaiting_recovery": self.awaiting_recovery,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }


SLIP_JOB_PREFIX = "slip-"
"""Jobs named ``slip-<appointment id>`` print an appointment's slip: they belong to no
ticket, so they are not recorded here (the server that drives the printer keeps their
latest state in memory, ``web/devices.py``)."""


def is_slip_job(job_id: str) -> bool:
    """Whether ``job_id`` prints an appointment slip rather than a ticket."""
    return job_id.startswith(SLIP_JOB_PREFIX)


def ticket_of_job(job_id: str) -> int:
    """Jobs are named ``<ticket id>`` or ``<ticket id>-r<n>`` (reprints)."""
    return int(job_id.split("-", 1)[0])


def record_job(
    db: Database,
    *,
    job_id: str,
    kiosk: str,
    state: str,
    reason: str | None,
    detail: str,
    attempts: int,
    awaiting_recovery: bool,
    at: datetime,
) -> None:
    """Insert or update one job's record (one short transaction)."""
    values = {
        "state": state,
        "reason": reason,
        "detail": detail[:500],
        "attempts": attempts,
        "awaiting_recovery": awaiting_recovery,
        "updated_at": at,
    }
    with db.write() as conn:
        changed = conn.execute(
            update(PrintJobRecord).where(PrintJobRecord.id == job_id).values(**values)
        ).rowcount
        if not changed:
            conn.execute(
                PrintJobRecord.__table__.insert().values(
                    id=job_id,
                    ticket_id=ticket_of_job(job_id),
                    kiosk=kiosk,
                    reprint="-r" in job_id,
                    created_at=at,
                    **values,
                )
            )


def jobs_for_ticket(db: Database, ticket_id: int) -> list[PrintJobView]:
    """Every print job of a ticket, oldest first."""
    with db.read() as conn:
        rows = conn.execute(
            select(PrintJobRecord)
            .where(PrintJobRecord.ticket_id == ticket_id)
            .order_by(PrintJobRecord.created_at, PrintJobRecord.id)
        ).mappings()
        return [
            PrintJobView(
                id=row["id"],
                ticket_id=row["ticket_id"],
                kiosk=row["kiosk"],
                state=row["state"],
                reason=row["reason"],
                detail=row["detail"],
                attempts=row["attempts"],
                reprint=row["reprint"],
                awaiting_recovery=row["awaiting_recovery"],
                created_at=row["created_at"],
                updated_at=row["updated_at"],
            )
            for row in rows
        ]


def abandon_unfinished(db: Database, kiosks: list[str], at: datetime) -> int:
    """Mark the jobs a previous run left waiting as failed (``abandoned``).

    A new spooler knows nothing of them, so they would stay ``queued`` for ever; they
    are never printed late. Returns how many were abandoned.
    """
    if not kiosks:
        return 0
    with db.write() as conn:
        return abandon_jobs_of(conn, kiosks, at)


def abandon_jobs_of(conn: Connection, kiosks: Sequence[str], at: datetime) -> int:
    """In the caller's transaction: the unfinished jobs of ``kiosks`` fail as
    ``abandoned`` (their printer's driver stopped, or changed: nobody prints them)."""
    return conn.execute(
        update(PrintJobRecord)
        .where(
            PrintJobRecord.kiosk.in_(list(kiosks)),
            or_(PrintJobRecord.state == "queued", PrintJobRecord.awaiting_recovery),
        )
        .values(
            state="failed",
            reason="abandoned",
            detail="the printer's driver stopped before it was printed",
            awaiting_recovery=False,
            updated_at=at,
        )
    ).rowcount


def record_missing(db: Database, jobs: Sequence[tuple[str, str]], at: datetime) -> int:
    """Jobs ``(job id, kiosk)`` that no worker recorded, because none drove their
    printer, are recorded as failed (``no_driver``); a job already recorded is left as
    it is (its driver's word wins). Returns how many were recorded."""
    found = 0
    with db.write() as conn:
        known = set(
            conn.execute(
                select(PrintJobRecord.id).where(PrintJobRecord.id.in_([j for j, _ in jobs]))
            ).scalars()
        )
        tickets = set(
            conn.execute(
                select(Ticket.id).where(Ticket.id.in_({ticket_of_job(j) for j, _ in jobs}))
            ).scalars()
        )
        for job_id, kiosk in jobs:
            if job_id in known or ticket_of_job(job_id) not in tickets:
                continue
            conn.execute(
                PrintJobRecord.__table__.insert().values(
                    id=job_id, ticket_id=ticket_of_job(job_id), kiosk=kiosk, state="failed",
                    reason="no_driver", detail="no device worker drove this printer",
                    attempts=0, awaiting_recovery=False, reprint="-r" in job_id,
                    created_at=at, updated_at=at,
                )
            )  # fmt: skip
            known.add(job_id)
            found += 1
    return found


def job_by_id(db: Database, job_id: str) -> PrintJobView | None:
    """One print job by its id, or None."""
    with db.read() as conn:
        row = conn.execute(select(PrintJobRecord.ticket_id).where(PrintJobRecord.id == job_id))
        ticket_id = row.scalar_one_or_none()
    if ticket_id is None:
        return None
    return next((job for job in jobs_for_ticket(db, ticket_id) if job.id == job_id), None)
