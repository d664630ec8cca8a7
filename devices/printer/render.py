"""Render a ticket with Pillow into tight 1-bit images, one per line of text.

Blank paper is not part of any image: each block carries the space to feed before it,
which the encoder sends as a native paper feed. This keeps a 576-dot ticket small.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial

import qrcode
from PIL import Image, ImageDraw, ImageFont

from .blocks import Block, RasterBlock, RenderedTicket, TextBlock
from .fonts import load_font
from .labels import Paragraph, Style, paragraphs
from .printout import Printout, SlipPrintout
from .slip_labels import slip_paragraphs

REFERENCE_WIDTH = 576
MARGIN = 8

# (size in pixels at 576 dots, bold) per style
_TEXT_STYLES: dict[Style, tuple[int, bool]] = {
    Style.CENTER: (27, True),
    Style.HEADING: (24, False),
    Style.SERVICE: (33, True),
    Style.SERVICE_ALT: (24, False),
    Style.PRIORITY: (28, True),
    Style.BODY: (27, False),
    Style.SMALL: (23, False),
}
_NUMBER_HEIGHT = 200  # printed cap height of the number at 576 dots
_QR_MODULE = 6  # printed dots per QR module at 576 dots


@dataclass(frozen=True)
class RenderOptions:
    """What the renderer needs to know about the printer."""

    width: int = REFERENCE_WIDTH
    trim: bool = True
    quadruple: bool = True
    native_text: bool = False

    @property
    def factor(self) -> float:
        """Scale of the 576-dot layout; narrow paper shrinks type less than the width."""
        return math.sqrt(self.width / REFERENCE_WIDTH)

    def px(self, value: int) -> int:
        return max(1, round(value * self.factor))


def _ceil8(value: int) -> int:
    return (value + 7) // 8 * 8


def _ink_box(font: ImageFont.FreeTypeFont, text: str, anchor: str) -> tuple[int, int, int, int]:
    """``font.getbbox`` widened to whole dots: Pillow gives floats (e.g. for a stroke)."""
    x0, y0, x1, y1 = font.getbbox(text, anchor=anchor)
    return math.floor(x0), math.floor(y0), math.ceil(x1), math.ceil(y1)


def _fits(font: ImageFont.FreeTypeFont, width: int, text: str) -> bool:
    return font.getlength(text) <= width


def wrap(text: str, fits: Callable[[str], bool]) -> list[str]:
    """Greedy word wrap; a word longer than a line is split between letters, never cut."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if fits(candidate):
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        while not fits(word):
            cut = len(word) - 1
            while cut > 1 and not fits(word[:cut]):
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines or [""]


class _Flow:
    """Stacks blocks top to bottom, tracking the ink bottom and the text pen."""

    def __init__(self, opts: RenderOptions) -> None:
        self.opts = opts
        self.blocks: list[Block] = []
        self.pen = 0  # top of the next line box
        self.ink_bottom = 0

    def place(self, image: Image.Image, top: int, scale: int = 1) -> None:
        top = max(top, self.ink_bottom)
        self.blocks.append(RasterBlock(image, top - self.ink_bottom, scale))
        self.ink_bottom = top + image.height * scale

    def text_line(self, text: str, font: ImageFont.FreeTypeFont, inverted: bool) -> None:
        ascent, descent = font.getmetrics()
        image, ink_top = _line_image(text, font, inverted, self.opts)
        wanted = self.pen + ascent + ink_top
        shift = max(0, self.ink_bottom - wanted)
        self.place(image, wanted + shift)
        self.pen += shift + ascent + descent + round(font.size * 0.12)

    def graphic(self, image: Image.Image, scale: int) -> None:
        self.place(image, max(self.pen, self.ink_bottom), scale)
        self.pen = self.ink_bottom


@lru_cache(maxsize=512)
def _line_image(
    text: str, font: ImageFont.FreeTypeFont, inverted: bool, opts: RenderOptions
) -> tuple[Image.Image, int]:
    """A tight image of one line and its ink top relative to the baseline.

    Cached: a kiosk prints the same center name, services and labels all day. The images
    are never modified after creation.
    """
    x0, y0, x1, y1 = _ink_box(font, text, "ls")
    pad = opts.px(6) if inverted else 0
    ink_w, ink_h = max(1, x1 - x0) + 2 * pad, max(1, y1 - y0) + 2 * pad
    width = _ceil8(ink_w) if opts.trim else opts.width
    image = Image.new("1", (width, ink_h), 0 if inverted else 1)
    left = (width - ink_w) // 2 + pad - x0
    ImageDraw.Draw(image).text(
        (left, pad - y0), text, font=font, fill=1 if inverted else 0, anchor="ls"
    )
    return image, y0 - pad


def _fit_width(opts: RenderOptions) -> int:
    return opts.width - 2 * MARGIN


def _number_image(text: str, opts: RenderOptions) -> tuple[Image.Image, int]:
    """The ticket number as large as fits, and the scale it must be printed at."""
    scale = 2 if opts.quadruple else 1
    max_width = _fit_width(opts) // scale
    cap_height = opts.px(_NUMBER_HEIGHT) // scale
    size = round(cap_height / 0.72)
    font = load_font(size, bold=True)
    while font.getlength(text) > max_width and size > 10:
        size = int(size * 0.92)
        font = load_font(size, bold=True)
    x0, y0, x1, y1 = _ink_box(font, text, "ls")
    width = _ceil8(x1 - x0) if opts.trim else opts.width // scale
    image = Image.new("1", (width, y1 - y0), 1)
    ImageDraw.Draw(image).text(
        ((width - (x1 - x0)) // 2 - x0, -y0), text, font=font, fill=0, anchor="ls"
    )
    return image, scale


def _qr_image(url: str, opts: RenderOptions) -> tuple[Image.Image, int]:
    """A QR code without quiet zone (the paper around it is blank anyway)."""
    code = qrcode.QRCode(
        border=0, error_correction=qrcode.constants.ERROR_CORRECT_M, mask_pattern=0
    )
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()
    scale = 2 if opts.quadruple else 1
    module = max(1, opts.px(_QR_MODULE) // scale)
    size = len(matrix) * module
    width = _ceil8(size) if opts.trim else opts.width // scale
    small = Image.new("1", (len(matrix), len(matrix)), 1)
    small.putdata([0 if cell else 1 for row in matrix for cell in row])
    image = Image.new("1", (width, size), 1)
    image.paste(small.resize((size, size), Image.Resampling.NEAREST), ((width - size) // 2, 0))
    return image, scale


def _native_columns(opts: RenderOptions, size: int) -> int:
    return opts.width // (12 * size)


def _native_lines(paragraph: Paragraph, opts: RenderOptions, first_space: int) -> list[Block]:
    size = 2 if paragraph.style in (Style.SERVICE, Style.PRIORITY, Style.CENTER) else 1
    bold = paragraph.style in (Style.SERVICE, Style.PRIORITY, Style.CENTER, Style.HEADING)
    columns = _native_columns(opts, size)
    lines = wrap(paragraph.text, lambda s: _base_length(s) <= columns)
    return [
        TextBlock(line, first_space if i == 0 else 0, size, bold) for i, line in enumerate(lines)
    ]


def _base_length(text: str) -> int:
    return sum(1 for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def render_ticket(printout: Printout, opts: RenderOptions) -> RenderedTicket:
    """Lay out ``printout`` (a ticket or an appointment slip) for a printer
    ``opts.width`` dots wide."""
    flow = _Flow(opts)
    content = (
        slip_paragraphs(printout) if isinstance(printout, SlipPrintout) else paragraphs(printout)
    )
    for paragraph in content:
        flow.pen += opts.px(paragraph.space_before)
        if paragraph.style is Style.NUMBER:
            flow.graphic(*_number_image(paragraph.text, opts))
        elif paragraph.style is Style.QR:
            flow.graphic(*_qr_image(paragraph.text, opts))
        elif opts.native_text:
            space = max(0, flow.pen - flow.ink_bottom)
            flow.blocks.extend(_native_lines(paragraph, opts, space))
            flow.ink_bottom = flow.pen
        else:
            size, bold = _TEXT_STYLES[paragraph.style]
            font = load_font(opts.px(size), bold)
            inverted = paragraph.style is Style.PRIORITY
            usable = _fit_width(opts) - (2 * opts.px(6) if inverted else 0)
            for line in wrap(paragraph.text, partial(_fits, font, usable)):
                flow.text_line(line, font, inverted)
    return RenderedTicket(opts.width, tuple(flow.blocks))
