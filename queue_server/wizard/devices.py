"""The wizard's printer and LED-board questions, and the scan that suggests answers.

The scan is ``xephang devices scan``'s (:mod:`xephang.devices.discovery`), imported when
asked for; without it every device is typed by hand. What it finds becomes the default
answers (``found``): a USB printer's ids, a ``/dev/usb/lp*`` file, the first serial port.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from queue_server.i18n import N_, _
from queue_server.wizard.questions import NONE_ANSWER, Invalid, Question

if TYPE_CHECKING:
    from queue_server.wizard.steps import Wizard

KIOSK = "kiosk-1"
BUS = "rs485"
PRINTER_KINDS = ("none", "usb", "serial", "network", "file", "virtual")
PROTOCOLS = ("modbus", "ascii", "four_byte")


def device_scanner() -> Callable[[], dict[str, Any]] | None:
    """The hardware scan as the wizard uses it, or None when it is not installed."""
    try:
        discovery = importlib.import_module("xephang.devices.discovery")
    except ImportError:
        return None
    scan = getattr(discovery, "scan", None)
    if scan is None:
        return None

    def run() -> dict[str, Any]:
        return found_answers(scan(probe=False).to_dict())

    return run


def found_answers(result: dict[str, Any]) -> dict[str, Any]:
    """Default answers from a scan's result (its ``to_dict()`` form), and a summary."""
    found: dict[str, Any] = {"lines": []}
    usb = result.get("usb_printers") or []
    if usb:
        first = usb[0]
        found.update({"printer.kind": "usb", "printer.width": str(first.get("dot_width") or 576)})
        found["printer.usb"] = f"{first['vendor_id']:04x}:{first['product_id']:04x}"
        found["lines"] += [f"USB: {p['vendor']} {p['product']}" for p in usb]
    elif result.get("lp_devices"):
        found.update({"printer.kind": "file", "printer.path": result["lp_devices"][0]})
    found["lines"] += [f"{_('Printer file')}: {path}" for path in result.get("lp_devices") or []]
    ports = result.get("serial_ports") or []
    if ports:
        found["led.port"] = ports[0]["path"]
        found["lines"] += [f"{_('Serial port')}: {p['path']}" for p in ports]
    for printer in result.get("network_printers") or []:
        found["lines"].append(f"{_('Network printer')}: {printer['host']}:{printer['port']}")
    return found


def _usb_ids(value: str) -> None:
    try:
        vendor, product = (int(part, 16) for part in value.split(":"))
    except ValueError:
        raise Invalid(_("Type the USB ids as vendor:product in hex, e.g. 0416:5011.")) from None
    if not (0 <= vendor <= 0xFFFF and 0 <= product <= 0xFFFF):
        raise Invalid(_("Type the USB ids as vendor:product in hex, e.g. 0416:5011."))


def _host_port(value: str) -> None:
    host, _sep, port = value.partition(":")
    if not host or (port and not port.isdigit()):
        raise Invalid(_("Type the printer's address as host or host:port, e.g. 192.168.1.50."))


PRINTER_LOCATION = ("kiosks",)


def device_questions(w: Wizard) -> list[Question]:
    """Scan (when it is installed), then the kiosk's printer, then the LED boards."""
    found = w.found
    questions = []
    if w.scanner is not None:
        questions.append(
            Question(
                "devices.scan",
                N_("Look for printers and LED boards connected to this machine now?"),
                kind="yesno",
                default="c",
            )
        )
        if "devices.scan" not in w.answers:
            return questions
    questions.append(
        Question(
            "printer.kind",
            N_("Ticket printer of the kiosk: {kinds}"),
            kind="choice",
            choices=PRINTER_KINDS,
            values={"kinds": ", ".join(PRINTER_KINDS)},
            default=found.get("printer.kind", "none"),
            hint=N_("usb: a USB thermal printer; file: /dev/usb/lp0; virtual: no paper, a picture"),
        )
    )
    kind = w.answer("printer.kind")
    where = {
        "network": ("printer.host", N_("Printer's network address (host or host:port)"), ""),
        "serial": ("printer.device", N_("Printer's serial port"), "/dev/ttyS0"),
        "file": ("printer.path", N_("Printer's device file"), "/dev/usb/lp0"),
        "usb": ("printer.usb", N_("Printer's USB ids (vendor:product, hex)"), ""),
    }
    if kind in where:
        key, prompt, default = where[kind]
        check = {"printer.usb": _usb_ids, "printer.host": _host_port}.get(key)
        questions.append(
            Question(
                key,
                prompt,
                default=found.get(key, default),
                check=check,
                checks=PRINTER_LOCATION,
            )
        )
    if kind is not None and kind != "none":
        questions.append(
            Question(
                "printer.width",
                N_("Printable dots per line: 576 (80 mm paper) or 384 (58 mm)"),
                kind="number",
                default=found.get("printer.width", "576"),
                checks=PRINTER_LOCATION,
            )
        )
    if kind is None:
        return questions
    questions.append(
        Question(
            "led.port",
            N_("Serial port of the LED boards' RS-485 line (virtual: no boards, a page; - none)"),
            default=found.get("led.port", NONE_ANSWER),
            hint=N_("e.g. /dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10K1234-if00-port0"),
            checks=("led.buses",),
        )
    )
    if w.answer("led.port", NONE_ANSWER) != NONE_ANSWER:
        questions.append(
            Question(
                "led.protocol",
                N_("The boards' protocol: {protocols}"),
                kind="choice",
                choices=PROTOCOLS,
                values={"protocols": ", ".join(PROTOCOLS)},
                default="modbus",
                checks=("led",),
            )
        )
        for n in range(1, w.counter_count() + 1):
            questions.append(
                Question(
                    f"led.{n}.address",
                    N_("Address of counter {number}'s board on the line"),
                    kind="number",
                    values={"number": n},
                    default=str(n),
                    checks=(f"led.boards[{n - 1}]",),
                )
            )
    return questions


def _printer(answers: dict[str, Any]) -> dict[str, Any] | None:
    kind = answers.get("printer.kind", "none")
    if kind == "none":
        return None
    printer: dict[str, Any] = {"kind": kind, "dot_width": answers.get("printer.width", 576)}
    if kind == "network":
        host, _sep, port = answers.get("printer.host", "").partition(":")
        printer.update(host=host or "0.0.0.0", port=int(port) if port.isdigit() else 9100)
    elif kind == "serial":
        printer["device"] = answers.get("printer.device", "/dev/ttyS0")
    elif kind == "file":
        printer["path"] = answers.get("printer.path", "/dev/usb/lp0")
    elif kind == "usb":
        vendor, _sep, product = answers.get("printer.usb", "0:0").partition(":")
        printer.update(vendor_id=int(vendor or "0", 16), product_id=int(product or "0", 16))
    if printer["dot_width"] < 576:
        printer["profile"] = "default"  # TM-T20II is 80 mm; 58 mm printers vary
    return printer


def device_config(answers: dict[str, Any], counters: int) -> dict[str, Any]:
    """The ``kiosks`` and ``led`` sections of center.toml from the answers."""
    data: dict[str, Any] = {}
    printer = _printer(answers)
    if printer is not None:
        data["kiosks"] = [{"name": KIOSK, "label": "Kiosk", "printer": printer}]
    port = answers.get("led.port", NONE_ANSWER)
    if port != NONE_ANSWER:
        bus = {"name": BUS, "port": port, "protocol": answers.get("led.protocol", "modbus")}
        boards = [
            {"counter": n, "bus": BUS, "address": answers.get(f"led.{n}.address", n)}
            for n in range(1, counters + 1)
        ]
        data["led"] = {"buses": [bus], "boards": boards}
    return data
