"""Whether a process of this host still runs: idempotency claims and device leases left
by a process that died (``kill -9``, a crash) are taken over at once, not after their
expiry. Linux ``/proc``; a pid may be reused, so a process is named by its pid and its
start time."""

from __future__ import annotations

import os
from pathlib import Path


def process_start(pid: int) -> int | None:
    """The process's start time in clock ticks since boot; None when there is no such
    process, it is a zombie (it has ended), or ``/proc`` cannot be read."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    return None if fields[0] == "Z" else int(fields[19])


def has_ended(pid: int, start: int | None) -> bool:
    """True when process ``pid`` of this host, started at ``start`` (None: not known),
    no longer runs: no such process, a zombie, or the pid now names a process started
    at another time. Never true for this process."""
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # alive, another user's
    now = process_start(pid)
    return now is None or (start is not None and now != start)
