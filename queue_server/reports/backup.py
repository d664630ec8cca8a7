"""SQLite backup (online, with SQLite's backup API) and checked restore."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from pathlib import Path

from sqlalchemy.engine import make_url

from queue_server.core.storage import FILE_MODE, private_dir
from queue_server.i18n import _

POSTGRESQL_PROCEDURE = """\
  # backup (online, consistent, while the server runs)
  pg_dump --format=custom --file=xephang-$(date +%F).dump "postgresql://xephang@127.0.0.1/xephang"
  # restore (server stopped)
  systemctl stop xephang
  dropdb xephang && createdb --owner=xephang xephang
  pg_restore --dbname=xephang --no-owner --role=xephang xephang-2026-11-30.dump
  systemctl start xephang
  # see docs/reports.md"""


class BackupError(Exception):
    """A backup or restore that cannot be done; ``message`` is for people."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def sqlite_file(database_url: str) -> Path | None:
    """The database file of a SQLite URL; ``None`` for any other database."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return None
    if not url.database or url.database == ":memory:":
        raise BackupError(_("An in-memory database cannot be backed up."))
    return Path(url.database)


def backup_sqlite(source: Path, target: Path) -> None:
    """Copy the live database ``source`` to a new file ``target`` (online backup API).

    Safe while the server writes: SQLite copies a consistent snapshot. The copy is made
    under a hidden temporary name in the target's folder (0600), checked, and only then
    linked to ``target``: a backup killed half-way leaves no ``target`` behind (at most
    a ``.NAME.*.partial`` file), so the same path can be used again.
    """
    if not source.is_file():
        raise BackupError(_("There is no database at {path}.").format(path=source))
    if target.exists():
        raise BackupError(_("{path} already exists; choose a new file.").format(path=target))
    private_dir(target.parent)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(handle)  # mkstemp made it 0600; SQLite keeps that mode for its journal
    partial = Path(name)
    try:
        with (
            contextlib.closing(_read_only(source)) as src,
            contextlib.closing(sqlite3.connect(partial)) as dst,
        ):
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        check_backup(partial)
        _fsync(partial)
        try:
            os.link(partial, target)  # atomic, and never replaces a file made meanwhile
        except FileExistsError:
            raise BackupError(
                _("{path} already exists; choose a new file.").format(path=target)
            ) from None
        _fsync(target.parent)
    finally:
        for suffix in ("", "-journal"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    """Flush a file's (or a folder's entries') data to disk."""
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def check_backup(path: Path) -> str:
    """The schema revision of the xephang database in ``path``, or :class:`BackupError`."""
    if not path.is_file():
        raise BackupError(_("There is no file {path}.").format(path=path))
    not_xephang = _("{path} is not a xephang database backup.").format(path=path)
    try:
        with contextlib.closing(_read_only(path)) as conn:
            if conn.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise BackupError(not_xephang)
            tables = {
                name
                for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if not {"tickets", "alembic_version"} <= tables:
                raise BackupError(not_xephang)
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        raise BackupError(not_xephang) from None
    if row is None or not row[0]:
        raise BackupError(not_xephang)
    return str(row[0])


def restore_sqlite(backup: Path, target: Path) -> str:
    """Replace the database ``target`` with ``backup``; returns the restored revision.

    The backup is checked first. Pages are copied with the backup API into the live
    file, so its WAL and shared-memory files stay consistent. Stop the server first.
    """
    revision = check_backup(backup)
    if backup.resolve() == target.resolve():
        raise BackupError(_("The backup is the database itself."))
    if not target.exists():
        for suffix in ("-wal", "-shm"):  # left over from a deleted database file
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        private_dir(target.parent)
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    with (
        contextlib.closing(_read_only(backup)) as src,
        contextlib.closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)
    return revision
