"""The cost of one durable SQLite commit on this disk: the floor under every write.

A loop of ``BEGIN IMMEDIATE; INSERT; COMMIT`` on a scratch file (WAL,
``synchronous=FULL``, as the server opens its database) in the given folder. The other
benchmarks print it with their figures, measured in the same run; alone:

    .venv/bin/python bench/fsync.py [--folder /var/tmp] [--commits 300]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import tempfile
import time
from pathlib import Path


def commit_cost_ms(folder: Path, commits: int = 300) -> float:
    """Median wall time of one durable commit of a one-row insert, in ms."""
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        connection = sqlite3.connect(Path(scratch) / "fsync.db", isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=FULL")
            connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
            times = []
            for n in range(commits):
                started = time.perf_counter()
                connection.execute("BEGIN IMMEDIATE")
                connection.execute("INSERT INTO t (v) VALUES (?)", (f"row {n}",))
                connection.execute("COMMIT")
                times.append(time.perf_counter() - started)
        finally:
            connection.close()
    times.sort()
    return 1000 * times[len(times) // 2]


def load_average() -> str:
    """The 1-minute load average, for the line printed with each figure."""
    return f"{os.getloadavg()[0]:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--commits", type=int, default=300)
    args = parser.parse_args()
    cost = commit_cost_ms(args.folder, args.commits)
    print(f"durable SQLite commit: {cost:.2f} ms (median of {args.commits}), load {load_average()}")


if __name__ == "__main__":
    main()
