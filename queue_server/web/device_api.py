"""What a device worker of its own (``xephang devices``) tells the server.

``POST /api/v1/print-jobs/<job id>``: a print job's new state, recorded as the server's
own worker records it (``core/printjobs.record_job``). ``PUT /api/v1/devices/status``:
the status of the devices it drives, kept for every server process's ``/readyz``.
``POST /api/v1/devices/leases``: claim, renew or release the leases of its devices
(``core/leases.py``). Device tokens only (and the admin).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from flask import Blueprint, Response, jsonify
from pydantic import Field

from queue_server.auth.roles import Role
from queue_server.core.devicereports import store_reports
from queue_server.core.leases import (
    HOLDER_LENGTH,
    KEY_LENGTH,
    Claim,
    claim_leases,
    release_leases,
)
from queue_server.core.printjobs import job_by_id, record_job, ticket_of_job
from queue_server.core.text import Line
from queue_server.i18n import _
from queue_server.web.bodies import Body, parse_body
from queue_server.web.errors import ApiError
from queue_server.web.printing import JOB_ID
from queue_server.web.security import require
from queue_server.web.state import xephang

device_api = Blueprint("device_api", __name__, url_prefix="/api/v1")

KioskName = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,40}$")]
Word = Annotated[str, Field(pattern=r"^[a-z_]{1,20}$")]
Count = Annotated[int, Field(ge=0, le=1_000_000)]
CounterNumber = Annotated[int, Field(ge=1, le=999)]
DeviceName = Annotated[
    Line, Field(pattern=r"^(printer:[A-Za-z0-9_-]{1,40}|led:.{1,76})$", max_length=80)
]  # a kiosk's printer, or an LED bus by its name
LeaseKey = Annotated[Line, Field(min_length=1, max_length=KEY_LENGTH)]
Holder = Annotated[Line, Field(min_length=1, max_length=HOLDER_LENGTH)]
MAX_DEVICES = 200


class PrintJobReport(Body):
    """A print job's state as the device worker's spooler reports it."""

    kiosk: KioskName
    state: Literal["queued", "sent", "confirmed", "failed"]
    reason: Word | None = None
    detail: Annotated[Line, Field(max_length=500)] = ""
    attempts: Annotated[int, Field(ge=0, le=1000)] = 0
    awaiting_recovery: bool = False
    at: Annotated[datetime, Field(strict=False)] | None = None
    if_absent: bool = False  # only if no worker recorded this job (no driver)


class DeviceStatus(Body):
    """One device's status: a printer's or an LED bus's (``/readyz`` shows it)."""

    ok: bool
    state: Word | None = None
    message: Annotated[Line, Field(max_length=200)] = ""
    pending: Count = 0
    awaiting_recovery: Count = 0
    paper_near_end: bool = False
    offline: list[CounterNumber] = Field(default_factory=list, max_length=999)
    counters: list[CounterNumber] = Field(default_factory=list, max_length=999)


class StatusReport(Body):
    """The devices a worker drives now, and those it no longer drives."""

    reporter: Holder
    interval_s: Annotated[float, Field(gt=0, le=600)]
    devices: dict[DeviceName, DeviceStatus] = Field(default_factory=dict, max_length=MAX_DEVICES)
    gone: list[DeviceName] = Field(default_factory=list, max_length=MAX_DEVICES)


class LeaseClaim(Body):
    """One device's lease asked for (see ``core/leases.Claim``)."""

    key: LeaseKey
    take_over: Annotated[int, Field(ge=0, le=2**62)] | None = None
    kiosks: list[KioskName] = Field(default_factory=list, max_length=50)


class LeaseRequest(Body):
    """Claim or renew ``claims`` and release ``release``, for ``holder``."""

    holder: Holder
    ttl_s: Annotated[float, Field(ge=0.3, le=600)]
    claims: list[LeaseClaim] = Field(default_factory=list, max_length=MAX_DEVICES)
    release: list[LeaseKey] = Field(default_factory=list, max_length=MAX_DEVICES)


@device_api.post("/print-jobs/<job_id>")
@require(Role.DEVICE)
def report_print_job(job_id: str) -> Response:
    """Record a print job's new state (the server's own worker records them the same way)."""
    body = parse_body(PrintJobReport)
    state = xephang()
    if not JOB_ID.match(job_id):
        raise ApiError(400, _("A print job id is a ticket id, or one with -r and a number."))
    if body.kiosk not in {k.name for k in state.settings.kiosks if k.printer is not None}:
        message = _("No printer for kiosk {name}.").format(name=body.kiosk)
        raise ApiError(400, message, field="kiosk")
    if body.at is not None and body.at.tzinfo is None:
        raise ApiError(400, _("The time must name its time zone."), field="at")
    database = state.queue.db
    state.queue.ticket(ticket_of_job(job_id))  # 404 for an unknown ticket
    found = job_by_id(database, job_id)
    recorded = not (body.if_absent and found is not None)
    if recorded:
        record_job(
            database,
            job_id=job_id,
            kiosk=body.kiosk,
            state=body.state,
            reason=body.reason,
            detail=body.detail,
            attempts=body.attempts,
            awaiting_recovery=body.awaiting_recovery,
            at=body.at or state.queue.clock.now(),
        )
        found = job_by_id(database, job_id)
    assert found is not None
    return jsonify({"job": found.to_dict(), "recorded": recorded})


@device_api.put("/devices/status")
@require(Role.DEVICE)
def report_device_status() -> Response:
    """Keep the status of the devices a worker drives (every process shows it)."""
    body = parse_body(StatusReport)
    state = xephang()
    reports = {name: status.model_dump(exclude_unset=True) for name, status in body.devices.items()}
    store_reports(
        state.queue.db,
        body.reporter,
        reports,
        body.interval_s,
        state.queue.clock.now(),
        [name for name in body.gone if name not in reports],
    )
    return jsonify({"stored": len(reports)})


@device_api.post("/devices/leases")
@require(Role.DEVICE)
def device_leases() -> Response:
    """Claim or renew leases (one transaction), then release those given up."""
    body = parse_body(LeaseRequest)
    state = xephang()
    database, now = state.queue.db, state.queue.clock.now()
    claims = [Claim(c.key, c.take_over, tuple(c.kiosks)) for c in body.claims]
    leases = claim_leases(database, body.holder, claims, body.ttl_s, now)
    released = [key for key in body.release if key not in {c.key for c in claims}]
    release_leases(database, body.holder, released, now)
    return jsonify({"leases": [lease.to_dict() for lease in leases]})
