"""The migrations build exactly the tables the models declare, on both databases."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from queue_server.core.db import Database
from queue_server.core.models import Base
from queue_server.core.schema import upgrade


def _differences(url: str) -> list[Any]:
    database = Database(url)
    try:
        upgrade(database)
        with database.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return [
                change
                for change in compare_metadata(context, Base.metadata)
                if not _is_alembic_own(change)
            ]
    finally:
        database.dispose()


def _is_alembic_own(change: Any) -> bool:
    return isinstance(change, tuple) and getattr(change[1], "name", None) == "alembic_version"


def test_migrations_match_the_models(db_url: str) -> None:
    assert _differences(db_url) == []
