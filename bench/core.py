"""Queue core throughput: issue/s and call-next/s.

On SQLite and PostgreSQL, with 1, 8 and 16 worker threads, and with 0, 100k and 1M
tickets of history (earlier days, finished). Prints a Markdown table; copy it into
docs/benchmarks.md. Not a test: it only prints figures.

    .venv/bin/python bench/core.py [--ops 2000] [--histories 0,100000,1000000]
        [--workers 1,8,16] [--databases sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import psycopg
from sqlalchemy import text

from queue_server.core.bootstrap import open_queue
from queue_server.core.db import Database
from queue_server.core.operations import Queue
from queue_server.settings import parse_settings

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
SERVICES = ["HT", "CT", "DD", "CTR"]
COUNTERS = 16


def center(data_dir: Path) -> dict:
    return {
        "center": {"name": "Trung tâm đo tải"},
        "data_dir": str(data_dir),
        "numbering": {"width": 6, "first": 1, "last": 999999},
        "services": [
            {"code": code, "prefix": prefix, "name": code}
            for code, prefix in zip(SERVICES, "BCEK", strict=True)
        ],
        "counters": [
            {"number": n, "name": f"Quầy {n}", "services": SERVICES} for n in range(1, COUNTERS + 1)
        ],
        "priorities": [{"code": "elderly", "name": "Người cao tuổi", "weight": 1.0}],
    }


def fill_history(db: Database, count: int) -> None:
    """Insert ``count`` finished tickets spread over the 400 days before today."""
    if count == 0:
        return
    sql_sqlite = """
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :count)
        INSERT INTO tickets (service_id, origin_service_id, day, seq, number, priority_weight,
            emergency, channel, status, issued_at, finished_at, recall_count, transfer_count,
            track_code, ahead_at_issue)
        SELECT 1 + i % 4, 1 + i % 4, date('now', '-' || (1 + i % 400) || ' days'),
            i, 'H' || i, 0, 0, 'kiosk', 'done',
            datetime('now', '-' || (1 + i % 400) || ' days'),
            datetime('now', '-' || (1 + i % 400) || ' days'), 0, 0, 'h' || i, 0
        FROM n
    """
    sql_pg = """
        INSERT INTO tickets (service_id, origin_service_id, day, seq, number, priority_weight,
            emergency, channel, status, issued_at, finished_at, recall_count, transfer_count,
            track_code, ahead_at_issue)
        SELECT 1 + i % 4, 1 + i % 4, current_date - (1 + i % 400), i, 'H' || i, 0,
            false, 'kiosk', 'done', now() - (1 + i % 400) * interval '1 day',
            now() - (1 + i % 400) * interval '1 day', 0, 0, 'h' || i, 0
        FROM generate_series(1, :count) AS i
    """
    with db.write() as conn:
        statement = sql_pg if db.dialect == "postgresql" else sql_sqlite
        conn.execute(text(statement), {"count": count})
        conn.execute(
            text(
                "INSERT INTO ticket_events (ticket_id, at, action, to_status) "
                "SELECT id, issued_at, 'finish', 'done' FROM tickets"
            )
        )
    with db.engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()
    if db.dialect == "sqlite":  # as after a night of regular checkpoints
        raw = db.engine.raw_connection()
        try:
            raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()


def run_threads(workers: int, total: int, work: Callable[[int], object]) -> float:
    """Run ``total`` operations split over ``workers`` threads; returns ops/s."""
    per_worker = total // workers
    barrier = threading.Barrier(workers + 1)
    errors: list[BaseException] = []

    def worker(index: int) -> None:
        barrier.wait()
        try:
            for _ in range(per_worker):
                work(index)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return per_worker * workers / elapsed


def measure(queue: Queue, workers: int, ops: int) -> tuple[float, float]:
    numbers = itertools.count()  # next() is atomic: the n-th ticket of all threads

    def issue_one(_worker: int) -> object:
        n = next(numbers)  # over 4 services, every 5th with a priority (not the thread index)
        return queue.issue(SERVICES[n % 4], "elderly" if n % 5 == 0 else None)

    issue_rate = run_threads(workers, ops, issue_one)
    call_rate = run_threads(workers, ops, lambda i: queue.call_next(1 + i))
    return issue_rate, call_rate


def sqlite_database(folder: Path) -> tuple[str, Callable[[], None]]:
    return f"sqlite:///{folder / f'{uuid.uuid4().hex}.db'}", lambda: None


def postgres_database() -> tuple[str, Callable[[], None]]:
    name = f"xephang_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    return f"{base}/{name}", drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=2000)
    parser.add_argument("--histories", default="0,100000,1000000")
    parser.add_argument("--workers", default="1,8,16")
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    histories = [int(x) for x in args.histories.split(",")]
    worker_counts = [int(x) for x in args.workers.split(",")]
    print("| database | history | workers | issue/s | call-next/s |")
    print("|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for kind in args.databases.split(","):
            for history in histories:
                for workers in worker_counts:
                    if kind == "sqlite":
                        url, drop = sqlite_database(Path(folder))
                    else:
                        url, drop = postgres_database()
                    try:
                        db = Database(url)
                        settings = parse_settings(center(Path(folder)))
                        queue = open_queue(settings, db=db)
                        fill_history(db, history)
                        issue_rate, call_rate = measure(queue, workers, args.ops)
                        db.dispose()
                    finally:
                        drop()
                    print(
                        f"| {kind} | {history:,} | {workers} | {issue_rate:,.0f} | "
                        f"{call_rate:,.0f} |",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
