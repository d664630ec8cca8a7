"""Numbers as people read them in the page's language (Vietnamese: 1.234,5)."""

from __future__ import annotations

from babel.numbers import format_decimal

from queue_server.i18n import current_language


def format_number(value: float, *, decimals: int = 0, language: str | None = None) -> str:
    """``value`` with grouping and exactly ``decimals`` decimals, e.g. ``5,4`` in Vietnamese."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=language or current_language())
