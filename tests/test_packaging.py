"""The wheel installs the drivers and screens under the project's name, never as
top-level ``devices`` or ``display`` packages, and carries their data files."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
COPY_SKIPS = (".git", ".venv", "var", "build", "dist", "*.egg-info", "__pycache__", ".*_cache")


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    out = tmp_path_factory.mktemp("wheel")
    # A copy, so the build leaves neither a build/ folder nor stale files in the checkout.
    source = tmp_path_factory.mktemp("source") / "xephang"
    shutil.copytree(REPO, source, symlinks=True, ignore=shutil.ignore_patterns(*COPY_SKIPS))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "--wheel-dir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
        cwd=out,
    )
    (wheel,) = out.glob("xephang-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_only_project_names_are_top_level(wheel_names: set[str]) -> None:
    top = {name.split("/", 1)[0] for name in wheel_names if "/" in name}
    top = {name for name in top if not name.endswith(".dist-info")}
    assert top == {"queue_server", "xephang"}


def test_drivers_screens_and_their_data_are_namespaced(wheel_names: set[str]) -> None:
    assert "xephang/devices/printer/render.py" in wheel_names
    assert "xephang/devices/audio/packs/vi-espeak/manifest.json" in wheel_names
    assert "xephang/display/templates/screens/display.html" in wheel_names
    assert any(n.startswith("xephang/display/static/") for n in wheel_names)
    # The shipped language packs and their template (docs/languages.md).
    assert "queue_server/languages/messages.pot" in wheel_names
    assert "queue_server/languages/en/language.toml" in wheel_names
    assert "queue_server/languages/hmn/messages.po" in wheel_names
    # The demo center, whose services, counters and categories are the setup's ward template.
    assert "xephang/config/demo.toml" in wheel_names
