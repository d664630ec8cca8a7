"""Alembic environment: always run with a connection given by queue_server.core.schema."""

from __future__ import annotations

from alembic import context

from queue_server.core.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - guarded by queue_server.core.schema
    raise RuntimeError("run migrations through 'xephang db upgrade'")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
