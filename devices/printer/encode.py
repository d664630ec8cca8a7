"""ESC/POS bytes for a rendered ticket: raster images (``GS v 0``) and native feeds."""

from __future__ import annotations

import unicodedata

from .blocks import RasterBlock, RenderedTicket, TextBlock

ESC, GS, DLE, EOT = b"\x1b", b"\x1d", b"\x10", b"\x04"
INIT = ESC + b"@"
ALIGN_LEFT = ESC + b"a\x00"
ALIGN_CENTER = ESC + b"a\x01"
CUTS = {"full": GS + b"V\x41\x00", "partial": GS + b"V\x42\x00", "none": b""}
CUT_FEED_DOTS = 48
INVERT_BITS = bytes(255 - b for b in range(256))

# CP1258 has the vowels with circumflex, breve and horn, but the five tone marks only as
# combining characters: keep those apart and recompose the rest.
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def raster(block: RasterBlock) -> bytes:
    """``GS v 0`` for one block; mode 3 (quadruple) when the block is scaled by 2."""
    image = block.image
    if image.width % 8:
        raise ValueError("raster width must be a multiple of 8")
    mode = 3 if block.scale == 2 else 0
    data = image.convert("1").tobytes().translate(INVERT_BITS)  # ink must be 1 bits
    width_bytes = image.width // 8
    return (
        GS
        + b"v0"
        + bytes((mode,))
        + width_bytes.to_bytes(2, "little")
        + image.height.to_bytes(2, "little")
        + data
    )


def feed(dots: int, units_per_dot: int = 1) -> bytes:
    """``ESC J n`` feeds for ``dots`` dots of blank paper (n ≤ 255 each)."""
    units = dots * units_per_dot
    out = bytearray()
    while units > 0:
        step = min(units, 255)
        out += ESC + b"J" + bytes((step,))
        units -= step
    return bytes(out)


def encode_cp1258(text: str) -> bytes:
    """Vietnamese text in Windows-1258 with tone marks as combining characters."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_MARKS))
        tones = "".join(c for c in parts if c in _TONE_MARKS)
        out += (base + tones).encode("cp1258", errors="replace")
    return bytes(out)


def native_text(block: TextBlock) -> bytes:
    """One line of native text at ``GS !`` size, then back to normal size."""
    size = bytes(((block.size - 1) << 4 | (block.size - 1),))
    bold = ESC + b"E" + (b"\x01" if block.bold else b"\x00")
    return GS + b"!" + size + bold + encode_cp1258(block.text) + b"\n" + GS + b"!\x00"


def encode_ticket(
    ticket: RenderedTicket,
    *,
    center_with_justify: bool = True,
    feed_units_per_dot: int = 1,
    cut: str = "partial",
    code_page: int | None = None,
) -> bytes:
    """The complete job: initialise, blocks with native feeds, feed to the cutter, cut."""
    out = bytearray(INIT)
    out += ALIGN_CENTER if center_with_justify else ALIGN_LEFT
    if code_page is not None:
        out += ESC + b"t" + bytes((code_page,))
    for block in ticket.blocks:
        out += feed(block.space_before, feed_units_per_dot)
        if isinstance(block, RasterBlock):
            out += raster(block)
        else:
            out += native_text(block)
    out += feed(CUT_FEED_DOTS, feed_units_per_dot)
    out += CUTS[cut]
    return bytes(out)
