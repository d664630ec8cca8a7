"""Archive and report timings: a month of busy days moved to the archive, and the
month's report computed before and after (live tables vs live + archive).

Days are played through the real queue (issue, call, finish) with a frozen clock.
Prints a Markdown table; copy it into docs/benchmarks.md. Not a test.

    .venv/bin/python bench/archive.py [--days 30] [--per-day 400] [--databases sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg

from queue_server.core.archive import archive_before, ticket_counts
from queue_server.core.bootstrap import open_queue
from queue_server.core.clock import FrozenClock
from queue_server.core.db import Database
from queue_server.reports import compute_report
from queue_server.settings import load_settings

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
DEMO = Path(__file__).resolve().parents[1] / "config" / "demo.toml"
FIRST_DAY = date(2026, 10, 1)
COUNTER_OF = {"HD": 1, "HT": 2, "CT": 3, "BTXH": 4, "DD": 5, "NCC": 6, "HKD": 5, "CTR": 2}


def play(queue_url: str, days: int, per_day: int, data_dir: Path) -> tuple[float, float, float]:
    settings = load_settings(DEMO).model_copy(update={"data_dir": str(data_dir)})
    clock = FrozenClock(datetime(2026, 10, 1, 1, tzinfo=UTC))
    queue = open_queue(settings, clock=clock, db=Database(queue_url))
    services = list(COUNTER_OF)
    for day_index in range(days):
        day = FIRST_DAY + timedelta(days=day_index)
        clock.set(datetime(day.year, day.month, day.day, 1, tzinfo=UTC))  # 08:00 local
        for n in range(per_day):
            service = services[n % len(services)]
            ticket = queue.issue(service).value
            clock.advance(seconds=60)
            queue.call_ticket(COUNTER_OF[service], ticket.id)
            queue.finish(COUNTER_OF[service])
    clock.set(datetime(2026, 12, 1, 2, tzinfo=UTC))
    queue.issue("HT")  # today's first ticket
    zone = settings.center.zone
    month = (FIRST_DAY, FIRST_DAY + timedelta(days=days - 1))
    started = time.perf_counter()
    before = compute_report(queue.db, zone, *month)
    report_live = time.perf_counter() - started
    started = time.perf_counter()
    moved = archive_before(queue.db, date(2026, 11, 24))
    archive_s = time.perf_counter() - started
    started = time.perf_counter()
    after = compute_report(queue.db, zone, *month)
    report_archived = time.perf_counter() - started
    assert after == before and sum(r.tickets for r in moved) == days * per_day
    assert ticket_counts(queue.db) == (1, days * per_day)
    queue.db.dispose()
    return archive_s, report_live, report_archived


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--per-day", type=int, default=400)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    print(f"{args.days} days × {args.per_day} tickets (3 events each)\n")
    print("| database | archive, whole month | per day | month's report before | after |")
    print("|---|---|---|---|---|")
    for database in args.databases.split(","):
        with tempfile.TemporaryDirectory() as folder:
            if database == "sqlite":
                url = f"sqlite:///{folder}/bench.db"
                timings = play(url, args.days, args.per_day, Path(folder))
            else:
                name = f"xephang_bench_{uuid.uuid4().hex[:8]}"
                with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
                    admin.execute(f'CREATE DATABASE "{name}"')
                try:
                    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
                    timings = play(url, args.days, args.per_day, Path(folder))
                finally:
                    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
                        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        archive_s, live_s, archived_s = timings
        print(
            f"| {database} | {archive_s:.2f} s | {1000 * archive_s / args.days:.0f} ms "
            f"| {live_s:.2f} s | {archived_s:.2f} s |"
        )


if __name__ == "__main__":
    main()
