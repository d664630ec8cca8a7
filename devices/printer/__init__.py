"""Thermal ticket printers: rendering, ESC/POS drivers, print spooler and virtual twin.

Names are imported from their modules on first use (:mod:`xephang.devices.lazy`), so that
importing ``xephang.devices.printer.config`` loads no driver.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from xephang.devices.lazy import lazy_exports

if TYPE_CHECKING:  # for type checkers; at run time __getattr__ imports on first use
    from .blocks import RasterBlock, RenderedTicket, TextBlock
    from .config import (
        CupsPrinterConfig,
        FilePrinterConfig,
        NativeTextConfig,
        NetworkPrinterConfig,
        PrinterBase,
        PrinterConfig,
        RetryPolicy,
        SerialPrinterConfig,
        UsbPrinterConfig,
        VirtualPrinterConfig,
    )
    from .factory import open_printer, parse_printer_config, print_test_ticket, test_printout
    from .jobs import JobState, PrintJob, SpoolerStatus
    from .printer import EscposPrinter, Printer
    from .printout import Printout, SlipPrintout, TicketPrintout
    from .render import RenderOptions, render_ticket
    from .spooler import PrintSpooler
    from .status import FailureReason, Outcome, PrinterState, PrinterStatus, PrintOutcome
    from .virtual import VirtualPrinter, VirtualTicket

__all__ = [
    "CupsPrinterConfig",
    "EscposPrinter",
    "FailureReason",
    "FilePrinterConfig",
    "JobState",
    "NativeTextConfig",
    "NetworkPrinterConfig",
    "Outcome",
    "PrintJob",
    "PrintOutcome",
    "PrintSpooler",
    "Printer",
    "PrinterBase",
    "PrinterConfig",
    "PrinterState",
    "PrinterStatus",
    "Printout",
    "RasterBlock",
    "RenderOptions",
    "RenderedTicket",
    "RetryPolicy",
    "SerialPrinterConfig",
    "SlipPrintout",
    "SpoolerStatus",
    "TextBlock",
    "TicketPrintout",
    "UsbPrinterConfig",
    "VirtualPrinter",
    "VirtualPrinterConfig",
    "VirtualTicket",
    "open_printer",
    "parse_printer_config",
    "print_test_ticket",
    "render_ticket",
    "test_printout",
]

__getattr__ = lazy_exports(__name__)
