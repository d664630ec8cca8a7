"""Open a center's queue from its settings: database, schema, catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from queue_server.core.catalogue import sync_catalogue
from queue_server.core.clock import Clock, SystemClock
from queue_server.core.db import Database, sqlite_path
from queue_server.core.operations import Queue, QueueOptions
from queue_server.core.overrides import apply_saved
from queue_server.core.schema import one_start_up_at_a_time, upgrade
from queue_server.core.storage import prepare_sqlite_file, private_dir

if TYPE_CHECKING:
    from queue_server.settings import Settings


def queue_options(settings: Settings) -> QueueOptions:
    """The queue's options taken from the settings."""
    return QueueOptions(
        zone=settings.center.zone,
        numbering=settings.numbering,
        policy=settings.policy,
        clock=settings.clock,
    )


def open_database(settings: Settings, *, create: bool = False) -> Database:
    """The center's database; a SQLite file goes through the rule of
    :mod:`queue_server.core.storage` (``create``: ``xephang init`` may make it anew)."""
    data_dir = Path(settings.data_dir)
    private_dir(data_dir)
    path = sqlite_path(settings.database_url())
    if path is not None:
        prepare_sqlite_file(path, data_dir, create=create)
    return Database(settings.database_url(), busy_timeout_ms=settings.database.busy_timeout_ms)


def open_center(
    settings: Settings,
    *,
    clock: Clock | None = None,
    migrate: bool = True,
    sync: bool = True,
    db: Database | None = None,
    create: bool = False,
) -> tuple[Settings, Queue]:
    """Open the database, bring its schema up to date and sync the catalogue.

    Returns the effective settings (the file plus the admin pages' saved changes that
    still apply, see :mod:`queue_server.core.overrides`) and the queue. A SQLite file
    that existed once and is missing now raises ``DatabaseMissing`` unless ``create``.
    """
    database = db or open_database(settings, create=create)
    clock = clock or SystemClock()
    if migrate:
        upgrade(database)
    effective = settings
    if sync:
        with database.write() as conn:
            one_start_up_at_a_time(conn)
            effective = apply_saved(conn, settings, clock.now())
            sync_catalogue(conn, effective)
    return effective, Queue(database, queue_options(effective), clock)


def open_queue(
    settings: Settings,
    *,
    clock: Clock | None = None,
    migrate: bool = True,
    sync: bool = True,
    db: Database | None = None,
    create: bool = False,
) -> Queue:
    """The queue of :func:`open_center` (for callers that need no settings)."""
    return open_center(settings, clock=clock, migrate=migrate, sync=sync, db=db, create=create)[1]
