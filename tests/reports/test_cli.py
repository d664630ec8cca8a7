"""``xephang report``, ``backup`` and ``restore`` run as real processes."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from queue_server.core.bootstrap import open_queue
from queue_server.core.clock import FrozenClock
from queue_server.core.operations import Queue
from queue_server.settings import load_settings

REPO = Path(__file__).resolve().parents[2]
Play = Callable[[Queue, FrozenClock], None]


def _command(args: Sequence[str], config: Path) -> list[str]:
    return [sys.executable, "-m", "queue_server.cli", *args, "--config", str(config)]


def _env() -> dict[str, str]:
    env = {**os.environ, "XEPHANG_LANG": "vi"}
    env.pop("XEPHANG_CONFIG", None)
    return env


def xephang(*args: str, config: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(_command(args, config), capture_output=True, env=_env(), timeout=60)


def xephang_together(
    runs: Sequence[Sequence[str]], config: Path
) -> list[subprocess.CompletedProcess[bytes]]:
    """Run independent commands at the same time (each one starts a Python)."""
    processes = [
        subprocess.Popen(
            _command(args, config), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env()
        )
        for args in runs
    ]
    results = []
    for args, process in zip(runs, processes, strict=True):
        out, err = process.communicate(timeout=60)
        results.append(subprocess.CompletedProcess(list(args), process.returncode, out, err))
    return results


def write_config(tmp_path: Path, database_url: str = "") -> Path:
    text = (REPO / "config" / "demo.toml").read_text(encoding="utf-8")
    text = text.replace('data_dir = "../var/demo"', f'data_dir = "{tmp_path / "data"}"')
    text = text.replace('url = ""', f'url = "{database_url}"', 1)
    path = tmp_path / "center.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def config(tmp_path: Path, play: Play) -> Path:
    """A SQLite center holding the known days."""
    path = write_config(tmp_path)
    queue = open_queue(
        load_settings(path), clock=FrozenClock(datetime(2026, 11, 23, 2, tzinfo=UTC))
    )
    play(queue, queue.clock)  # type: ignore[arg-type]
    queue.db.dispose()
    return path


def database_file(config: Path) -> Path:
    return config.parent / "data" / "xephang.db"


def test_csv_report_to_stdout(config: Path) -> None:
    result = xephang("report", "--from", "2026-11-23", "--to", "2026-11-24", config=config)
    assert result.returncode == 0, result.stderr.decode()
    text = result.stdout.decode("utf-8")
    assert text.startswith("\ufeffTổng hợp\r\n")
    assert "Hộ tịch,4,3,0,1,4.7,4,8,6,6,10\r\n" in text
    assert "Số người yếu thế đã được phục vụ,2\r\n" in text
    assert result.stderr == b""  # two days: no progress bar


def test_csv_report_to_stdout_uses_no_deprecated_click_api(config: Path) -> None:
    """``click.get_binary_stream`` warns now and is gone in Click 9."""
    warnings_as_errors = {"PYTHONWARNINGS": "error::DeprecationWarning:queue_server.cli.reports"}
    result = subprocess.run(
        _command(["report", "--from", "2026-11-23", "--to", "2026-11-23"], config),
        capture_output=True,
        env={**_env(), **warnings_as_errors},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode("utf-8").startswith("\ufeffTổng hợp\r\n")


def test_xlsx_report_for_a_month_with_progress(config: Path, tmp_path: Path) -> None:
    out = tmp_path / "thang-11.xlsx"
    result = xephang(
        "report", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "xlsx",
        "--out", str(out), config=config,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    stderr = result.stderr.decode()
    assert "Đang tổng hợp theo ngày" in stderr
    assert f"Đã ghi báo cáo vào {out}." in stderr
    days = load_workbook(out)["Theo ngày"]
    assert days.max_row == 1 + 30 + 1
    assert [c.value for c in days[24]][:5] == ["2026-11-23", 6, 4, 1, 1]


BAD_ARGUMENTS = [
    (("--from", "2026-13-01", "--to", "2026-11-30"), "2026-13-01 không phải là ngày"),
    (("--from", "2026-11-30", "--to", "2026-11-01"), "2026-11-30 sau 2026-11-01."),
    (("--from", "2026-11-01", "--to", "2026-11-30", "--format", "xlsx"), "--out"),
    (("--from", "2026-11-01"), "--to"),
]


def test_bad_arguments_exit_non_zero(config: Path) -> None:
    runs = [("report", *args) for args, _message in BAD_ARGUMENTS]
    for result, (_args, message) in zip(xephang_together(runs, config), BAD_ARGUMENTS, strict=True):
        assert result.returncode == 2, result.args
        stderr = result.stderr.decode()
        assert message in stderr
        assert "Traceback" not in stderr


def test_backup_wipe_restore_gives_the_same_report(config: Path, tmp_path: Path) -> None:
    range_args = ("report", "--from", "2026-11-01", "--to", "2026-11-30")
    copy = tmp_path / "saoluu" / "xephang-2026-11-30.db"
    before, saved = xephang_together([range_args, ("backup", str(copy))], config)
    assert before.returncode == 0
    assert saved.returncode == 0, saved.stderr.decode()
    assert copy.is_file()

    db = database_file(config)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)

    restored = xephang("restore", str(copy), config=config)
    assert restored.returncode == 0, restored.stderr.decode()
    assert "Đã khôi phục" in restored.stdout.decode()
    after = xephang(*range_args, config=config)
    assert after.returncode == 0
    assert after.stdout == before.stdout


def test_restore_refuses_what_is_not_a_xephang_backup(config: Path, tmp_path: Path) -> None:
    text_file = tmp_path / "notes.db"
    text_file.write_text("không phải cơ sở dữ liệu", encoding="utf-8")
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE tickets (id INTEGER)")
    before = database_file(config).read_bytes()
    bad_files = (text_file, other, tmp_path / "missing.db")
    existing = tmp_path / "existing.db"
    existing.write_bytes(b"")
    results = xephang_together(
        [*(("restore", str(bad)) for bad in bad_files), ("backup", str(existing))], config
    )
    for result, bad in zip(results, [*bad_files, existing], strict=True):
        assert result.returncode == 1, bad
        assert str(bad) in result.stderr.decode()
    assert "đã tồn tại" in results[-1].stderr.decode()
    assert database_file(config).read_bytes() == before
    assert existing.read_bytes() == b""


def test_postgresql_center_gets_the_pg_dump_procedure(pg_url: str, tmp_path: Path) -> None:
    config = write_config(tmp_path, pg_url)
    runs = [(command, str(tmp_path / "x.db")) for command in ("backup", "restore")]
    for result in xephang_together(runs, config):
        assert result.returncode == 1
        stderr = result.stderr.decode()
        assert "pg_dump" in stderr and "pg_restore" in stderr
        assert "chỉ dùng được với cơ sở dữ liệu SQLite" in stderr
