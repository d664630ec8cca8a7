"""Pictograms as inline SVG (no icon fonts, no files to fetch).

Names match ``icon`` in the services and priorities of the configuration; an unknown
name falls back to a plain ticket.
"""

from __future__ import annotations

from markupsafe import Markup

# Inner markup of a 24×24 stroke drawing.
_SHAPES: dict[str, str] = {
    "help": '<circle cx="12" cy="12" r="9"/><path d="M9.5 9a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 '
    '.9-1 1.7v.5"/><circle cx="12" cy="17" r=".6" fill="currentColor"/>',
    "family": '<circle cx="8" cy="6" r="2.5"/><circle cx="16" cy="6" r="2.5"/>'
    '<circle cx="12" cy="13" r="2"/><path d="M4 21v-6a4 4 0 0 1 8 0M12 15a4 4 0 0 1 8 0v6'
    'M9 21v-3a3 3 0 0 1 6 0v3"/>',
    "stamp": '<path d="M9 3h6v5l2 5H7l2-5z"/><path d="M4 13h16v4H4zM6 21h12"/>',
    "hands": '<path d="M3 14l4-4 3 1 4-3 3 2-4 3"/><path d="M3 14l3 3h6l6-4 3 1"/>'
    '<path d="M12 4v3M9 5l1 2M15 5l-1 2"/>',
    "land": '<path d="M3 20l5-9 4 6 3-4 6 7z"/><circle cx="17" cy="6" r="2"/>',
    "medal": '<circle cx="12" cy="15" r="5"/><path d="M8 3l4 7 4-7M12 13v4"/>',
    "shop": '<path d="M4 9l2-5h12l2 5M4 9h16v1a3 3 0 0 1-6 0 3 3 0 0 1-4 0 3 3 0 0 1-6 0z"/>'
    '<path d="M5 12v8h14v-8M10 20v-5h4v5"/>',
    "house": '<path d="M3 11l9-7 9 7"/><path d="M5 10v10h14V10M10 20v-6h4v6"/>',
    "home": '<path d="M3 11l9-7 9 7"/><path d="M5 10v10h14V10"/><path d="M12 17s-3-2-3-4a1.5'
    ' 1.5 0 0 1 3-.5 1.5 1.5 0 0 1 3 .5c0 2-3 4-3 4z"/>',
    "elderly": '<circle cx="11" cy="4" r="2"/><path d="M11 7l-1 6 3 3v5M10 13l-3 8M11 8l4 3'
    '"/><path d="M17 11v10"/>',
    "disabled": '<circle cx="12" cy="4" r="2"/><path d="M12 7v6h5l2 6M12 10h4"/>'
    '<path d="M8 11a5 5 0 1 0 7 6"/>',
    "pregnant": '<circle cx="11" cy="4" r="2"/><path d="M10 7c-1 2-1 4 0 6 3 0 5 2 4 4l-2'
    ' 1v3M10 13v8"/>',
    "language": '<path d="M4 5h8M8 3v2M6 5c0 4 3 7 6 8M10 5c0 4-3 7-6 8"/>'
    '<path d="M13 21l4-9 4 9M14.5 18h5"/>',
    "emergency": '<path d="M12 3l10 18H2z"/><path d="M12 10v5"/><circle cx="12" cy="18" '
    'r=".6" fill="currentColor"/>',
    "inbox": '<path d="M4 13l2-8h12l2 8v6H4z"/><path d="M4 13h5l1 2h4l1-2h5"/>'
    '<path d="M12 7v5M10 10l2 2 2-2"/>',
    "ticket": '<path d="M4 6h16v4a2 2 0 0 0 0 4v4H4v-4a2 2 0 0 0 0-4z"/><path d="M10 9v6"/>',
    "none": '<circle cx="12" cy="12" r="9"/><path d="M8 12h8"/>',
    "back": '<path d="M15 5l-7 7 7 7"/>',
    "check": '<path d="M5 12l5 5 9-11"/>',
    "calendar": '<rect x="3" y="5" width="18" height="16" rx="2"/>'
    '<path d="M3 10h18M8 3v4M16 3v4"/>',
    # Faces for the satisfaction question (very satisfied, satisfied, not satisfied).
    "face_very": '<circle cx="12" cy="12" r="9.5"/><path d="M7 9.5q1-1.5 2 0M15 9.5q1-1.5 2 0"/>'
    '<path d="M7 13.5h10a5 5 0 0 1-10 0z"/>',
    "face_ok": '<circle cx="12" cy="12" r="9.5"/><circle cx="9" cy="9.5" r="1" '
    'fill="currentColor"/><circle cx="15" cy="9.5" r="1" fill="currentColor"/>'
    '<path d="M8 14.5q4 3 8 0"/>',
    "face_sad": '<circle cx="12" cy="12" r="9.5"/><circle cx="9" cy="9.5" r="1" '
    'fill="currentColor"/><circle cx="15" cy="9.5" r="1" fill="currentColor"/>'
    '<path d="M8 16.5q4-3 8 0"/>',
    "globe": '<circle cx="12" cy="12" r="9"/><path d="M3 12h18M12 3c3 3 3 15 0 18M12 3c-3 '
    '3-3 15 0 18"/>',
}


def icon(name: str | None, size: int = 48, label: str | None = None) -> Markup:
    """An inline SVG pictogram; decorative unless ``label`` is given."""
    shape = _SHAPES.get(name or "", _SHAPES["ticket"])
    a11y = f'role="img" aria-label="{Markup.escape(label)}"' if label else 'aria-hidden="true"'
    return Markup(
        f'<svg class="icon" width="{size}" height="{size}" viewBox="0 0 24 24" fill="none" '
        f'stroke="currentColor" stroke-width="1.8" stroke-linecap="round" '
        f'stroke-linejoin="round" focusable="false" {a11y}>{shape}</svg>'
    )


def known_icons() -> list[str]:
    """Names with a drawing of their own."""
    return sorted(_SHAPES)
