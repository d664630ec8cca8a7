"""``<data_dir>/server.lock``: which data directories a running server uses.

Every server process (``xephang run``, ``xephang demo``, gunicorn) holds a shared
``flock`` on the file for as long as it lives, so several servers may share one data
directory. Replacing the data under them (``xephang demo --reset``) needs the lock
exclusively and is refused while any server holds it. The kernel drops the lock when
the process ends, however it ends: a stale lock file means nothing.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from queue_server.core.errors import Unavailable
from queue_server.core.storage import FILE_MODE, private_dir
from queue_server.i18n import _

LOCK_NAME = "server.lock"


class DataDirInUse(Unavailable):
    """The data directory is in use by a server, or being reset."""

    code = "data_dir_in_use"


class ServerLock:
    """An open, locked ``server.lock``; :meth:`release` (or process exit) unlocks it."""

    def __init__(self, data_dir: Path, *, exclusive: bool) -> None:
        private_dir(data_dir)
        self.path = data_dir / LOCK_NAME
        self._fd: int | None = os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        try:
            fcntl.flock(self._fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            self.release()
            if exclusive:
                raise DataDirInUse(
                    _(
                        "A running xephang server uses {path}: stop it first (Ctrl+C in "
                        "its terminal)."
                    ).format(path=data_dir)
                ) from None
            raise DataDirInUse(
                _("{path} is being reset; start the server again when that is done.").format(
                    path=data_dir
                )
            ) from None

    @classmethod
    def for_server(cls, data_dir: Path) -> ServerLock:
        """The shared lock a server holds while it runs."""
        return cls(data_dir, exclusive=False)

    @classmethod
    def for_reset(cls, data_dir: Path) -> ServerLock:
        """The exclusive lock taken to replace the data (refused while a server runs)."""
        return cls(data_dir, exclusive=True)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the lock
            self._fd = None

    def __enter__(self) -> ServerLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()

    def __del__(self) -> None:
        self.release()
