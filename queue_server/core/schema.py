"""Schema migrations (Alembic), run programmatically."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from queue_server.core.db import Database

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
# The key of the PostgreSQL advisory lock that start-up work holds ("xeph").
START_UP_LOCK = 0x78657068


def one_start_up_at_a_time(conn: Connection) -> None:
    """On PostgreSQL, wait until no other process is migrating or syncing the catalogue,
    and hold the turn until ``conn``'s transaction ends: several servers started at once
    on an empty database would otherwise create the same tables and rows side by side.
    SQLite serialises writers by itself."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": START_UP_LOCK})


def alembic_config() -> Config:
    """An Alembic configuration pointing at the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade(db: Database, revision: str = "head") -> None:
    """Bring the database schema up to ``revision``."""
    config = alembic_config()
    with db.engine.begin() as conn:
        one_start_up_at_a_time(conn)
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def current_revision(db: Database) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    """The newest revision shipped with this version."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def is_up_to_date(db: Database) -> bool:
    return current_revision(db) == head_revision()
