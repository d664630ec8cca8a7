"""CPU time of issuing one priority ticket against the length of the waiting queue.

In process, on the demo center (config/demo.toml): the service Hộ tịch gets 0, 1,000
and 10,000 waiting tickets (inserted straight into the database: most of them normal,
some of each priority category, one every two seconds before now), then the script
issues ``--count`` elderly tickets and ``--count`` normal ones through ``Queue.issue``
and prints the median CPU milliseconds (this process's ``time.process_time``) and the
median wall milliseconds of each.
Issue #19: a priority ticket's place (``core/estimates.py``) once read the whole queue.

To measure an older version of the code, run this script with that checkout's Python
(its ``.venv`` has the checkout installed in editable mode):

    .venv/bin/python bench/estimate.py [--levels 0,1000,10000] [--count 20]
        [--databases sqlite,postgresql]
    ../old-checkout/.venv/bin/python bench/estimate.py   # the same figures, older code
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from sqlalchemy import func, select

from queue_server.core.catalogue import sync_catalogue
from queue_server.core.clock import FrozenClock, local_day
from queue_server.core.db import Database
from queue_server.core.models import Service, Ticket
from queue_server.core.operations import Queue
from queue_server.core.schema import upgrade
from queue_server.settings import Settings, load_settings

REPO = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
SERVICE = "HT"
# The waiting mix: mostly normal tickets, some of each walk-in priority category.
MIX = [None] * 12 + ["elderly", "disabled", "pregnant_child", "ethnic_minority", "poor_household"]
START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 15:00 local: a long day behind


@contextmanager
def database(kind: str, tmp: Path) -> Iterator[Database]:
    """A fresh, migrated database of ``kind`` (PostgreSQL: created and dropped here)."""
    if kind == "sqlite":
        db = Database(f"sqlite:///{tmp / 'queue.db'}")
        try:
            yield db
        finally:
            db.dispose()
        return
    name = f"xephang_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    db = Database(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
    try:
        yield db
    finally:
        db.dispose()
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def add_waiting(queue: Queue, settings: Settings, until: int, rng: random.Random) -> None:
    """Insert waiting tickets for SERVICE until ``until`` wait (one every 2 s before now)."""
    now = queue.clock.now()
    day = local_day(now, settings.center.zone)
    categories = queue.catalogue.categories
    with queue.db.write() as conn:
        service_id = conn.execute(select(Service.id).where(Service.code == SERVICE)).scalar_one()
        waiting = conn.execute(
            select(func.count()).where(
                Ticket.status == "waiting", Ticket.service_id == service_id, Ticket.day == day
            )
        ).scalar_one()
        lowest = conn.execute(select(func.min(Ticket.seq))).scalar() or 0
        rows = []
        for n in range(max(0, until - waiting)):
            code = rng.choice(MIX)
            category = categories[code] if code else None
            seq = min(0, lowest) - 1 - n
            rows.append(
                {
                    "service_id": service_id,
                    "origin_service_id": service_id,
                    "day": day,
                    "seq": seq,
                    "number": f"W{-seq}",
                    "priority_id": category.id if category else None,
                    "priority_weight": category.weight if category else 0.0,
                    "emergency": False,
                    "channel": "bench",
                    "status": "waiting",
                    "issued_at": now - timedelta(seconds=2 * (until - n)),
                    "recall_count": 0,
                    "transfer_count": 0,
                    "track_code": f"bench-{uuid.uuid4().hex[:16]}",
                    "ahead_at_issue": 0,
                }
            )
        if rows:
            conn.execute(Ticket.__table__.insert(), rows)


def cost_ms(action: Callable[[], object], count: int) -> tuple[float, float]:
    """Median CPU and wall milliseconds of ``action`` over ``count`` runs (after one
    warm-up). On PostgreSQL the statements' own work is the server's, so wall counts."""
    action()
    cpu, wall = [], []
    for _ in range(count):
        started, clock = time.process_time(), time.perf_counter()
        action()
        cpu.append((time.process_time() - started) * 1000)
        wall.append((time.perf_counter() - clock) * 1000)
    return statistics.median(cpu), statistics.median(wall)


def measure(kind: str, levels: list[int], count: int) -> None:
    """Print one table row per waiting level on a database of ``kind``."""
    settings = load_settings(REPO / "config" / "demo.toml")
    clock = FrozenClock(START)
    rng = random.Random(19)
    with tempfile.TemporaryDirectory() as tmp, database(kind, Path(tmp)) as db:
        settings = settings.model_copy(update={"data_dir": tmp})
        upgrade(db)
        with db.write() as conn:
            sync_catalogue(conn, settings)
        from queue_server.core.bootstrap import open_queue

        queue = open_queue(settings, clock=clock, migrate=False, sync=False, db=db)

        def issue(priority: str | None) -> Callable[[], object]:
            def run() -> object:
                clock.advance(seconds=1)
                return queue.issue(SERVICE, priority)

            return run

        for level in levels:
            add_waiting(queue, settings, level, rng)
            elderly = cost_ms(issue("elderly"), count)
            normal = cost_ms(issue(None), count)
            figures = " | ".join(f"{cpu:.2f} | {wall:.2f}" for cpu, wall in (elderly, normal))
            print(f"| {kind} | {level:,} | {figures} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="0,1000,10000")
    parser.add_argument("--count", type=int, default=20, help="issues measured per figure")
    parser.add_argument("--databases", default="sqlite")
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    print("| database | waiting | elderly: CPU ms | wall ms | normal: CPU ms | wall ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind in args.databases.split(","):
        measure(kind, levels, args.count)


if __name__ == "__main__":
    main()
