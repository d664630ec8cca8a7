"""The systemd unit passes ``systemd-analyze verify`` with no output at all."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from queue_server.cli.run import gunicorn_command

FOLDER = Path(__file__).resolve().parents[2] / "systemd"
UNIT = FOLDER / "xephang.service"
UNITS = sorted(FOLDER.glob("*.service"))
ANALYZE = shutil.which("systemd-analyze")

pytestmark = pytest.mark.skipif(ANALYZE is None, reason="systemd-analyze is not installed")


def _verify(
    text: str, folder: Path, name: str = "xephang.service"
) -> subprocess.CompletedProcess[str]:
    """Verify ``text`` as a unit whose binaries point at this Python (they must exist)."""
    text = re.sub(r"^(ExecStart(?:Pre)?=)(\S+)", rf"\g<1>{sys.executable}", text, flags=re.M)
    unit = folder / name
    unit.write_text(text)
    return subprocess.run(
        [ANALYZE or "systemd-analyze", "verify", "--man=no", str(unit)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_unit_verifies_cleanly(tmp_path: Path, unit: Path) -> None:
    result = _verify(unit.read_text(), tmp_path, unit.name)
    assert result.returncode == 0
    assert result.stdout + result.stderr == ""


def test_verify_would_catch_a_misspelt_key(tmp_path: Path) -> None:
    broken = UNIT.read_text().replace("Restart=on-failure", "Restrat=on-failure")
    result = _verify(broken, tmp_path)
    assert "Restrat" in result.stdout + result.stderr


def test_unit_has_the_required_settings() -> None:
    lines = set(UNIT.read_text().splitlines())
    for required in (
        "Type=notify",
        "Restart=on-failure",
        "DynamicUser=yes",
        "StateDirectory=xephang",
        "SupplementaryGroups=dialout lp",
        "DevicePolicy=closed",
        "DeviceAllow=char-ttyUSB rw",
        "DeviceAllow=char-usb_device rw",
    ):
        assert required in lines, required
    assert not any(line.startswith("PrivateDevices") for line in lines)
    exec_start = next(line for line in lines if line.startswith("ExecStart="))
    assert exec_start.split()[1:] == [
        *gunicorn_command("0.0.0.0", 5000)[3:-1],
        "--access-logfile",
        "-",
        "queue_server.web.wsgi:app",
    ]  # the server `xephang run` starts, plus the access log
