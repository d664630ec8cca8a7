"""The embedded device worker and the pages that show the virtual twins.

``/devices/printer`` shows the tickets the virtual printers printed (PNG), and
``/devices/leds`` what each virtual LED board shows, decoded from the same bytes a
real board would receive (templates in ``display/templates/devices/``, scripts in
``display/static/js/devices-*.js``). Staff only: a printed ticket carries its tracking
code as a QR code, so the printer pages are for the administrator; the boards (numbers
only) for any signed-in staff member.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    jsonify,
    render_template,
    request,
    send_from_directory,
    url_for,
)

from queue_server.auth.roles import Role
from queue_server.core.db import Database
from queue_server.core.printjobs import is_slip_job, record_job
from queue_server.i18n import _
from queue_server.web.audio import audio
from queue_server.web.device_scan import CHECK_JOB_PREFIX, scan_pages
from queue_server.web.errors import ApiError
from queue_server.web.kiosk_voice import kiosk_voice
from queue_server.web.printing import printer_report
from queue_server.web.security import require, signed_in
from queue_server.web.state import xephang
from queue_server.workers.devices import DeviceWorker, build_devices
from queue_server.workers.leased import DatabaseLink
from xephang.devices.printer import PrintJob
from xephang.devices.printer.status import PrinterState
from xephang.devices.printer.virtual import VirtualPrinter

if TYPE_CHECKING:
    from queue_server.runtime import Runtime

log = logging.getLogger(__name__)

pages = Blueprint("devices", __name__)

BOARD_VIEWERS = (Role.OFFICER, Role.HELPDESK, Role.MANAGER)  # and the admin
RECORDED_HISTORY = 1000  # print jobs whose latest state PrintJobRecorder keeps


class PrintJobRecorder:
    """Writes the spooler's job changes to the database, in order, and lets tests wait."""

    def __init__(self, database: Database, history: int = RECORDED_HISTORY) -> None:
        """``history``: how many jobs' latest states are kept for :meth:`wait_for`."""
        self.database = database
        self.history = history
        self._states: dict[str, str] = {}
        self.slips: dict[str, tuple[str, PrintJob]] = {}  # appointment slips' jobs
        self._changed = threading.Condition()

    def record(self, kiosk: str, job: PrintJob) -> None:
        if job.id.startswith(CHECK_JOB_PREFIX):  # a test ticket (device_scan.py)
            return
        if is_slip_job(job.id):  # an appointment slip: no ticket to record it under
            with self._changed:
                self.slips.pop(job.id, None)
                self.slips[job.id] = (kiosk, job)
                while len(self.slips) > self.history:
                    del self.slips[next(iter(self.slips))]
        else:
            self._record_ticket_job(kiosk, job)
        with self._changed:
            self._states.pop(job.id, None)  # the latest change goes last
            self._states[job.id] = job.state.value
            while len(self._states) > self.history:
                del self._states[next(iter(self._states))]
            self._changed.notify_all()

    def slip_job(self, job_id: str) -> tuple[str, PrintJob] | None:
        """The kiosk and latest state of an appointment slip's job printed here."""
        with self._changed:
            return self.slips.get(job_id)

    def _record_ticket_job(self, kiosk: str, job: PrintJob) -> None:
        record_job(
            self.database,
            job_id=job.id,
            kiosk=kiosk,
            state=job.state.value,
            reason=job.reason.value if job.reason else None,
            detail=job.detail,
            attempts=job.attempts,
            awaiting_recovery=job.awaiting_recovery,
            at=job.updated_at,
        )

    def wait_for(self, job_id: str, state: str, timeout: float = 10.0) -> bool:
        """Block until ``job_id`` was recorded in ``state``."""
        with self._changed:
            return self._changed.wait_for(lambda: self._states.get(job_id) == state, timeout)


def start_embedded_worker(runtime: Runtime) -> Callable[[], None]:
    """Build this server's device worker, feed it from the relay, and report its
    devices' status; returns the function that stops it (the runtime's ``devices``).

    The worker drives only the devices whose lease it holds (``core/leases.py``): of
    several server processes (cluster mode) or a server and ``xephang devices`` on one
    machine, one drives each printer and LED bus. On ``settings_changed`` it takes the
    runtime's new settings and rebuilds the devices that changed, then shows the
    current numbers again.
    """
    queue = runtime.queue
    recorder = PrintJobRecorder(queue.db)
    devices = build_devices(runtime.settings, on_print_job=recorder.record, leased=True)
    worker = DeviceWorker(
        runtime.settings,
        devices,
        settings_source=lambda: runtime.settings,
        snapshot_source=lambda: queue.snapshot(recent=0),
        on_rebuilt=lambda: _report_status(runtime, worker),
        link=DatabaseLink(queue.db, queue.clock),
    )
    runtime.print_jobs = recorder
    runtime.device_worker = worker
    worker.start()
    unsubscribe = runtime.relay.subscribe(worker.handle)
    worker.resync(queue.snapshot(recent=0))
    _report_status(runtime, worker)

    def stop() -> None:
        unsubscribe()
        runtime.device_worker = None
        worker.stop()
        for name in _local_names(runtime):
            del runtime.device_status[name]

    return stop


def _local_names(state: Runtime) -> list[str]:
    return [n for n in state.device_status if n.startswith(("printer:", "led:"))]


def _report_status(state: Runtime, worker: DeviceWorker) -> None:
    """Register a live status check per device the worker drives (for readyz; the
    devices driven by other processes are shown from their stored reports)."""
    driven = set(worker.status_reports())
    for name in _local_names(state):
        if name not in driven:
            del state.device_status[name]
    for name in driven:

        def check(device: str = name) -> dict[str, Any]:
            found = worker.status_reports().get(device)
            return found if found is not None else {"ok": True, "state": "removed"}

        state.device_status[name] = check


def _worker() -> DeviceWorker | None:
    return xephang().device_worker


def _printers() -> list[dict[str, Any]]:
    """Each printer's state in words and its latest tickets, newest first."""
    worker = _worker()
    printers: list[dict[str, Any]] = []
    if worker is None:
        return printers
    for kiosk, spooler in worker.devices.spoolers.items():
        folder = getattr(spooler.printer, "folder", None)
        files = sorted(p.name for p in Path(folder).glob("*.png"))[-24:] if folder else []
        report = printer_report(kiosk) or {}
        printers.append(
            {
                "kiosk": kiosk,
                "status": _printer_line(report),
                "fault": report.get("ok") is False,
                "tickets": [
                    {"name": name, "url": url_for("devices.ticket_png", kiosk=kiosk, name=name)}
                    for name in reversed(files)
                ],
            }
        )
    return printers


@pages.get("/devices/printer")
def printer_page() -> str | Response:
    principal = signed_in()  # the administrator only: the tickets' QR codes
    if isinstance(principal, Response):
        return principal
    texts = {
        "empty": _("No ticket printed yet."),
        "none": _("No virtual printer is configured."),
    }
    return render_template(
        "devices/printer.html",
        lang=xephang().settings.center.language,
        title=_("Virtual printers"),
        printers=_printers(),
        data={"json_url": url_for("devices.printer_json"), "texts": texts},
    )


@pages.get("/devices/printer.json")
def printer_json() -> Any:
    principal = signed_in()  # the administrator only, as the page
    if isinstance(principal, Response):
        return principal
    return jsonify(_printers())


def _printer_line(report: dict[str, Any]) -> str:
    """The printer's state in words, with the jobs waiting."""
    words = str(report.get("message") or _("Not checked yet"))
    if report.get("pending"):
        words += " · " + _("{count} ticket(s) waiting to print").format(count=report["pending"])
    return words


@pages.post("/devices/printer/<kiosk>/state")
@require(Role.ADMIN)
def fake_printer_state(kiosk: str) -> Any:
    """Fake a virtual printer's condition (demo, tests): ``{"state": "paper_out"}``,
    ``"offline"``, ``"cover_open"``, ``"paper_near_end"`` or ``"online"``."""
    worker = _worker()
    spooler = worker.devices.spoolers.get(kiosk) if worker else None
    if spooler is None or not isinstance(spooler.printer, VirtualPrinter):
        raise ApiError(404, _("No virtual printer for kiosk {name}.").format(name=kiosk[:40]))
    wanted = (request.get_json(silent=True) or {}).get("state")
    states = {s.value: s for s in PrinterState if s is not PrinterState.UNKNOWN}
    if wanted not in states:
        raise ApiError(
            400, _("Unknown printer state; use one of: {states}.").format(states=", ".join(states))
        )
    # As a real printer: the spooler learns of it at the next job (or recovery poll).
    spooler.printer.set_state(states[wanted])
    return jsonify({"kiosk": kiosk, "state": wanted})


@pages.get("/devices/printer/<kiosk>/<name>")
def ticket_png(kiosk: str, name: str) -> Any:
    principal = signed_in()
    if isinstance(principal, Response):
        return principal
    worker = _worker()
    spooler = worker.devices.spoolers.get(kiosk) if worker else None
    folder = getattr(spooler.printer, "folder", None) if spooler else None
    if folder is None or not name.endswith(".png"):
        abort(404)
    return send_from_directory(Path(folder).resolve(), name)


@pages.get("/devices/leds")
def leds_page() -> str | Response:
    principal = signed_in(*BOARD_VIEWERS)
    if isinstance(principal, Response):
        return principal
    texts = {"counter": _("Counter"), "offline": _("offline")}
    return render_template(
        "devices/leds.html",
        lang=xephang().settings.center.language,
        title=_("Virtual LED boards"),
        data={"json_url": url_for("devices.leds_json"), "texts": texts},
    )


@pages.get("/devices/leds.json")
def leds_json() -> Any:
    principal = signed_in(*BOARD_VIEWERS)
    if isinstance(principal, Response):
        return principal
    worker = _worker()
    boards: list[dict[str, Any]] = []
    if worker is not None and worker.devices.boards is not None:
        board_set = worker.devices.boards
        online = {(s.bus, s.address): s.online for s in board_set.statuses()}
        for board_config in worker.settings.led.boards:
            bus = board_set.virtual.get(board_config.bus)
            board = bus.boards.get(board_config.address) if bus else None
            boards.append(
                {
                    "counter": board_config.counter,
                    "text": board.text if board else None,
                    "online": online.get((board_config.bus, board_config.address), False),
                }
            )
    return jsonify(boards)


def register_devices(app: Flask) -> None:
    """Add the device pages (the embedded worker is started by the runtime)."""
    app.register_blueprint(pages)
    app.register_blueprint(scan_pages)
    app.register_blueprint(audio)
    app.register_blueprint(kiosk_voice)
