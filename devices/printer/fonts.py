"""Fonts with every Vietnamese letter: Be Vietnam Pro (PyPI), DejaVu Sans as fallback."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PIL import ImageFont

DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")
_DEJAVU = {400: "DejaVuSans.ttf", 700: "DejaVuSans-Bold.ttf"}


@cache
def font_path(weight: int = 400) -> Path:
    """Path of a Vietnamese-capable TrueType font of ``weight`` (400 or 700)."""
    try:
        import fontpkg

        path = Path(fontpkg.path("Be Vietnam Pro", weight, nearest=True))
        if path.is_file():
            return path
    except Exception:  # package missing or broken: fall back to DejaVu
        pass
    fallback = DEJAVU_DIR / _DEJAVU[700 if weight >= 600 else 400]
    if fallback.is_file():
        return fallback
    raise FileNotFoundError(
        "no Vietnamese font: install fontpkg-be-vietnam-pro or Debian fonts-dejavu-core"
    )


@cache
def load_font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """A cached Pillow font of ``size`` pixels."""
    return ImageFont.truetype(str(font_path(700 if bold else 400)), size)
