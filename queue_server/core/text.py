"""Text that enters xephang: NFC, and free of characters that break pages and storage.

A lone surrogate (``"\\ud800"`` in JSON) cannot be written as UTF-8: stored once, it
made every page that shows it fail. NUL cannot be stored in PostgreSQL text. Other
control characters and bidirectional overrides garble screens, tickets and logs.
Every request body, form field and settings value is checked with :func:`clean_text`
(through the :data:`Line` and :data:`Lines` types) before it is used or stored.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Annotated, Any

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

# The English message (the admin pages translate it, see web/admin/messages.py).
NOT_ALLOWED = "contains characters that are not allowed"
ERROR_TYPE = "text_characters"

LINE_BREAKS = frozenset("\n\r\t")
# Bidirectional embeddings, overrides and isolates: they reorder what a screen shows.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def bad_character(value: str, *, multiline: bool = False) -> str | None:
    """The first character ``value`` may not hold, or None when it is clean.

    Refused: lone surrogates, NUL and every other control character (line breaks and
    tabs only in ``multiline`` text), bidirectional controls and non-characters.
    """
    for char in value:
        category = unicodedata.category(char)
        if category == "Cs" or char in BIDI_CONTROLS:
            return char
        if category == "Cc" and not (multiline and char in LINE_BREAKS):
            return char
        if category == "Cn" and (0xFDD0 <= ord(char) <= 0xFDEF or ord(char) & 0xFFFE == 0xFFFE):
            return char
    return None


def clean_text(value: str, *, multiline: bool = False) -> str:
    """``value`` in NFC; raise :class:`ValueError` (a pydantic error) if it holds a bad
    character."""
    if bad_character(value, multiline=multiline) is not None:
        raise PydanticCustomError(ERROR_TYPE, NOT_ALLOWED)
    return unicodedata.normalize("NFC", value)


def _line(value: str) -> str:
    return clean_text(value)


def _lines(value: str) -> str:
    return clean_text(value, multiline=True)


Line = Annotated[str, AfterValidator(_line)]
"""One line of text (names, codes, phone numbers); add a ``Field`` for its length."""

Lines = Annotated[str, AfterValidator(_lines)]
"""Text that may hold line breaks and tabs (notices, comments)."""


def bad_strings(data: Any, where: str = "") -> Iterator[str]:
    """The location (``services[1].name``) of every string in ``data`` (JSON-like) that
    holds a bad character, keys included; line breaks are allowed here."""
    if isinstance(data, str):
        if bad_character(data, multiline=True) is not None:
            yield where or "(value)"
    elif isinstance(data, dict):
        for key, value in data.items():
            name = str(key)
            if bad_character(name) is not None:
                yield f"{where}.?" if where else "?"
            else:
                inner = f"{where}.{name}" if where else name
                yield from bad_strings(value, inner)
    elif isinstance(data, list | tuple):
        for index, value in enumerate(data):
            yield from bad_strings(value, f"{where}[{index}]")
