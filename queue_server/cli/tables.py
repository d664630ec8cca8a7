"""Plain-text tables that line up Vietnamese text (NFC, one column per character)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def _width(text: str) -> int:
    return sum(0 if unicodedata.combining(ch) else 1 for ch in unicodedata.normalize("NFC", text))


def render_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A table with a header line and columns padded to their widest cell."""
    cells = [[str(c) for c in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        return "  ".join(
            cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)
        ).rstrip()

    separator = "  ".join("─" * w for w in widths)
    return "\n".join([line(cells[0]), separator, *(line(row) for row in cells[1:])])
