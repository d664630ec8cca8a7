"""``xephang voice check`` and ``xephang check`` on prefixes that sound alike (issue #18)."""

from __future__ import annotations

import shutil
from pathlib import Path

from queue_server.cli.check import alike_prefix_warnings
from queue_server.settings import load_settings
from tests.cli.test_check import center
from tests.cli.test_cli import REPO, xephang

OLD = REPO / "tests" / "devices" / "audio" / "old_pack"


def _old_pack(tmp_path: Path) -> Path:
    """The default pack with its old dê/giê clips: D and G said alike."""
    pack = tmp_path / "old-pack"
    shutil.copytree(REPO / "devices" / "audio" / "packs" / "vi-espeak", pack)
    shutil.copy(OLD / "dê.wav", pack / "dê.wav")
    shutil.copy(OLD / "giê.wav", pack / "gờ.wav")
    return pack


def test_voice_check_compares_the_configured_prefixes(tmp_path: Path) -> None:
    config = center(tmp_path)  # the demo: prefixes A B C D E G H K N
    old = xephang("voice", "check", str(_old_pack(tmp_path)), config=config, lang="en")
    assert old.returncode == 1
    assert "has 2 problem(s)" in old.stdout
    assert "letters D and G sound alike (dê.wav and gờ.wav are 0.01 apart" in old.stdout
    assert "prefixes D and G sound alike in this pack (0.01 apart" in old.stdout


def test_check_warns_when_prefixes_sound_alike(tmp_path: Path) -> None:
    config = center(tmp_path)
    assert alike_prefix_warnings(load_settings(config)) == []  # the demo as shipped
    assert xephang("init", config=config).returncode == 0
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('pack = "vi-espeak"', f'pack = "{_old_pack(tmp_path)}"'))
    warned = xephang("check", config=config)
    assert warned.returncode == 0, warned.stderr  # a warning, not a failure
    (line,) = [line for line in warned.stdout.splitlines() if line.startswith("Cảnh báo")]
    assert line.startswith("Cảnh báo: tiền tố D và G đọc nghe giống nhau trong gói giọng đọc ")
    assert "(cách nhau 0.01)" in line
