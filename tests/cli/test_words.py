"""Issue 13: one wording for the wait, and the command line's own words in Vietnamese."""

from __future__ import annotations

import inspect
import os
import string
import subprocess
import sys
import unicodedata
from pathlib import Path

import click
from babel.messages.pofile import read_po

from queue_server.cli.main import main
from queue_server.i18n import translate
from xephang.devices.printer.labels import wait_text

from .test_cli import REPO, config, xephang  # noqa: F401


def test_ticket_issue_says_the_wait_as_the_kiosk_does(config: Path) -> None:  # noqa: F811
    issued = xephang("ticket", "issue", "HT", config=config)
    assert issued.returncode == 0, issued.stderr
    assert "khoảng 0 phút" not in issued.stdout
    assert issued.stdout.strip() == (
        "Số B001 – Hộ tịch: 0 người chờ trước. Thời gian chờ dự kiến: dưới 1 phút"
    )
    second = xephang("ticket", "issue", "HT", config=config)
    # One ahead, 420 s at two counters: 210 s, rounded up as on the kiosk.
    assert second.stdout.strip().endswith("1 người chờ trước. Thời gian chờ dự kiến: khoảng 4 phút")


def test_the_printed_ticket_rounds_as_the_kiosk() -> None:
    assert wait_text(150, "vi", 2) == "Thời gian chờ dự kiến: khoảng 3 phút"
    assert wait_text(0, "vi", 0) == "Thời gian chờ dự kiến: dưới 1 phút"


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "queue_server.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)


def test_help_is_in_the_centers_language(config: Path) -> None:  # noqa: F811
    # No XEPHANG_LANG, and a shell that asks for English: the center's Vietnamese wins.
    env = {k: v for k, v in os.environ.items() if k not in ("XEPHANG_LANG", "XEPHANG_CONFIG")}
    env |= {"LANGUAGE": "en_US", "LANG": "en_US.UTF-8", "XEPHANG_CONFIG": str(config)}
    top = _run("--help", env=env)
    assert top.returncode == 0, top.stderr
    assert top.stdout.startswith("Cách dùng: xephang [OPTIONS] COMMAND [ARGS]...")
    assert "Tùy chọn:" in top.stdout and "Lệnh:" in top.stdout
    assert "Hiện hướng dẫn này rồi thoát." in top.stdout
    assert "Cấp phiếu" not in top.stdout  # (a subcommand's help, below)
    issue = _run("ticket", "issue", "--help", env=env).stdout
    assert "Cấp phiếu cho lĩnh vực SERVICE" in issue and "Mã nhóm ưu tiên." in issue
    for english in ("Usage:", "Options:", "Show this message", "Issue a ticket"):
        assert english not in top.stdout + issue


def test_an_error_is_in_one_language(config: Path) -> None:  # noqa: F811
    result = xephang("report", "--from", "2026-12-03", "--to", "2026-11-23", config=config)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("Cách dùng: xephang report")
    assert lines[-1] == "Lỗi: Giá trị không hợp lệ cho --from: 2026-12-03 sau 2026-11-23."
    english = xephang("report", "--from", "2026-12-03", "--to", "2026-11-23", config=config,
                      lang="en")  # fmt: skip
    assert english.stderr.strip().splitlines()[-1].startswith("Error: Invalid value for --from")


def test_an_unknown_priority_lists_the_valid_codes(config: Path) -> None:  # noqa: F811
    result = xephang("ticket", "issue", "HT", "--priority", "vip", config=config)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Lỗi: Không có nhóm ưu tiên: vip. Các mã hợp lệ: emergency, elderly, disabled, "
        "pregnant_child, merit, ethnic_minority, poor_household."
    )


def test_every_command_and_option_has_vietnamese_help() -> None:
    missing = [
        (path, text) for path, text in _help_texts(main, "xephang") if translate(text, "vi") == text
    ]
    assert missing == []


def _help_texts(command: click.Command, path: str) -> list[tuple[str, str]]:
    found = []
    english = command.__dict__.get("_xephang_english", {})
    help_text = english.get("help", command.help)
    if help_text:
        found.append((path, inspect.cleandoc(help_text)))
    for param in command.params:
        originals = param.__dict__.get("_xephang_english", {})
        text = originals.get("help", getattr(param, "help", None))
        if isinstance(param, click.Option) and text and param.name not in ("help", "version"):
            found.append((f"{path} --{param.name}", inspect.cleandoc(text)))
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            found += _help_texts(sub, f"{path} {name}")
    return found


def test_click_catalogue_keeps_placeholders() -> None:
    with (REPO / "queue_server" / "cli" / "locale" / "vi.po").open("rb") as handle:
        messages = [m for m in read_po(handle) if m.id]
    assert len(messages) > 40
    for message in messages:
        ids = message.id if isinstance(message.id, list | tuple) else (message.id,)
        texts = message.string if isinstance(message.string, list | tuple) else (message.string,)
        wanted = set().union(*(_fields(i) for i in ids))
        for text in texts:
            assert text and unicodedata.is_normalized("NFC", text), message.id
            assert _fields(text) <= wanted, message.id


def _fields(text: str) -> set[str]:
    return {name for _l, name, _s, _c in string.Formatter().parse(text) if name}
