"""Rendering: sizes per paper width, wrapping of long Vietnamese text, byte budget."""

from __future__ import annotations

import unicodedata
from dataclasses import replace

import pytest
from escpos.printer import Dummy
from PIL import ImageChops

from xephang.devices.printer import RenderOptions, TicketPrintout, render_ticket
from xephang.devices.printer.blocks import RasterBlock
from xephang.devices.printer.encode import encode_cp1258, encode_ticket, raster
from xephang.devices.printer.render import wrap


def _ink_columns(image) -> tuple[int, int]:
    """Leftmost and rightmost column holding ink (black = 0)."""
    box = ImageChops.invert(image.convert("L")).getbbox()
    assert box is not None
    return box[0], box[2]


@pytest.mark.parametrize("width", [384, 512, 576])
def test_every_block_fits_the_paper_width(printout: TicketPrintout, width: int) -> None:
    ticket = render_ticket(printout, RenderOptions(width=width))
    assert ticket.preview().width == width
    for block in ticket.rasters:
        printed_width, _ = block.printed_size
        assert printed_width <= width
        assert block.image.width % 8 == 0
    left, right = _ink_columns(ticket.preview())
    assert left > 0 and right < width  # nothing touches either edge


def test_long_service_name_wraps_without_cutting(
    printout: TicketPrintout, short_printout: TicketPrintout
) -> None:
    options = RenderOptions(width=384)
    long_ticket = render_ticket(
        replace(short_printout, service_name=printout.service_name), options
    )
    short_ticket = render_ticket(short_printout, options)
    extra_lines = len(long_ticket.rasters) - len(short_ticket.rasters)
    assert extra_lines >= 2  # the long name takes at least three lines on 58 mm paper
    assert long_ticket.preview().height > short_ticket.preview().height
    for block in long_ticket.rasters:
        left, right = _ink_columns(block.image)
        assert left > 0 and right < block.image.width, "a glyph touches the image edge"


def test_wrap_keeps_every_word_and_splits_only_overlong_words() -> None:
    words = ["Bảo", "trợ", "xã", "hội", "–", "Trợ", "cấp", "cho", "người", "cao", "tuổi"]
    lines = wrap(" ".join(words), lambda s: len(s) <= 12)
    assert " ".join(lines).split() == words
    assert all(len(line) <= 12 for line in lines)
    assert wrap("Supercalifragilistic", lambda s: len(s) <= 8) == ["Supercal", "ifragili", "stic"]


def test_decomposed_text_renders_like_nfc(printout: TicketPrintout) -> None:
    decomposed = replace(printout, service_name=unicodedata.normalize("NFD", printout.service_name))
    options = RenderOptions(width=576)
    a = render_ticket(printout, options).preview()
    b = render_ticket(decomposed, options).preview()
    assert a.tobytes() == b.tobytes()


def test_number_is_printed_at_quadruple_size_and_very_large(printout: TicketPrintout) -> None:
    ticket = render_ticket(printout, RenderOptions(width=576))
    number = next(b for b in ticket.rasters if b.scale == 2)  # the number comes before the QR
    width, height = number.printed_size
    assert height >= 140 and width >= 400  # about 18 mm tall on 203 dpi paper
    assert height > 3 * max(b.image.height for b in ticket.rasters if b.scale == 1)


def test_worst_case_ticket_stays_under_25_kb_at_576_dots(printout: TicketPrintout) -> None:
    ticket = render_ticket(printout, RenderOptions(width=576))
    payload = encode_ticket(ticket)
    whole_raster = 576 // 8 * ticket.preview().height
    assert len(payload) <= 25 * 1024
    assert len(payload) < whole_raster * 0.6  # trimming and native feeds save a lot


def test_raster_bytes_match_python_escpos(printout: TicketPrintout) -> None:
    ticket = render_ticket(printout, RenderOptions(width=576))
    for block in ticket.rasters[:4]:
        dummy = Dummy(profile="TM-T20II")
        quad = block.scale == 2
        dummy.image(block.image, high_density_vertical=not quad, high_density_horizontal=not quad)
        assert raster(block) == dummy.output


def test_blank_paper_is_fed_natively_not_rasterised(printout: TicketPrintout) -> None:
    ticket = render_ticket(printout, RenderOptions(width=576))
    payload = encode_ticket(ticket)
    assert payload.count(b"\x1bJ") >= len(ticket.blocks) - 1
    for block in ticket.rasters:
        ink = ImageChops.invert(block.image.convert("L"))
        box = ink.getbbox()
        assert box is not None and box[1] == 0 and box[3] == block.image.height


def test_untrimmed_mode_pads_to_full_width(printout: TicketPrintout) -> None:
    ticket = render_ticket(printout, RenderOptions(width=512, trim=False))
    assert {b.printed_size[0] for b in ticket.rasters} == {512}


def test_cp1258_keeps_tone_marks_as_combining_characters() -> None:
    encoded = encode_cp1258("Số thứ tự")
    assert b"?" not in encoded
    assert unicodedata.normalize("NFC", encoded.decode("cp1258")) == "Số thứ tự"


def test_raster_block_width_must_be_byte_aligned() -> None:
    from PIL import Image

    with pytest.raises(ValueError):
        raster(RasterBlock(Image.new("1", (10, 4), 1)))
