"""A database that cannot take a write answers 503 with Retry-After, fast (issue 12).

SQLite locked by another process: the test holds ``BEGIN IMMEDIATE`` on the file.
A full disk: every connection of the app may not grow the file (``max_page_count``),
which fails exactly as a full disk does (SQLITE_FULL).
"""

from __future__ import annotations

import errno
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event

from queue_server.auth.tokens import create_token
from queue_server.core.clock import FrozenClock
from queue_server.core.db import Database, write_problem
from queue_server.installation_config import DatabaseConfig
from queue_server.runtime import start_app
from queue_server.settings import Settings

Headers = dict[str, str]


def _admin(database: Database, clock: FrozenClock) -> Headers:
    secret, _info = create_token(database, "admin", clock=clock)
    return {"Authorization": f"Bearer {secret}"}


def test_a_locked_database_is_a_503_within_the_busy_timeout(
    settings: Settings, tmp_path: Path, clock: FrozenClock
) -> None:
    path = tmp_path / "locked.db"
    configured = settings.model_copy(
        update={"database": DatabaseConfig(url=f"sqlite:///{path}", busy_timeout_ms=400)}
    )
    app = start_app(configured, testing=True)
    database: Database = app.extensions["xephang"].queue.db
    assert database.busy_timeout_s == 0.4
    admin = _admin(database, clock)
    client = app.test_client()
    assert client.post("/api/v1/tickets", json={"service": "HT"}, headers=admin).status_code == 201

    holder = sqlite3.connect(path, isolation_level=None)  # another process's writer
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        refused = client.post("/api/v1/tickets", json={"service": "HT"}, headers=admin)
        elapsed = time.monotonic() - started
        assert refused.status_code == 503, refused.get_json()
        assert refused.headers["Retry-After"] == "2"
        assert refused.get_json()["error"]
        assert elapsed < 3, elapsed
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert client.post("/api/v1/tickets", json={"service": "HT"}, headers=admin).status_code == 201
    database.dispose()


def test_the_default_busy_timeout_is_a_few_seconds() -> None:
    assert DatabaseConfig().busy_timeout_ms <= 5000


def test_a_full_disk_is_a_503_and_readyz_says_not_ready_until_a_write_succeeds(
    settings: Settings, tmp_path: Path, clock: FrozenClock
) -> None:
    url = f"sqlite:///{tmp_path / 'full.db'}"
    app = start_app(settings.model_copy(update={"database": DatabaseConfig(url=url)}), testing=True)
    database: Database = app.extensions["xephang"].queue.db
    admin = _admin(database, clock)
    client = app.test_client()

    def no_growth(dbapi_connection: Any, _record: Any) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    database.dispose()  # every connection opened anew, the writers' too
    event.listen(database.engine, "connect", no_growth)
    statuses: list[int] = []
    for _ in range(500):
        response = client.post("/api/v1/tickets", json={"service": "HT"}, headers=admin)
        statuses.append(response.status_code)
        if response.status_code != 201:
            break
    assert statuses[-1] == 503, statuses[-5:]
    assert 500 not in statuses
    assert int(response.headers["Retry-After"]) > 0
    not_ready = client.get("/api/v1/readyz")
    assert not_ready.status_code == 503
    assert not_ready.get_json()["checks"]["storage"] == {"ok": False, "detail": "disk_full"}

    event.remove(database.engine, "connect", no_growth)  # space was freed
    database.dispose()
    ready = client.get("/api/v1/readyz")
    assert ready.status_code == 200, ready.get_json()
    assert client.post("/api/v1/tickets", json={"service": "HT"}, headers=admin).status_code == 201
    database.dispose()


def test_which_errors_mean_storage_or_busy() -> None:
    assert write_problem(OSError(errno.ENOSPC, "No space left on device")) == "storage"
    assert write_problem(OSError(errno.EACCES, "Permission denied")) is None
    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode = 13
    assert write_problem(full) == "storage"
    assert write_problem(ValueError("x")) is None


def test_a_file_written_on_a_full_disk_is_a_503(
    settings: Settings, tmp_path: Path, monkeypatch: Any
) -> None:
    app = start_app(
        settings.model_copy(
            update={"database": DatabaseConfig(url=f"sqlite:///{tmp_path / 'f.db'}")}
        ),
        testing=True,
    )

    def full(*_args: Any, **_kwargs: Any) -> Callable[..., Any]:
        raise OSError(errno.ENOSPC, "No space left on device")

    app.view_functions["ops.healthz"] = full
    response = app.test_client().get("/api/v1/healthz")
    assert response.status_code == 503
    assert "Retry-After" in response.headers
    assert app.extensions["xephang"].queue.db.storage_problem == "storage"
