"""Texts of the accessibility aids: the kiosk's large-text mode and keypad, and the
officer console's priority category line (merged into ``texts.PAGES``)."""

from __future__ import annotations

from xephang.i18n import N_

KIOSK_ACCESS: dict[str, str] = {
    "access_toggle": N_("Large text"),
    "keypad_hint": N_("Keypad: number keys choose, Enter confirms, 0 repeats."),
}

OFFICER_ACCESS: dict[str, str] = {
    "category_called": N_("{number} belongs to the priority category: {category}."),
}
