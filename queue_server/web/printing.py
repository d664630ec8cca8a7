"""What a kiosk's printer is doing, for the kiosk, the device pages and the admin.

The issue answer carries ``print``: the printer's state as last known before the job
(``ok`` false for a known fault: paper out, cover open, offline; null when unknown) and
the job's id. The kiosk then follows the job at ``GET /api/v1/print-jobs/<id>`` until
it is printed or has failed. An appointment slip's job (``slip-<appointment id>``) is
known only to the server whose device worker prints it (kept in memory, not stored).
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, g, jsonify

from queue_server.auth.roles import Role
from queue_server.core.devicereports import read_reports
from queue_server.core.errors import NotFound
from queue_server.core.printjobs import SLIP_JOB_PREFIX, job_by_id
from queue_server.i18n import _
from queue_server.web.security import require
from queue_server.web.state import xephang

printing_api = Blueprint("printing_api", __name__, url_prefix="/api/v1")

FAULTS = frozenset({"paper_out", "cover_open", "offline"})
JOB_ID = re.compile(r"^[0-9]{1,12}(-r[0-9]{1,4})?$")
SLIP_JOB_ID = re.compile(r"^slip-[0-9]{1,12}$")


def _spooler(kiosk: str) -> Any:
    worker = xephang().device_worker
    return worker.devices.spoolers.get(kiosk) if worker is not None else None


def printer_report(kiosk: str) -> dict[str, Any] | None:
    """The printer of ``kiosk`` as this server last heard it, in the request's language;
    else as the worker that drives it reported it (a report not stale), in that
    worker's language (None: no worker drives it)."""
    spooler = _spooler(kiosk)
    if spooler is None:
        return _reported(kiosk)
    status = spooler.status()
    printer = status.printer
    state = printer.state.value if printer is not None else "unknown"
    return {
        "state": state,
        "ok": None if state == "unknown" else state not in FAULTS,
        "message": printer.message() if printer is not None else _("Not checked yet"),
        "pending": status.pending,
        "awaiting_recovery": status.awaiting_recovery,
    }


def _reported(kiosk: str) -> dict[str, Any] | None:
    state = xephang()
    now = state.queue.clock.now()
    found = read_reports(state.queue.db, f"printer:{kiosk}")
    if not found or found[0].stale(now):
        return None
    body = found[0].body
    printer_state = str(body.get("state") or "unknown")
    return {
        "state": printer_state,
        "ok": None if printer_state == "unknown" else printer_state not in FAULTS,
        "message": str(body.get("message") or _("Not checked yet")),
        "pending": int(body.get("pending") or 0),
        "awaiting_recovery": int(body.get("awaiting_recovery") or 0),
    }


def print_answer(kiosk: str | None, job_id: str) -> dict[str, Any] | None:
    """The ``print`` field of an issue answer (None: this ticket is not printed)."""
    if kiosk is None:
        return None
    report = printer_report(kiosk) or {"state": "unknown", "ok": None}
    return {"kiosk": kiosk, "job": job_id, "state": report["state"], "ok": report["ok"]}


@printing_api.get("/print-jobs/<job_id>")
@require(Role.KIOSK, Role.HELPDESK)
def print_job(job_id: str) -> Response:
    """One print job and its printer now; a kiosk sees only its own jobs."""
    principal = g.principal
    if SLIP_JOB_ID.match(job_id):
        kiosk, job_data = _slip_job(job_id)
    else:
        job = job_by_id(xephang().queue.db, job_id) if JOB_ID.match(job_id) else None
        kiosk, job_data = (job.kiosk, job.to_dict()) if job is not None else ("", None)
    if job_data is None or (principal.role == Role.KIOSK and kiosk != principal.name):
        raise NotFound(_("No print job {id}.").format(id=job_id[:20]))
    return jsonify({"job": job_data, "printer": printer_report(kiosk)})


def _slip_job(job_id: str) -> tuple[str, dict[str, Any] | None]:
    """An appointment slip's job as this server's device worker last reported it (a
    slip printed by another process's worker is not known here: 404)."""
    recorder = xephang().print_jobs
    found = recorder.slip_job(job_id) if recorder is not None else None
    if found is None:
        return "", None
    kiosk, job = found
    return kiosk, {
        "id": job.id,
        "ticket_id": None,
        "appointment_id": int(job.id.removeprefix(SLIP_JOB_PREFIX)),
        "kiosk": kiosk,
        "state": job.state.value,
        "reason": job.reason.value if job.reason else None,
        "detail": job.detail,
        "attempts": job.attempts,
        "reprint": job.reprint,
        "awaiting_recovery": job.awaiting_recovery,
        "created_at": job.created_at.isoformat(),
        "updated_at": job.updated_at.isoformat(),
    }
