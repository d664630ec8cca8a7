"""A4 sheets of numbered paper tickets, kept in a drawer for an outage (docs/outages.md).

Eight tickets a page (2 × 4, about 10 × 7 cm each) with dashed cut lines; big type for
the elderly, in Be Vietnam Pro (the screens' font, every Vietnamese letter, no
download). Pillow draws each page; pypdf then adds the numbers as invisible text so that
the PDF can be searched (and checked) for them.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import fontpkg_be_vietnam_pro
from PIL import Image, ImageDraw, ImageFont
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import ContentStream, DictionaryObject, NameObject

from queue_server.i18n import _

DPI = 150
PAGE = (1240, 1754)  # A4 at 150 dpi
COLUMNS, ROWS = 2, 4
PER_PAGE = COLUMNS * ROWS
MARGIN = 40
FONT_DIR = Path(fontpkg_be_vietnam_pro.__file__).with_name("files")


@dataclass(frozen=True, slots=True)
class SheetTexts:
    """What every ticket of a print says besides its number."""

    center: str
    service: str


@cache
def _font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / f"BeVietnamPro-{weight}.ttf"), size)


def _fitted(
    draw: ImageDraw.ImageDraw, text: str, weight: str, size: int, width: int
) -> ImageFont.FreeTypeFont:
    """The font of ``weight`` at ``size`` or smaller, so that ``text`` fits ``width``."""
    while size > 12 and draw.textlength(text, font=_font(weight, size)) > width:
        size -= 2
    return _font(weight, size)


def _centered(
    draw: ImageDraw.ImageDraw, box: tuple[int, int, int], y: int, text: str, weight: str, size: int
) -> int:
    """Draw ``text`` centred in ``box`` (left, width, …) at ``y``; returns the next y."""
    left, width, _bottom = box
    font = _fitted(draw, text, weight, size, width - 40)
    draw.text((left + width // 2, y), text, font=font, fill="black", anchor="ma")
    return y + int(font.size * 1.3)


def _ticket(
    draw: ImageDraw.ImageDraw,
    left: int,
    top: int,
    size: tuple[int, int],
    number: str,
    texts: SheetTexts,
) -> None:
    width, height = size
    box = (left, width, top + height)
    y = _centered(draw, box, top + 22, texts.center, "SemiBold", 24)
    y = _centered(draw, box, y, texts.service, "Bold", 36)
    y = _centered(draw, box, y + 4, _("Paper ticket").upper(), "SemiBold", 24)
    y = _centered(draw, box, y - 6, number, "Bold", 118)
    y = _centered(
        draw, box, y + 6, _("Keep this ticket until your number is called."), "Regular", 25
    )
    line = (
        "  ".join(f"{label} ___:___" for label in (_("Taken at"), _("Called at"), _("Finished at")))
        + f"  {_('Counter')} ___"
    )
    _centered(draw, box, top + height - 48, line, "Regular", 20)


def render_pages(numbers: Sequence[str], texts: SheetTexts) -> list[Image.Image]:
    """One greyscale A4 image per eight numbers, cut lines between the tickets."""
    cell = ((PAGE[0] - 2 * MARGIN) // COLUMNS, (PAGE[1] - 2 * MARGIN) // ROWS)
    pages = []
    for start in range(0, len(numbers), PER_PAGE):
        page = Image.new("L", PAGE, 255)
        draw = ImageDraw.Draw(page)
        for index, number in enumerate(numbers[start : start + PER_PAGE]):
            column, row = index % COLUMNS, index // COLUMNS
            left, top = MARGIN + column * cell[0], MARGIN + row * cell[1]
            _ticket(draw, left, top, cell, number, texts)
        _cut_lines(draw, cell)
        pages.append(page)
    return pages


def _cut_lines(draw: ImageDraw.ImageDraw, cell: tuple[int, int]) -> None:
    """Dashed lines around and between the tickets."""
    right, bottom = MARGIN + COLUMNS * cell[0], MARGIN + ROWS * cell[1]
    for column in range(COLUMNS + 1):
        x = MARGIN + column * cell[0]
        for y in range(MARGIN, bottom, 24):
            draw.line([(x, y), (x, min(y + 12, bottom))], fill=90, width=2)
    for row in range(ROWS + 1):
        y = MARGIN + row * cell[1]
        for x in range(MARGIN, right, 24):
            draw.line([(x, y), (min(x + 12, right), y)], fill=90, width=2)


def pdf_bytes(numbers: Sequence[str], texts: SheetTexts) -> bytes:
    """The sheets as an A4 PDF, each page's numbers also as invisible, searchable text."""
    pages = render_pages(numbers, texts)
    drawn = io.BytesIO()
    pages[0].save(
        drawn,
        "PDF",
        resolution=DPI,
        save_all=True,
        append_images=pages[1:],
        title=f"{texts.service}: {numbers[0]}–{numbers[-1]}",
    )
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(drawn.getvalue())))
    for index, page in enumerate(writer.pages):
        _hidden_numbers(page, numbers[index * PER_PAGE : (index + 1) * PER_PAGE])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _hidden_numbers(page: PageObject, numbers: Sequence[str]) -> None:
    """Lay the ticket numbers (ASCII) in text render mode 3, invisible, over each ticket."""
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    overlay = PageObject.create_blank_page(width=width, height=height)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    overlay[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/XPNum"): font})}
    )
    scale = width / PAGE[0]
    cell = ((PAGE[0] - 2 * MARGIN) // COLUMNS, (PAGE[1] - 2 * MARGIN) // ROWS)
    lines = []
    for index, number in enumerate(numbers):
        column, row = index % COLUMNS, index // COLUMNS
        x = (MARGIN + column * cell[0] + 40) * scale
        y = height - (MARGIN + row * cell[1] + cell[1] // 2) * scale
        lines.append(f"BT /XPNum 24 Tf 3 Tr {x:.1f} {y:.1f} Td ({number}) Tj ET")
    stream = ContentStream(None, None)
    stream.set_data("\n".join(lines).encode("ascii"))
    overlay.replace_contents(stream)
    page.merge_page(overlay)
