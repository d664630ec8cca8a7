"""File, CUPS and USB drivers; config validation."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from xephang.devices.printer import (
    FailureReason,
    Outcome,
    PrinterState,
    TicketPrintout,
    open_printer,
    parse_printer_config,
)
from xephang.devices.printer.paper import read_tickets


def test_file_printer_writes_the_job_and_cannot_confirm(
    tmp_path: Path, printout: TicketPrintout
) -> None:
    device = tmp_path / "lp0"
    printer = open_printer(parse_printer_config({"kind": "file", "path": str(device)}))
    outcome = printer.print_ticket(printout)
    assert outcome.outcome is Outcome.SENT and not outcome.confirmed
    data = device.read_bytes()
    assert len(data) == outcome.bytes_sent
    tickets = read_tickets(data, 576)
    assert tickets[0].image.tobytes() == printer.render(printout).preview().tobytes()
    assert printer.status().state is PrinterState.UNKNOWN


def test_missing_file_device_is_offline(tmp_path: Path, printout: TicketPrintout) -> None:
    config = parse_printer_config({"kind": "file", "path": str(tmp_path / "no" / "lp0")})
    outcome = open_printer(config).print_ticket(printout)
    assert outcome.reason is FailureReason.OFFLINE


@pytest.mark.parametrize(
    "table",
    [{"kind": "cups", "queue": "receipt"}, {"kind": "usb", "vendor_id": 0x0416, "product_id": 1}],
)
def test_missing_optional_driver_fails_cleanly(table: dict, printout: TicketPrintout) -> None:
    module = "cups" if table["kind"] == "cups" else "usb"
    try:
        __import__(module)
    except ImportError:
        pass
    else:
        pytest.skip(f"{module} is installed here")
    printer = open_printer(parse_printer_config(table))
    assert printer.status().state is PrinterState.UNKNOWN
    outcome = printer.print_ticket(printout)
    assert outcome.outcome is Outcome.FAILED and outcome.reason is FailureReason.ERROR


@pytest.mark.parametrize(
    "table",
    [
        {"kind": "network", "host": "h", "dot_width": 576, "profile": "POS-5890"},
        {"kind": "network", "host": "h", "dot_width": 500},
        {"kind": "network", "host": "h", "profile": "no-such-printer"},
        {"kind": "network", "host": "h", "colour": "red"},
        {"kind": "laser", "host": "h"},
    ],
)
def test_invalid_configs_are_rejected(table: dict) -> None:
    with pytest.raises(ValidationError):
        parse_printer_config(table)
