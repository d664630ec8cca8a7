"""What a kiosk's printer is doing, for the kiosk, the device pages and the admin.

The issue answer carries ``print``: the printer's state as last known before the job
(``ok`` false for a known fault: paper out, cover open, offline; null when unknown) and
the job's id. The kiosk then follows the job at ``GET /api/v1/print-jobs/<id>`` until
it is printed or has failed.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, g, jsonify

from queue_server.auth.roles import Role
from queue_server.core.devicereports import read_reports
from queue_server.core.errors import NotFound
from queue_server.core.printjobs import job_by_id
from queue_server.i18n import _
from queue_server.web.security import require
from queue_server.web.state import xephang

printing_api = Blueprint("printing_api", __name__, url_prefix="/api/v1")

FAULTS = frozenset({"paper_out", "cover_open", "offline"})
JOB_ID = re.compile(r"^[0-9]{1,12}(-r[0-9]{1,4})?$")


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
    job = job_by_id(xephang().queue.db, job_id) if JOB_ID.match(job_id) else None
    if job is None or (principal.role == Role.KIOSK and job.kiosk != principal.name):
        raise NotFound(_("No print job {id}.").format(id=job_id[:20]))
    return jsonify({"job": job.to_dict(), "printer": printer_report(job.kiosk)})
