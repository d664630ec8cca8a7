"""The texts citizens see: what a language pack translates (docs/languages.md).

The kiosk, the hall display and the rating tablet (their page texts plus the common
ones) and the printed ticket. The template ``queue_server/languages/messages.pot`` is
made from this list (``xephang language template``).
"""

from __future__ import annotations

from xephang.devices.printer.labels import TICKET_MESSAGES
from xephang.display.texts import COMMON, PAGES

PUBLIC_PAGES = ("kiosk", "display", "rate")


def public_messages() -> dict[str, list[str]]:
    """Every public msgid (English) → where it shows (``kiosk:title``, ``ticket``)."""
    found: dict[str, list[str]] = {}
    for page in PUBLIC_PAGES:
        for key, message in {**COMMON, **PAGES[page]}.items():
            found.setdefault(message, []).append(f"{page}:{key}")
    for message in TICKET_MESSAGES:
        found.setdefault(message, []).append("ticket")
    return found
