"""A rendered ticket: a column of centred raster images and native text lines."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image


@dataclass(frozen=True)
class RasterBlock:
    """A 1-bit image (black ink = 0) printed centred; width is a multiple of 8.

    With ``scale`` 2 the printer doubles it in both directions (``GS v 0`` quadruple).
    """

    image: Image.Image
    space_before: int = 0
    scale: int = 1

    @property
    def printed_size(self) -> tuple[int, int]:
        return self.image.width * self.scale, self.image.height * self.scale


@dataclass(frozen=True)
class TextBlock:
    """A line of native printer text (CP1258 mode) with a ``GS !`` size multiplier."""

    text: str
    space_before: int = 0
    size: int = 1
    bold: bool = False


Block = RasterBlock | TextBlock


@dataclass(frozen=True)
class RenderedTicket:
    """The blocks of one ticket for a printer ``width`` dots wide."""

    width: int
    blocks: tuple[Block, ...]

    @property
    def rasters(self) -> list[RasterBlock]:
        return [b for b in self.blocks if isinstance(b, RasterBlock)]

    def preview(self) -> Image.Image:
        """The whole ticket as one 1-bit image (native text lines are not drawn)."""
        height = 0
        for block in self.blocks:
            height += block.space_before
            if isinstance(block, RasterBlock):
                height += block.printed_size[1]
        paper = Image.new("1", (self.width, max(height, 1)), 1)
        y = 0
        for block in self.blocks:
            y += block.space_before
            if isinstance(block, RasterBlock):
                image = block.image
                if block.scale != 1:
                    image = image.resize(block.printed_size, Image.Resampling.NEAREST)
                paper.paste(image, ((self.width - image.width) // 2, y))
                y += image.height
        return paper
