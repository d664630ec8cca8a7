"""The setup wizard of a new center: ``xephang setup`` and the first-start page
(docs/setup.md)."""

from __future__ import annotations

import tomllib
from pathlib import Path

__all__ = ["unconfigured"]


def unconfigured(path: Path) -> bool:
    """True when ``path`` holds no center: missing, or only comments (the package's
    placeholder). The first start then offers the setup page."""
    try:
        return not tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return True
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
