"""Shared helpers: copies of the bundled packs to break in tmp_path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from xephang.devices.audio.pack import PACKS_DIR


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    """A private copy of the default Vietnamese pack."""
    target = tmp_path / "vi-copy"
    shutil.copytree(PACKS_DIR / "vi-espeak", target)
    return target
