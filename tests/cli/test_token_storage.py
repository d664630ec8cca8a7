"""docs/deployment.md, Accounts and tokens: "The token is printed once; only its SHA-256
is stored." A token made with the real command is in no byte of the database files, and
``token list`` never shows it."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from queue_server.cli.accounts import token

from .test_cli import config  # noqa: F401


def test_a_token_is_printed_once_and_only_its_sha256_is_stored(
    config: Path,  # noqa: F811
) -> None:
    runner = CliRunner()
    made = runner.invoke(
        token, ["create", "--role", "display", "--expires", "never", "--config", str(config)]
    )
    assert made.exit_code == 0, made.output
    secret = next(word for word in made.stdout.split() if word.startswith("xp_"))
    database = config.parent / "data" / "xephang.db"
    with sqlite3.connect(database) as conn:
        rows = conn.execute("SELECT * FROM api_tokens").fetchall()
        stored = conn.execute("SELECT token_hash FROM api_tokens").fetchall()
    assert (hashlib.sha256(secret.encode()).hexdigest(),) in stored
    assert not any(secret in str(value) for row in rows for value in row)
    for path in database.parent.glob("xephang.db*"):  # the WAL too
        assert secret.encode() not in path.read_bytes(), path
    listed = runner.invoke(token, ["list", "--config", str(config)])
    assert listed.exit_code == 0 and secret not in listed.output
