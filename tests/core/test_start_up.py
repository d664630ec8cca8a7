"""Several servers started at once on an empty PostgreSQL database (cluster mode)."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from queue_server.core.db import Database
from queue_server.core.models import Service
from queue_server.core.schema import is_up_to_date
from tests.conftest import _pg_admin, _pg_url

REPO = Path(__file__).resolve().parents[2]
START = """
import sys, tomllib
from queue_server.core.bootstrap import open_center
from queue_server.settings import Settings
raw = tomllib.loads(open(sys.argv[1], encoding="utf-8").read())
raw.update(data_dir=sys.argv[2], database={"url": sys.argv[3]})
settings = Settings.model_validate(raw)
open_center(settings)[1].db.dispose()
"""


@pytest.fixture
def empty_pg_url() -> Iterator[str]:
    name = f"xephang_empty_{uuid.uuid4().hex[:10]}"
    with _pg_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _pg_url(name)
    finally:
        with _pg_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_servers_started_together_migrate_and_sync_once(empty_pg_url: str, tmp_path: Path) -> None:
    """Without the start-up lock two of four failed here (duplicate alembic_version)."""
    starts = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                START,
                str(REPO / "config" / "demo.toml"),
                str(tmp_path / f"server{n}"),
                empty_pg_url,
            ],
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    failures = [(s.wait(timeout=120), s.communicate()[1][-500:]) for s in starts]
    assert [f for f in failures if f[0] != 0] == []
    database = Database(empty_pg_url)
    try:
        assert is_up_to_date(database)
        with database.read() as conn:
            codes = conn.execute(select(Service.code, func.count()).group_by(Service.code))
            assert all(count == 1 for _code, count in codes)
    finally:
        database.dispose()
