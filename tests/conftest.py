"""Shared fixtures: settings, real SQLite files and real PostgreSQL databases."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest

from queue_server.core.bootstrap import open_queue
from queue_server.core.catalogue import sync_catalogue
from queue_server.core.clock import FrozenClock
from queue_server.core.clockguard import ClockConfig
from queue_server.core.db import Database
from queue_server.core.operations import Queue
from queue_server.core.schema import upgrade
from queue_server.settings import Settings, load_settings

REPO = Path(__file__).resolve().parents[1]
DEMO_CONFIG = REPO / "config" / "demo.toml"
PG_ADMIN_DSN = os.environ.get("XEPHANG_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(scope="session")
def demo_settings() -> Settings:
    return load_settings(DEMO_CONFIG)


@pytest.fixture
def settings(demo_settings: Settings, tmp_path: Path) -> Settings:
    """The demo center with its data directory in a temporary folder, the clock guard
    off: tests move their frozen clocks freely (tests/core/test_clockguard.py turns it
    on)."""
    return demo_settings.model_copy(
        update={"data_dir": str(tmp_path / "data"), "clock": ClockConfig(enabled=False)}
    )


@pytest.fixture
def clock() -> FrozenClock:
    """09:00 local time (02:00 UTC) on a Monday."""
    return FrozenClock(datetime(2026, 11, 23, 2, 0, tzinfo=UTC))


def _pg_admin() -> psycopg.Connection:
    return psycopg.connect(PG_ADMIN_DSN, autocommit=True)


def _pg_url(name: str) -> str:
    base = PG_ADMIN_DSN.rsplit("/", 1)[0]
    return f"{base.replace('postgresql://', 'postgresql+psycopg://', 1)}/{name}"


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A migrated PostgreSQL database used as template for each test's database."""
    try:
        admin = _pg_admin()
    except psycopg.OperationalError as exc:  # pragma: no cover - environment problem
        pytest.fail(f"PostgreSQL is required for these tests: {exc}")
    name = f"xephang_tmpl_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    database = Database(_pg_url(name))
    upgrade(database)
    database.dispose()
    try:
        yield name
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def pg_url(pg_template: str) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for one test (dropped afterwards)."""
    name = f"xephang_test_{uuid.uuid4().hex[:10]}"
    with _pg_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"')
        # Tests check behaviour, not PostgreSQL's own fsync: skip the wait for it.
        admin.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    try:
        yield _pg_url(name)
    finally:
        with _pg_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each test using this runs once on a SQLite file and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'queue.db'}"
    return request.getfixturevalue("pg_url")


def _demo_queue(settings: Settings, url: str, clock: FrozenClock) -> Iterator[Queue]:
    database = Database(url)
    upgrade(database)
    with database.write() as conn:
        sync_catalogue(conn, settings)
    yield open_queue(settings, clock=clock, migrate=False, sync=False, db=database)
    database.dispose()


@pytest.fixture
def queue(settings: Settings, db_url: str, clock: FrozenClock) -> Iterator[Queue]:
    """The demo center's queue on a real database, with a frozen clock."""
    yield from _demo_queue(settings, db_url, clock)


@pytest.fixture
def pg_queue(settings: Settings, pg_url: str, clock: FrozenClock) -> Iterator[Queue]:
    """The demo center's queue on PostgreSQL, with a frozen clock."""
    yield from _demo_queue(settings, pg_url, clock)
