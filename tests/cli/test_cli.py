"""The xephang command line, run as a real process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def config(tmp_path: Path) -> Path:
    text = (REPO / "config" / "demo.toml").read_text(encoding="utf-8")
    text = text.replace('data_dir = "../var/demo"', f'data_dir = "{tmp_path / "data"}"')
    path = tmp_path / "center.toml"
    path.write_text(text, encoding="utf-8")
    return path


def xephang(
    *args: str, config: Path | None = None, lang: str = "vi"
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XEPHANG_LANG": lang}
    env.pop("XEPHANG_CONFIG", None)
    command = [sys.executable, "-m", "queue_server.cli", *args]
    if config is not None:
        command += ["--config", str(config)]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)


def test_full_round(config: Path) -> None:
    assert xephang("init", config=config).returncode == 0
    issued = xephang("ticket", "issue", "HT", config=config)
    assert issued.returncode == 0, issued.stderr
    assert "B001" in issued.stdout
    assert "Hộ tịch" in issued.stdout
    priority = xephang("ticket", "issue", "HT", "--priority", "elderly", config=config)
    assert "B002" in priority.stdout
    called = xephang("counter", "next", "2", config=config)
    assert called.returncode == 0
    assert "B001" in called.stdout or "B002" in called.stdout
    status = xephang("status", config=config)
    assert status.returncode == 0
    assert "Quầy 2 – Hộ tịch" in status.stdout
    assert "đã gọi" in status.stdout


def test_english_output(config: Path) -> None:
    result = xephang("ticket", "issue", "CT", config=config, lang="en")
    assert "Ticket C001 for Chứng thực" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ticket", "issue", "XX"), "Không có dịch vụ: XX"),
        (("ticket", "issue", "HT", "--priority", "vip"), "Không có nhóm ưu tiên: vip"),
        (("counter", "next", "42"), "Không có quầy: 42"),
        (("counter", "recall", "3"), "Quầy 3 đang không phục vụ ai."),
    ],
)
def test_bad_input_exits_non_zero_with_message(
    config: Path, args: tuple[str, ...], message: str
) -> None:
    result = xephang(*args, config=config)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_config_exits_2_naming_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[center]\nname = 'x'\ntimezone = 'Nowhere/City'\n", encoding="utf-8")
    result = xephang("status", config=broken)
    assert result.returncode == 2
    assert str(broken) in result.stderr
    assert "center.timezone" in result.stderr


def test_usage_error_is_non_zero(config: Path) -> None:
    result = xephang("counter", "next", "hai", config=config)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_transfer_and_close_day(config: Path) -> None:
    xephang("ticket", "issue", "HT", config=config)
    xephang("counter", "next", "2", config=config)
    moved = xephang("counter", "transfer", "2", "CT", "--to-counter", "4", config=config)
    assert moved.returncode == 0, moved.stderr
    assert "Số B001 chuyển sang chờ Chứng thực." in moved.stdout
    assert "Không có ai đang chờ quầy 3." in xephang("counter", "next", "3", config=config).stdout
    assert "Quầy 4 mời số B001." in xephang("counter", "next", "4", config=config).stdout
    closed = xephang("close-day", config=config)
    assert "Đã đóng 0 phiếu" in closed.stdout


def test_printer_test_on_the_virtual_printer(config: Path, tmp_path: Path) -> None:
    result = xephang("printer", "test", "kiosk-1", config=config)
    assert result.returncode == 0, result.stderr
    assert "kiosk-1" in result.stdout
    assert list((tmp_path / "data" / "tickets" / "kiosk-1").glob("*.png"))
    missing = xephang("printer", "test", "kiosk-9", config=config)
    assert missing.returncode == 1
    assert "Không có kiosk tên kiosk-9" in missing.stderr


def test_voice_check(config: Path, tmp_path: Path) -> None:
    good = xephang("voice", "check", "vi-espeak", config=config)
    assert good.returncode == 0, good.stdout + good.stderr
    broken = tmp_path / "pack"
    shutil.copytree(REPO / "devices" / "audio" / "packs" / "vi-espeak", broken)
    (broken / "mười.wav").unlink()
    result = xephang("voice", "check", str(broken), config=config)
    assert result.returncode == 1
    assert "mười.wav" in result.stdout


def test_a_token_lifetime_past_the_calendar_is_refused_in_words(config: Path) -> None:
    assert xephang("init", config=config).returncode == 0
    made = xephang("token", "create", "--role", "display", "--expires", "999999w", config=config)
    assert made.returncode == 2, made.stderr
    assert "--expires" in made.stderr and "Traceback" not in made.stderr
    assert xephang("token", "list", config=config).stdout.count("display") == 0


def test_a_token_name_with_a_control_character_is_refused_in_words(config: Path) -> None:
    assert xephang("init", config=config).returncode == 0
    made = xephang("token", "create", "--role", "display", "--name", "Màn\x1b[2J", config=config)
    assert made.returncode != 0
    assert "Traceback" not in made.stderr
    assert "ký tự không lưu được" in made.stderr + made.stdout
    assert xephang("token", "list", config=config).stdout.count("display") == 0
