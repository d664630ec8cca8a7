"""Read ESC/POS bytes back into paper: what a printer would print (for fakes and tests).

Understands the commands this package sends: ``ESC @``, ``ESC a``, ``ESC J``, ``ESC t``,
``ESC E``, ``GS !``, ``GS v 0`` (all four sizes), ``GS V`` and ``DLE EOT``. Native text is
recorded as decoded strings, not drawn.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from PIL import Image

from .encode import INVERT_BITS

_FIXED = {  # command prefix -> total length
    b"\x1b@": 2,
    b"\x1b2": 2,
    b"\x1ba": 3,
    b"\x1bJ": 3,
    b"\x1bt": 3,
    b"\x1bE": 3,
    b"\x1bd": 3,
    b"\x1b!": 3,
    b"\x1b3": 3,
    b"\x1d!": 3,
    b"\x10\x04": 3,
}


def _decode(line: bytearray) -> str:
    return unicodedata.normalize("NFC", bytes(line).decode("cp1258", errors="replace"))


@dataclass
class PrintedTicket:
    """One cut-off piece of paper."""

    image: Image.Image
    text: list[str] = field(default_factory=list)


@dataclass
class _Placed:
    y: int
    x: int
    image: Image.Image


class EscPosReader:
    """Incremental ESC/POS interpreter; ``feed()`` returns the status queries it met."""

    def __init__(self, width: int, units_per_dot: int = 1) -> None:
        self.width = width
        self.units_per_dot = units_per_dot
        self.tickets: list[PrintedTicket] = []
        self.rasters: list[tuple[Image.Image, int]] = []
        self._buffer = bytearray()
        self._reset_page()
        self.align = 0

    def _reset_page(self) -> None:
        self._placed: list[_Placed] = []
        self._text: list[str] = []
        self._line = bytearray()
        self._y = 0

    def feed(self, data: bytes) -> list[int]:
        """Consume bytes; returns the ``n`` of every ``DLE EOT n`` found, in order."""
        self._buffer += data
        queries: list[int] = []
        while self._buffer:
            used = self._step(queries)
            if used == 0:
                break
            del self._buffer[:used]
        return queries

    def _step(self, queries: list[int]) -> int:
        buf = self._buffer
        head = bytes(buf[:2])
        if buf[0] in (0x1B, 0x1D, 0x10):
            if len(buf) < 2:
                return 0
            if head == b"\x1dv":
                return self._raster()
            if head == b"\x1dV":
                if len(buf) < 3:
                    return 0
                size = 4 if buf[2] in (65, 66) else 3
                if len(buf) < size:
                    return 0
                self._cut()
                return size
            fixed = _FIXED.get(head)
            if fixed is None:
                return 2  # unknown command: skip its prefix
            if len(buf) < fixed:
                return 0
            self._command(head, buf[2] if fixed == 3 else 0, queries)
            return fixed
        if buf[0] == 0x0A:
            self._text.append(_decode(self._line))
            self._line.clear()
            return 1
        self._line.append(buf[0])
        return 1

    def _command(self, head: bytes, arg: int, queries: list[int]) -> None:
        if head == b"\x10\x04":
            queries.append(arg)
        elif head == b"\x1b@":
            self.align = 0
        elif head == b"\x1ba":
            self.align = arg % 48 if arg >= 48 else arg
        elif head == b"\x1bJ":
            self._y += arg // self.units_per_dot

    def _raster(self) -> int:
        buf = self._buffer
        if len(buf) < 8:
            return 0
        mode = buf[3] % 48 if buf[3] >= 48 else buf[3]
        width_bytes = buf[4] | buf[5] << 8
        height = buf[6] | buf[7] << 8
        size = 8 + width_bytes * height
        if len(buf) < size:
            return 0
        data = bytes(buf[8:size])
        image = Image.frombytes("1", (width_bytes * 8, height), data.translate(INVERT_BITS))
        scale = 2 if mode == 3 else 1
        self.rasters.append((image, scale))
        sx = 2 if mode in (1, 3) else 1
        sy = 2 if mode in (2, 3) else 1
        if (sx, sy) != (1, 1):
            image = image.resize((image.width * sx, image.height * sy), Image.Resampling.NEAREST)
        x = {0: 0, 1: (self.width - image.width) // 2, 2: self.width - image.width}[self.align]
        self._placed.append(_Placed(self._y, x, image))
        self._y += image.height
        return size

    def _cut(self) -> None:
        if self._line:
            self._text.append(_decode(self._line))
        height = max((p.y + p.image.height for p in self._placed), default=1)
        paper = Image.new("1", (self.width, max(height, 1)), 1)
        for placed in self._placed:
            paper.paste(placed.image, (placed.x, placed.y))
        self.tickets.append(PrintedTicket(paper, self._text))
        self._reset_page()


def read_tickets(data: bytes, width: int) -> list[PrintedTicket]:
    """All cut tickets in an ESC/POS byte stream."""
    reader = EscPosReader(width)
    reader.feed(data)
    return reader.tickets
