"""The systemd units pass ``systemd-analyze verify`` with no output at all.

A template (``xephang@.service``) is verified as an instance (``xephang@5001.service``),
so that its ``%i`` is filled in as systemd fills it in.
"""

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
TEMPLATE = FOLDER / "xephang@.service"
UNITS = sorted([*FOLDER.glob("*.service"), *FOLDER.glob("*.target")])
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


def instance_name(unit: Path) -> str:
    """``xephang@.service`` → ``xephang@5001.service``; other names as they are."""
    return unit.name.replace("@.", "@5001.")


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_unit_verifies_cleanly(tmp_path: Path, unit: Path) -> None:
    result = _verify(unit.read_text(), tmp_path, instance_name(unit))
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
        "User=xephang",  # the system user the Debian package makes (docs/install.md)
        "StateDirectory=xephang",
        "SupplementaryGroups=dialout lp",
        "DevicePolicy=closed",
        "DeviceAllow=char-ttyUSB rw",
        "DeviceAllow=char-usb_device rw",
    ):
        assert required in lines, required
    assert not any(line.startswith("PrivateDevices") for line in lines)
    exec_start = next(line for line in lines if line.startswith("ExecStart="))
    # `xephang run` (the setup page on the package's placeholder, then gunicorn).
    assert exec_start.split()[1:] == ["run", "--host", "0.0.0.0", "--port", "5000", "--access-log"]
    assert "ReadWritePaths=-/etc/xephang" in lines  # the setup page writes center.toml


def test_verify_would_catch_a_misspelt_key_in_the_template_and_the_target(tmp_path: Path) -> None:
    broken = TEMPLATE.read_text().replace("Restart=on-failure", "Restrat=on-failure")
    assert "Restrat" in _stdout_and_err(_verify(broken, tmp_path, "xephang@5001.service"))
    target = (FOLDER / "xephang-cluster.target").read_text()
    broken = target.replace("Description=", "Descripton=")
    assert "Descripton" in _stdout_and_err(_verify(broken, tmp_path, "xephang-cluster.target"))


def _stdout_and_err(result: subprocess.CompletedProcess[str]) -> str:
    return result.stdout + result.stderr


def test_the_template_runs_the_same_server_on_the_port_of_its_instance() -> None:
    """Cluster processes: the single server's command, bound to ``$XEPHANG_BIND``
    (default: the instance's port), grouped by the target, no device visible."""
    lines = TEMPLATE.read_text().splitlines()
    exec_start = next(line for line in lines if line.startswith("ExecStart="))
    command = gunicorn_command("0.0.0.0", 5000, access_log=True)[3:]
    wanted = [word.replace("0.0.0.0:5000", "${XEPHANG_BIND}") for word in command]
    assert exec_start.split()[1:] == wanted  # the server `xephang run` starts, access logged
    for required in (
        "Environment=XEPHANG_BIND=0.0.0.0:%i",
        "EnvironmentFile=-/etc/xephang/server-%i.env",
        "Type=notify",
        "PartOf=xephang-cluster.target",
        "WantedBy=xephang-cluster.target",
        "DynamicUser=yes",
        "User=xephang",
        "StateDirectory=xephang",
        "PrivateDevices=yes",
    ):
        assert required in lines, required
    target = (FOLDER / "xephang-cluster.target").read_text().splitlines()
    assert "WantedBy=multi-user.target" in target


def test_the_devices_unit_reaches_serial_ports_printers_and_speakers() -> None:
    lines = set((FOLDER / "xephang-devices.service").read_text().splitlines())
    for required in (
        "ExecStart=/opt/xephang/.venv/bin/xephang devices",
        "EnvironmentFile=-/etc/xephang/devices.env",  # XEPHANG_TOKEN, XEPHANG_SERVER
        "SupplementaryGroups=dialout lp audio",
        "DevicePolicy=closed",
        "DeviceAllow=char-ttyUSB rw",
        "DeviceAllow=char-usb_device rw",
        "DeviceAllow=char-alsa rw",
    ):
        assert required in lines, required
    assert not any(line.startswith("PrivateDevices") for line in lines)
