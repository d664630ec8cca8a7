"""Build a printer from its configuration, and print a test ticket."""

from __future__ import annotations

from datetime import datetime

from pydantic import TypeAdapter

from xephang.i18n import translate

from .config import PrinterBase, PrinterConfig, VirtualPrinterConfig
from .printer import EscposPrinter, Printer
from .printout import TicketPrintout
from .status import PrintOutcome
from .virtual import VirtualPrinter

_ADAPTER: TypeAdapter[PrinterBase] = TypeAdapter(PrinterConfig)


def parse_printer_config(data: dict[str, object]) -> PrinterBase:
    """Validate a printer table (from TOML) into the model of its ``kind``."""
    return _ADAPTER.validate_python(data)


def open_printer(config: PrinterBase) -> Printer:
    """The printer for ``config``; nothing is opened until a ticket or status is asked."""
    if isinstance(config, VirtualPrinterConfig):
        return VirtualPrinter(config)
    return EscposPrinter(config)


def test_printout(
    center_name: str, language: str = "vi", now: datetime | None = None
) -> TicketPrintout:
    """A sample ticket showing every element, with the longest usual service name."""
    issued = now or datetime.now().astimezone()
    return TicketPrintout(
        center_name=center_name,
        number="A000",
        heading=translate("TEST TICKET", language),
        service_name="Bảo trợ xã hội – Trợ cấp cho người cao tuổi và người khuyết tật nặng",
        service_name_alt=translate("Printer test", language),
        priority_label="Người cao tuổi",
        issued_at=issued,
        ahead=0,
        estimated_wait_s=900,
        track_url="http://xephang.local/t/A000",
        footer=translate("Free of charge", language),
        language=language,
    )


def print_test_ticket(config: PrinterBase, center_name: str, language: str = "vi") -> PrintOutcome:
    """Print one test ticket now (for ``xephang printer test KIOSK``); blocks ≤ timeouts."""
    printer = open_printer(config)
    try:
        return printer.print_ticket(test_printout(center_name, language))
    finally:
        printer.close()
