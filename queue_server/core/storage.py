"""The center's SQLite file: created once and privately, never silently re-created.

The rule: the first time xephang creates a SQLite database it writes the file's path
into ``<data_dir>/databases-created`` (the marker). When a database named there is
missing later, every command and the server refuse to start instead of creating an
empty one (every API token would answer 401): restore a backup (``xephang restore``)
or start again on purpose with ``xephang init`` (the demo: ``xephang demo --reset``).

Files are created 0600 (SQLite gives its ``-wal`` and ``-shm`` files the database's
mode), directories 0750; an existing database file is tightened to 0600.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from queue_server.core.errors import Unavailable
from queue_server.i18n import _

FILE_MODE = 0o600
DIR_MODE = 0o750
MARKER = "databases-created"
SIDE_FILES = ("-wal", "-shm", "-journal")


class DatabaseMissing(Unavailable):
    """A database that was created for this data directory is not there any more."""

    code = "database_missing"


def private_dir(path: Path) -> None:
    """Create ``path`` (and parents) as 0750; an existing directory keeps its mode."""
    if path.is_dir():
        return
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    os.chmod(path, DIR_MODE)  # mkdir's mode is reduced by the umask, never widened


def tighten(path: Path) -> None:
    """Make an existing file of ours readable by its owner only."""
    try:
        if stat.S_IMODE(path.stat().st_mode) & 0o077:
            os.chmod(path, FILE_MODE)
    except FileNotFoundError:
        pass


def _marker(data_dir: Path) -> Path:
    return data_dir / MARKER


def created_here(data_dir: Path, database: Path) -> bool:
    """Whether xephang once created ``database`` for ``data_dir``."""
    try:
        lines = _marker(data_dir).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return False
    return str(database.resolve()) in lines


def remember(data_dir: Path, database: Path) -> None:
    """Note in the marker that ``database`` exists for ``data_dir``."""
    if created_here(data_dir, database):
        return
    private_dir(data_dir)
    fd = os.open(_marker(data_dir), os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write(f"{database.resolve()}\n")


def prepare_sqlite_file(database: Path, data_dir: Path, *, create: bool = False) -> bool:
    """Make ``database`` ready to open; returns True when it was created now.

    An existing file is tightened to 0600. A missing file is created (empty, 0600)
    on the first run, or when ``create`` is set (``xephang init``); otherwise, if the
    marker says it existed, :class:`DatabaseMissing` is raised.
    """
    private_dir(database.parent)
    if database.exists():
        for suffix in ("", *SIDE_FILES):
            tighten(Path(f"{database}{suffix}"))
        remember(data_dir, database)
        return False
    if not create and created_here(data_dir, database):
        raise DatabaseMissing(
            _(
                "The database {path} is missing. Restore a backup (xephang restore FILE), "
                "or run xephang init to start again with an empty database."
            ).format(path=database)
        )
    for suffix in SIDE_FILES:  # left over from the file that was there before
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    remember(data_dir, database)
    return True


class DatabaseFileGone(Unavailable):
    """The database file in use was deleted or replaced while the server ran."""

    code = "database_file_gone"

    def __init__(self, path: Path) -> None:
        super().__init__(
            _(
                "The database file {path} was deleted or replaced while in use; nothing "
                "more is written. Stop the server and restore a backup."
            ).format(path=path)
        )


class FileIdentity:
    """Remembers which file (device, inode) a path named when first opened."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._identity: tuple[int, int] | None = None

    def _current(self) -> tuple[int, int] | None:
        try:
            found = os.stat(self.path)
        except FileNotFoundError:
            return None
        return found.st_dev, found.st_ino

    def remember(self) -> None:
        """Take the file now at the path as the one in use (once)."""
        if self._identity is None:
            self._identity = self._current()

    def intact(self) -> bool:
        """The path still names the file first opened (one ``stat``; True before)."""
        return self._identity is None or self._current() == self._identity

    def check(self) -> None:
        """Raise :class:`DatabaseFileGone` when the file was deleted or replaced."""
        if not self.intact():
            raise DatabaseFileGone(self.path)
