"""``/devices/scan``: the administrator finds devices and proves them before the day.

The scan runs in the server (``xephang.devices.discovery``): USB printers, serial
ports, printers on the network the administrator names, and board addresses on the
configured buses this server's worker does not drive (a bus it drives is locked open:
it is reported, never fought for). The checks go through the worker that drives the
device, as tickets do: a test ticket through the kiosk's spooler, "888" through the
bus's writer thread. A device driven by another worker (``xephang devices``) is
checked there with ``xephang devices test-print`` / ``show-board``.
"""

from __future__ import annotations

import itertools
from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request, url_for

from queue_server.auth.roles import Role
from queue_server.i18n import N_, _, current_language
from queue_server.web.admin import menu
from queue_server.web.errors import ApiError
from queue_server.web.security import csrf_token, require, signed_in
from queue_server.web.state import xephang
from queue_server.workers.devices import DeviceWorker
from xephang.devices.discovery import TEST_NUMBER, ScanRefused, config_snippet, scan
from xephang.devices.led.digits import LedNumberError
from xephang.devices.printer.factory import test_printout

CHECK_JOB_PREFIX = "check-"
"""Test tickets' print jobs: no ticket of the queue, so they are not recorded."""

scan_pages = Blueprint("device_scan", __name__)
_check_ids = itertools.count(1)


def _worker() -> DeviceWorker | None:
    return xephang().device_worker


def _driven() -> tuple[list[str], list[str]]:
    """The kiosks and buses whose devices this server's worker drives now."""
    worker = _worker()
    if worker is None:
        return [], []
    boards = worker.devices.boards
    return list(worker.devices.spoolers), list(boards.buses) if boards else []


@scan_pages.get("/devices/scan")
def scan_page() -> str | Response:
    principal = signed_in()  # the administrator only
    if isinstance(principal, Response):
        return principal
    settings = xephang().settings
    kiosks, buses = _driven()
    boards = [
        {"counter": b.counter, "bus": b.bus, "address": b.address, "driven": b.bus in buses}
        for b in settings.led.boards
    ]
    printers = [{"kiosk": k.name, "driven": k.name in kiosks} for k in settings.kiosks if k.printer]
    texts = {
        "scanning": _("Working…"),
        "failed": _("The scan failed: {error}"),
        "none": _("None found."),
        "usb": _("USB printers"),
        "network": _("Network printers"),
        "serial": _("Serial ports"),
        "buses": _("RS-485 buses"),
        "twins": _("Virtual twins (configured)"),
        "problems": _("Warnings"),
        "escpos": _("ESC/POS printer"),
        "not_printer": _("answers, but not like a printer"),
        "no_reply_protocol": _("No reply possible with this protocol: use the button and look."),
        "answering": _("boards answering:"),
        "no_board": _("No board answered."),
    }
    labels = {
        "network": _("Network to scan for printers"),
        "network_port": _("Port"),
        "ports": _("Serial ports to probe (besides the configured buses)"),
        "scan": _("Scan"),
        "printers": _("Printers"),
        "test_print": _("Print a test ticket:"),
        "boards": _("LED boards"),
        "show_number": _("Show {number}").format(number=TEST_NUMBER),
        "counter": _("Counter"),
        "elsewhere": _("driven by another worker: check it with xephang devices there"),
        "no_printer": _("No printer is configured."),
        "no_board": _("No LED board is configured."),
    }
    return render_template(
        "devices/scan.html",
        lang=settings.center.language,
        title=_("Find and check devices"),
        printers=printers,
        boards=boards,
        labels=labels,
        data={
            "csrf": csrf_token(),
            "scan_url": url_for("device_scan.run_scan"),
            "print_url": url_for("device_scan.test_print"),
            "board_url": url_for("device_scan.show_number"),
            "texts": texts,
        },
    )


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, _("Send a JSON object."))
    return body


@scan_pages.post("/devices/scan")
@require(Role.ADMIN)
def run_scan() -> Any:
    """``{"network": "192.168.1.0/24", "network_port": 9100, "ports": [...]}`` → the scan."""
    body = _body()
    network = body.get("network") or None
    port = body.get("network_port", 9100)
    ports = body.get("ports", [])
    if network is not None and not isinstance(network, str):
        raise ApiError(400, _("The network must be text like 192.168.1.0/24."), field="network")
    if not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535:
        raise ApiError(400, _("The port must be a number from 1 to 65535."), field="network_port")
    if not isinstance(ports, list) or not all(isinstance(p, str) and p for p in ports):
        raise ApiError(400, _("The serial ports must be a list of paths."), field="ports")
    settings = xephang().settings
    try:
        result = scan(
            led=settings.led,
            printers={k.name: k.printer for k in settings.kiosks},
            network=network,
            network_port=port,
            ports=ports[:8],
            busy_buses=_driven()[1],
        )
    except ScanRefused as exc:
        raise ApiError(400, str(exc), field="network") from None
    return jsonify({**result.to_dict(), "snippet": config_snippet(result)})


@scan_pages.post("/devices/scan/test-print")
@require(Role.ADMIN)
def test_print() -> Any:
    """``{"kiosk": "kiosk-1"}``: a test ticket through the kiosk's spooler; waits for it."""
    kiosk = _body().get("kiosk")
    worker = _worker()
    spooler = worker.devices.spoolers.get(kiosk) if worker and isinstance(kiosk, str) else None
    if spooler is None:
        raise ApiError(
            409,
            _(
                "This server does not drive the printer of kiosk {name}: run "
                "xephang devices test-print {name} where it is driven."
            ).format(name=str(kiosk)[:40]),
        )
    printout = test_printout(xephang().settings.center.name, current_language())
    job = spooler.submit(printout, job_id=f"{CHECK_JOB_PREFIX}{next(_check_ids)}")
    done = spooler.wait_done(job.id, timeout=15.0)
    status = spooler.status().printer
    words = status.message(current_language()) if status else ""
    return jsonify(
        {
            "kiosk": kiosk,
            "state": done.state.value,
            "message": _("Test ticket sent to {name}: {state}").format(name=kiosk, state=words),
        }
    )


@scan_pages.post("/devices/scan/show-board")
@require(Role.ADMIN)
def show_number() -> Any:
    """``{"bus": "rs485", "address": 3}``: show 888 on that board through its bus."""
    body = _body()
    bus_name, address = body.get("bus"), body.get("address")
    worker = _worker()
    boards = worker.devices.boards if worker else None
    bus = boards.buses.get(bus_name) if boards and isinstance(bus_name, str) else None
    if bus is None:
        raise ApiError(
            409,
            _(
                "This server does not drive LED bus {name}: run xephang devices show-board "
                "where it is driven."
            ).format(name=str(bus_name)[:40]),
        )
    if not isinstance(address, int) or isinstance(address, bool):
        raise ApiError(400, _("The address must be a number."), field="address")
    try:
        bus.show(address, TEST_NUMBER)
    except KeyError:
        raise ApiError(
            404, _("No board {address} on bus {name}.").format(address=address, name=bus_name)
        ) from None
    except LedNumberError as exc:  # a board of fewer digits than 888 has
        raise ApiError(400, str(exc)) from None
    return jsonify(
        {
            "bus": bus_name,
            "address": address,
            "message": _("Board {address} on {name} shows {number} until the next call.").format(
                address=address, name=bus_name, number=TEST_NUMBER
            ),
        }
    )


menu("device_scan.scan_page", N_("Find devices"))
