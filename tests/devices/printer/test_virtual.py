"""The virtual twin used by the demo."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from xephang.devices.printer import (
    FailureReason,
    JobState,
    PrinterState,
    PrintSpooler,
    TicketPrintout,
    VirtualPrinter,
    VirtualPrinterConfig,
    open_printer,
    parse_printer_config,
)


def test_virtual_printer_writes_png_files(tmp_path: Path, printout: TicketPrintout) -> None:
    printer = open_printer(parse_printer_config({"kind": "virtual", "folder": str(tmp_path)}))
    assert isinstance(printer, VirtualPrinter)
    assert printer.print_ticket(printout).confirmed
    files = sorted(tmp_path.glob("*.png"))
    assert [f.name for f in files] == ["00001-A007.png"]
    with Image.open(files[0]) as image:
        assert image.size == printer.printed[0].image.size
        assert image.width == 576
    assert printer.printed[0].payload_size < 25 * 1024


def test_virtual_printer_fakes_paper_out(printout: TicketPrintout) -> None:
    printer = VirtualPrinter(VirtualPrinterConfig(dot_width=384, profile="POS-5890"))
    printer.set_state(PrinterState.PAPER_OUT)
    outcome = printer.print_ticket(printout)
    assert outcome.failed and outcome.reason is FailureReason.PAPER_OUT
    assert printer.count == 0 and not printer.printed
    assert printer.status().message("vi") == "Máy in hết giấy"


def test_spooler_with_virtual_printer(printout: TicketPrintout) -> None:
    printer = VirtualPrinter(
        VirtualPrinterConfig.model_validate(
            {"retry": {"attempts": 1, "reprint_on_recovery": True, "recovery_poll_s": 0.02}}
        )
    )
    spooler = PrintSpooler(printer).start()
    try:
        printer.set_state(PrinterState.OFFLINE)
        spooler.submit(printout, job_id="v-1")
        assert spooler.wait_for("v-1", lambda j: j.state is JobState.FAILED).awaiting_recovery
        printer.set_state(PrinterState.ONLINE)
        assert spooler.wait_done("v-1").state is JobState.CONFIRMED
        assert printer.wait_for_prints(1)
    finally:
        spooler.stop()


def test_virtual_printer_keeps_only_the_latest_tickets(
    tmp_path: Path, printout: TicketPrintout
) -> None:
    printer = VirtualPrinter(VirtualPrinterConfig(folder=str(tmp_path)), history=2)
    for _ in range(3):
        assert printer.print_ticket(printout).confirmed
    assert printer.count == 3 and printer.wait_for_prints(3, timeout=0.01)
    assert [t.path.name for t in printer.printed if t.path] == ["00002-A007.png", "00003-A007.png"]
    assert len(list(tmp_path.glob("*.png"))) == 3  # the files keep their own numbers
