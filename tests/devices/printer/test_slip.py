"""The appointment slip (giấy hẹn) printed at a kiosk: its lines, and the paper a real
ESC/POS printer receives, decoded back to an image."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest
from PIL import ImageChops

from xephang.devices.printer import RenderOptions, SlipPrintout, open_printer, render_ticket
from xephang.devices.printer.fake_network import FakeNetworkPrinter
from xephang.devices.printer.fonts import load_font
from xephang.devices.printer.labels import Style
from xephang.devices.printer.render import _line_image, _number_image
from xephang.devices.printer.slip_labels import slip_paragraphs

from .conftest import HANOI, MakeConfig

URL = "http://192.168.1.10:8000/appointments/slip/K7MX4RPA"


@pytest.fixture
def slip() -> SlipPrintout:
    return SlipPrintout(
        center_name="Trung tâm Phục vụ hành chính công phường Hoàn Kiếm",
        service_name="Chứng thực",
        slot_start=datetime(2026, 11, 24, 8, 0, tzinfo=HANOI),
        slot_end=datetime(2026, 11, 24, 8, 30, tzinfo=HANOI),
        code_shown="K7MX-4RPA",
        bring="Căn cước công dân; bản chính và bản sao giấy tờ cần chứng thực.",
        slip_url=URL,
    )


def test_the_slip_says_what_when_the_code_what_to_bring_and_where_to_look(
    slip: SlipPrintout,
) -> None:
    lines = [(p.style, p.text) for p in slip_paragraphs(slip)]
    assert lines[0] == (Style.CENTER, slip.center_name)
    assert (Style.SERVICE, "GIẤY HẸN") in lines and (Style.SERVICE, "Chứng thực") in lines
    assert (Style.CENTER, "Thứ Ba, 24/11/2026") in lines
    assert (Style.CENTER, "Giờ hẹn: 08:00–08:30") in lines
    assert (Style.NUMBER, "K7MX-4RPA") in lines
    assert (Style.BODY, f"Xin mang theo: {slip.bring}") in lines
    assert (Style.CENTER, "Đến sớm 10 phút, nhập mã tại máy lấy số.") in lines
    assert (Style.QR, URL) in lines
    bare = [p.style for p in slip_paragraphs(replace(slip, slip_url=None, bring=""))]
    assert Style.QR not in bare and Style.BODY not in bare


def test_printed_slip_decodes_to_the_rendered_one_with_the_code_big(
    slip: SlipPrintout, fake: FakeNetworkPrinter, make_config: MakeConfig
) -> None:
    printer = open_printer(make_config(fake))
    outcome = printer.print_ticket(slip)
    assert outcome.confirmed, outcome
    assert fake.wait_for_tickets(1)
    paper = fake.tickets[0].image
    rasters = fake._reader.rasters
    expected = printer.render(slip)
    assert paper.size == (576, expected.preview().height) and paper.height > 600
    assert paper.tobytes() == expected.preview().tobytes()
    assert ImageChops.invert(paper.convert("L")).getbbox() is not None  # ink on it
    # The code is the one raster printed at quadruple size but the QR, as big as fits.
    big = [image for image, scale in rasters if scale == 2]
    code, scale = _number_image("K7MX-4RPA", RenderOptions(width=576))
    assert scale == 2 and code.tobytes() in [image.tobytes() for image in big]
    assert code.width * 2 >= 500 and code.height * 2 >= 56  # the paper's width, 7 mm tall
    other, _ = _number_image("K7MX-4RPE", RenderOptions(width=576))
    assert other.tobytes() not in [image.tobytes() for image in big]


def test_a_slip_fits_narrow_paper_and_keeps_its_diacritics(slip: SlipPrintout) -> None:
    narrow = render_ticket(slip, RenderOptions(width=384))
    assert narrow.preview().width == 384
    assert all(b.printed_size[0] <= 384 for b in narrow.rasters)
    options = RenderOptions(width=576)
    font = load_font(options.px(33), bold=True)  # the SERVICE style of "GIẤY HẸN"
    heading, _top = _line_image("GIẤY HẸN", font, False, options)
    bare, _top = _line_image("GIAY HEN", font, False, options)
    assert heading.height > bare.height + 10  # the marks above Ấ and below Ẹ are inked
    printed = [b.image.tobytes() for b in render_ticket(slip, options).rasters]
    assert heading.tobytes() in printed
