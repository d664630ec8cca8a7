"""The network driver against a fake printer on a real TCP socket."""

from __future__ import annotations

import time

import pytest

from xephang.devices.printer import (
    FailureReason,
    Outcome,
    PrinterState,
    TicketPrintout,
    open_printer,
    print_test_ticket,
)
from xephang.devices.printer.fake_network import FakeMode, FakeNetworkPrinter
from xephang.devices.printer.status import NOT_CONFIRMED


@pytest.mark.parametrize(("width", "profile"), [(384, "POS-5890"), (576, "TM-T20II")])
def test_printed_paper_matches_the_rendered_ticket(
    make_config, printout: TicketPrintout, width: int, profile: str
) -> None:
    with FakeNetworkPrinter(width=width) as fake:
        printer = open_printer(make_config(fake, profile=profile))
        outcome = printer.print_ticket(printout)
        assert outcome.outcome is Outcome.CONFIRMED
        assert fake.wait_for_tickets(1)
        expected = printer.render(printout)
        paper = fake.tickets[0].image
        assert paper.size == (width, expected.preview().height)
        assert paper.tobytes() == expected.preview().tobytes()
        # each GS v 0 image decodes back to the block that was rendered, pixel for pixel
        received = fake._reader.rasters
        assert [(img.tobytes(), s) for img, s in received] == [
            (b.image.tobytes(), b.scale) for b in expected.rasters
        ]
        assert outcome.bytes_sent == len(printer.encode(expected))


def test_status_is_asked_before_and_after_the_ticket(
    make_config, fake: FakeNetworkPrinter, printout: TicketPrintout
) -> None:
    outcome = open_printer(make_config(fake)).print_ticket(printout)
    assert outcome.confirmed
    assert fake.status_queries == [1, 2, 4, 1, 2, 4]
    job_start = fake.received.index(b"\x1b@")
    assert fake.received[:job_start].count(b"\x10\x04") == 3


@pytest.mark.parametrize(
    ("mode", "state", "reason"),
    [
        (FakeMode.PAPER_OUT, PrinterState.PAPER_OUT, FailureReason.PAPER_OUT),
        (FakeMode.COVER_OPEN, PrinterState.COVER_OPEN, FailureReason.COVER_OPEN),
        (FakeMode.OFF, PrinterState.OFFLINE, FailureReason.OFFLINE),
        (FakeMode.SILENT, PrinterState.UNKNOWN, FailureReason.TIMEOUT),
    ],
)
def test_faults_are_reported_and_nothing_is_sent(
    make_config,
    fake: FakeNetworkPrinter,
    printout: TicketPrintout,
    mode: FakeMode,
    state: PrinterState,
    reason: FailureReason,
) -> None:
    printer = open_printer(make_config(fake))
    fake.set_mode(mode)
    assert printer.status().state is state
    outcome = printer.print_ticket(printout)
    assert outcome.outcome is Outcome.FAILED and outcome.reason is reason
    assert outcome.bytes_sent == 0
    assert b"\x1dv0" not in fake.received
    assert fake.tickets == []


def test_paper_near_end_still_prints_with_a_warning(
    make_config, fake: FakeNetworkPrinter, printout: TicketPrintout
) -> None:
    fake.set_mode(FakeMode.PAPER_NEAR_END)
    outcome = open_printer(make_config(fake)).print_ticket(printout)
    assert outcome.confirmed
    assert outcome.status is not None and outcome.status.paper_near_end


def test_hang_up_mid_job_is_not_taken_for_printed(
    make_config, fake: FakeNetworkPrinter, printout: TicketPrintout
) -> None:
    fake.set_mode(FakeMode.HANG_UP)
    outcome = open_printer(make_config(fake)).print_ticket(printout)
    assert outcome.outcome is Outcome.FAILED
    assert outcome.reason is FailureReason.OFFLINE
    assert fake.tickets == []


def test_no_status_answer_after_printing_means_not_confirmed(
    make_config, fake: FakeNetworkPrinter, printout: TicketPrintout
) -> None:
    fake.answers_left = 3  # answers the check before the job, then falls silent
    outcome = open_printer(make_config(fake)).print_ticket(printout)
    assert outcome.outcome is Outcome.FAILED
    assert outcome.reason is FailureReason.TIMEOUT
    assert outcome.detail == NOT_CONFIRMED
    assert outcome.bytes_sent > 0
    assert fake.wait_for_tickets(1)  # the paper came out, but we could not know


def test_connection_refused_fails_fast(
    make_config, fake: FakeNetworkPrinter, printout: TicketPrintout
) -> None:
    fake.set_mode(FakeMode.OFF)
    started = time.perf_counter()
    outcome = open_printer(make_config(fake)).print_ticket(printout)
    assert outcome.reason is FailureReason.OFFLINE
    assert time.perf_counter() - started < 1.0


def test_default_network_timeout_is_short() -> None:
    from xephang.devices.printer import NetworkPrinterConfig

    assert NetworkPrinterConfig(host="192.0.2.1").timeout_s == 3.0


def test_print_test_ticket(make_config, fake: FakeNetworkPrinter) -> None:
    outcome = print_test_ticket(make_config(fake), "UBND phường Ba Đình")
    assert outcome.confirmed
    assert fake.wait_for_tickets(1)
    assert fake.tickets[0].image.height > 600


def test_native_text_mode_sends_cp1258_text(
    make_config, fake: FakeNetworkPrinter, short_printout: TicketPrintout
) -> None:
    config = make_config(fake, native_text={"code_page": 52})
    assert open_printer(config).print_ticket(short_printout).confirmed
    assert fake.wait_for_tickets(1)
    assert b"\x1bt\x34" in fake.received
    text = fake.tickets[0].text
    assert "Hộ tịch" in text
    assert "Số người đang chờ trước quý vị: 5" in text
    assert len(fake._reader.rasters) == 1  # only the number is an image


def test_serial_driver_over_a_pyserial_url(
    fake: FakeNetworkPrinter, printout: TicketPrintout
) -> None:
    from xephang.devices.printer import SerialPrinterConfig

    config = SerialPrinterConfig(
        device=f"socket://{fake.host}:{fake.port}",
        status_timeout_s=0.3,
        confirm_timeout_s=0.5,
    )
    outcome = open_printer(config).print_ticket(printout)
    assert outcome.confirmed
    assert fake.wait_for_tickets(1)
