"""The clock guard's cost on the issue path: the cached check against a database read.

Every issue and call asks the guard whether the clock fits the latest committed time.
The guard answers from memory (:meth:`ClockGuard.fits`); it reads the database (the
newest ticket event and the ``clock`` row, :func:`reference`) only when that fails.
This prints both costs per call, and the issue rate with the guard on and off, on a
SQLite file. Not a test: it only prints figures (docs/outages.md quotes them).

    .venv/bin/python bench/clock.py [--calls 100000] [--issues 2000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from queue_server.core.bootstrap import open_queue
from queue_server.core.clock import FrozenClock
from queue_server.core.clockguard import ClockConfig, ClockGuard, reference
from queue_server.core.operations import Queue
from queue_server.settings import parse_settings

START = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def center(data_dir: Path, enabled: bool) -> dict:
    return {
        "center": {"name": "Trung tâm đo tải"},
        "data_dir": str(data_dir),
        "numbering": {"width": 6, "first": 1, "last": 999999},
        "services": [{"code": "HT", "prefix": "B", "name": "Hộ tịch"}],
        "counters": [{"number": 1, "name": "Quầy 1", "services": ["HT"]}],
        "clock": {"enabled": enabled},
    }


def per_call_us(run: object, calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        run()  # type: ignore[operator]
    return (time.perf_counter() - started) / calls * 1e6


def issue_rate(queue: Queue, clock: FrozenClock, issues: int) -> float:
    started = time.perf_counter()
    for _ in range(issues):
        clock.advance(seconds=1)
        queue.issue("HT")
    return issues / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--issues", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rates = {True: 0.0, False: 0.0}
        for run, enabled in enumerate((False, True, False, True)):  # best of two, alternated
            clock = FrozenClock(START)
            settings = parse_settings(center(Path(tmp) / f"{run}", enabled))
            queue = open_queue(settings, clock=clock)
            rates[enabled] = max(rates[enabled], issue_rate(queue, clock, args.issues))
            if run == 3:
                guard = ClockGuard(ClockConfig())
                with queue.db.read() as conn:
                    guard.admit(conn, clock.now())
                later = clock.now() + timedelta(seconds=1)
                cached = per_call_us(lambda: guard.fits(later), args.calls)  # noqa: B023

                def read() -> None:
                    with queue.db.read() as conn:  # noqa: B023
                        reference(conn)

                database = per_call_us(read, args.calls // 20)
            queue.db.dispose()
    print("| check on the issue path | µs per call |")
    print("|---|---:|")
    print(f"| cached (in memory, `ClockGuard.fits`) | {cached:.2f} |")
    print(f"| database read (`reference`, SQLite) | {database:.1f} |")
    print()
    print(f"issues/s on SQLite, one thread: guard on {rates[True]:.0f}, off {rates[False]:.0f}")


if __name__ == "__main__":
    main()
