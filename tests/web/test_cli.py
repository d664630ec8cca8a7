"""``xephang user`` and ``xephang token`` against a real database file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from queue_server.auth.tokens import principal_for_token
from queue_server.auth.users import authenticate
from queue_server.cli.main import main
from queue_server.core.clock import SystemClock
from queue_server.core.db import Database

DEMO = Path(__file__).resolve().parents[2] / "config" / "demo.toml"


@pytest.fixture
def config(tmp_path: Path) -> Path:
    text = DEMO.read_text(encoding="utf-8")
    text = re.sub(r"^data_dir = .*$", f'data_dir = "{tmp_path / "data"}"', text, flags=re.M)
    path = tmp_path / "center.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _db(tmp_path: Path) -> Database:
    return Database(f"sqlite:///{tmp_path / 'data' / 'xephang.db'}")


def test_user_add_with_password_on_stdin(config: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["user", "add", "lan", "--role", "officer", "--password-stdin", "--config", str(config)]
    result = runner.invoke(main, args, input="mật khẩu an toàn\n")
    assert result.exit_code == 0, result.output
    user = authenticate(_db(tmp_path), "lan", "mật khẩu an toàn")
    assert user is not None and user.role == "officer"
    again = runner.invoke(main, args, input="mật khẩu an toàn\n")
    assert again.exit_code == 1
    short = runner.invoke(
        main,
        ["user", "add", "ha", "--role", "admin", "--password-stdin", "--config", str(config)],
        input="short\n",
    )
    assert short.exit_code == 1
    listed = runner.invoke(main, ["user", "list", "--config", str(config)])
    assert "lan" in listed.output and "officer" in listed.output


def test_user_add_manager_for_the_reports(config: Path, tmp_path: Path) -> None:
    args = ["user", "add", "tam", "--role", "manager", "--password-stdin", "--config", str(config)]
    result = CliRunner().invoke(main, args, input="báo cáo hằng tháng\n")
    assert result.exit_code == 0, result.output
    user = authenticate(_db(tmp_path), "tam", "báo cáo hằng tháng")
    assert user is not None and user.role == "manager"


def test_user_add_volunteer_for_help_records(config: Path, tmp_path: Path) -> None:
    args = [
        "user",
        "add",
        "mai",
        "--role",
        "volunteer",
        "--password-stdin",
        "--config",
        str(config),
    ]
    result = CliRunner().invoke(main, args, input="tình nguyện viên\n")
    assert result.exit_code == 0, result.output
    user = authenticate(_db(tmp_path), "mai", "tình nguyện viên")
    assert user is not None and user.role == "volunteer"


def test_user_add_prompts_for_the_password(config: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["user", "add", "mai", "--role", "helpdesk", "--config", str(config)],
        input="long password\nlong password\n",
    )
    assert result.exit_code == 0, result.output
    assert authenticate(_db(tmp_path), "mai", "long password") is not None


def test_token_create_list_revoke(config: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    created = runner.invoke(
        main,
        [
            "token",
            "create",
            "--role",
            "officer",
            "--counter",
            "2",
            "--expires",
            "30d",
            "--name",
            "Quầy 2",
            "--config",
            str(config),
        ],
    )
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip().splitlines()[0]
    assert secret.startswith("xp_")
    principal = principal_for_token(_db(tmp_path), secret, SystemClock().now())
    assert principal is not None and principal.counter == 2 and principal.role == "officer"

    listed = runner.invoke(main, ["token", "list", "--config", str(config)])
    assert "Quầy 2" in listed.output and secret not in listed.output

    revoked = runner.invoke(main, ["token", "revoke", str(principal.id), "--config", str(config)])
    assert revoked.exit_code == 0, revoked.output
    assert principal_for_token(_db(tmp_path), secret, SystemClock().now()) is None

    for bad in (
        ["--role", "officer"],  # no counter
        ["--role", "kiosk", "--counter", "2"],
        ["--role", "officer", "--counter", "42"],
        ["--role", "kiosk", "--expires", "soon"],
    ):
        result = runner.invoke(main, ["token", "create", *bad, "--config", str(config)])
        assert result.exit_code != 0, bad
    missing = runner.invoke(main, ["token", "revoke", "999", "--config", str(config)])
    assert missing.exit_code == 1


def test_run_and_demo_document_their_options() -> None:
    runner = CliRunner()
    assert "--port" in runner.invoke(main, ["run", "--help"]).output
    demo = runner.invoke(main, ["demo", "--help"]).output
    assert "--port" in demo and "--no-serve" in demo


def test_rating_token_belongs_to_a_counter(config: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    created = runner.invoke(
        main,
        ["token", "create", "--role", "rating", "--counter", "3", "--config", str(config)],
    )
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip().splitlines()[0]
    principal = principal_for_token(_db(tmp_path), secret, SystemClock().now())
    assert principal is not None and (principal.role, principal.counter) == ("rating", 3)
    for bad in (["--role", "rating"], ["--role", "rating", "--counter", "42"]):
        result = runner.invoke(main, ["token", "create", *bad, "--config", str(config)])
        assert result.exit_code != 0, bad
    no_counter = runner.invoke(
        main, ["token", "create", "--role", "rating", "--config", str(config)]
    )
    assert "--counter N" in no_counter.output
