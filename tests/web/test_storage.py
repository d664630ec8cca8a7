"""The server's SQLite file: private, watched while in use, never silently re-created."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from queue_server.auth.tokens import create_token
from queue_server.core.bootstrap import open_center
from queue_server.core.errors import Unavailable
from queue_server.core.storage import DatabaseMissing
from queue_server.runtime import start_app
from queue_server.settings import Settings


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_database_files_and_data_dir_are_private(settings: Settings) -> None:
    app = start_app(settings, testing=True)
    queue = app.extensions["xephang"].queue
    queue.issue("HT")  # the WAL and shared-memory files exist while the server runs
    data_dir = Path(settings.data_dir)
    files = [data_dir / name for name in ("xephang.db", "xephang.db-wal", "xephang.db-shm")]
    assert all(path.exists() for path in files)
    assert [mode(path) for path in files] == [0o600, 0o600, 0o600]
    assert mode(data_dir) == 0o750
    queue.db.dispose()


def test_an_old_world_readable_database_is_tightened(settings: Settings) -> None:
    _settings, queue = open_center(settings)
    queue.db.dispose()
    database = Path(settings.data_dir) / "xephang.db"
    database.chmod(0o644)
    _settings, queue = open_center(settings)
    assert mode(database) == 0o600
    queue.db.dispose()


def test_a_database_deleted_while_serving_stops_writes_and_readiness(settings: Settings) -> None:
    app = start_app(settings, testing=True)
    queue = app.extensions["xephang"].queue
    secret, _info = create_token(queue.db, "kiosk", name="kiosk-1")
    client = app.test_client()
    kiosk = {"Authorization": f"Bearer {secret}"}
    assert client.post("/api/v1/tickets", json={"service": "HT"}, headers=kiosk).status_code == 201
    assert client.get("/api/v1/readyz").status_code == 200

    database = Path(settings.data_dir) / "xephang.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink()

    issued = client.post("/api/v1/tickets", json={"service": "HT"}, headers=kiosk)
    assert issued.status_code == 503
    assert "xephang.db" in issued.get_json()["error"]
    ready = client.get("/api/v1/readyz")
    assert ready.status_code == 503
    assert ready.get_json()["checks"]["database"]["ok"] is False
    assert not database.exists()  # no new empty file was made under the server
    queue.db.dispose()

    with pytest.raises(DatabaseMissing):  # a restart does not make an empty database
        start_app(settings, testing=True)
    assert not database.exists()


def test_a_replaced_database_file_is_noticed(settings: Settings, tmp_path: Path) -> None:
    _settings, queue = open_center(settings)
    database = Path(settings.data_dir) / "xephang.db"
    copy = tmp_path / "copy.db"
    copy.write_bytes(database.read_bytes())
    copy.replace(database)  # another inode at the same path
    with pytest.raises(Unavailable):
        queue.issue("HT")
    queue.db.dispose()
