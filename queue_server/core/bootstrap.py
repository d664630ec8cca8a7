"""Open a center's queue from its settings: database, schema, catalogue."""

from __future__ import annotations

from typing import TYPE_CHECKING

from queue_server.core.catalogue import sync_catalogue
from queue_server.core.clock import Clock
from queue_server.core.db import Database
from queue_server.core.operations import Queue, QueueOptions
from queue_server.core.schema import upgrade

if TYPE_CHECKING:
    from queue_server.settings import Settings


def queue_options(settings: Settings) -> QueueOptions:
    """The queue's options taken from the settings."""
    return QueueOptions(
        zone=settings.center.zone, numbering=settings.numbering, policy=settings.policy
    )


def open_queue(
    settings: Settings,
    *,
    clock: Clock | None = None,
    migrate: bool = True,
    sync: bool = True,
    db: Database | None = None,
) -> Queue:
    """Open the database, bring its schema up to date and sync the catalogue."""
    database = db or Database(settings.database_url())
    if migrate:
        upgrade(database)
    if sync:
        with database.write() as conn:
            sync_catalogue(conn, settings)
    return Queue(database, queue_options(settings), clock)
