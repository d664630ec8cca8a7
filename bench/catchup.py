"""Start-up over a long history: requests while the daily maintenance catches up.

Fills a fresh SQLite database (the demo center) with ``--days`` missed days of
``--per-day`` tickets each (every 50th left waiting, the rest done, one event each),
older than the archive horizon and never maintained; then starts the production server,
whose maintenance thread makes the missed run at start-up (close the leftovers, archive
every old day), and issues tickets over one kept-alive connection meanwhile. Prints the
longest and p99 request latency while the catch-up ran (the server's first request,
its warm-up, apart), the issue rate during and after
it, the catch-up's own length, the cost of one durable commit and the load.

    .venv/bin/python bench/catchup.py [--days 393] [--per-day 500] [--after 300]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from api import (  # type: ignore[import-not-found]
    Client,
    free_port,
    process_cpu_s,
    start_server,
    wait_ready,
    write_config,
)
from fsync import commit_cost_ms, load_average  # type: ignore[import-not-found]

from queue_server.auth.tokens import create_token
from queue_server.core.bootstrap import open_queue
from queue_server.settings import load_settings

KEEP_DAYS = 7  # the demo's archive.keep_days: older days are archived by the catch-up
LIMIT_S = 600.0


def fill(database: Path, today: datetime, days: int, per_day: int) -> int:
    """Insert the missed days' tickets and events; returns how many are left waiting."""
    connection = sqlite3.connect(database, timeout=30, isolation_level=None)
    try:
        services = [row[0] for row in connection.execute("SELECT id FROM services ORDER BY id")]
        connection.execute("BEGIN IMMEDIATE")
        left = 0
        for back in range(KEEP_DAYS + days, KEEP_DAYS, -1):
            moment = today - timedelta(days=back)
            day = moment.date().isoformat()
            at = moment.replace(tzinfo=None).isoformat(sep=" ")
            rows = []
            for n in range(1, per_day + 1):
                service = services[n % len(services)]
                status = "waiting" if n % 50 == 0 else "done"
                left += status == "waiting"
                finished = None if status == "waiting" else at
                rows.append((service, service, day, n, f"H{n}", 0.0, 0, "kiosk", status, at,
                             finished, 0, 0, f"h{day}-{n}", 0))  # fmt: skip
            connection.executemany(
                "INSERT INTO tickets (service_id, origin_service_id, day, seq, number, "
                "priority_weight, emergency, channel, status, issued_at, finished_at, "
                "recall_count, transfer_count, track_code, ahead_at_issue) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
        connection.execute(
            "INSERT INTO ticket_events (ticket_id, at, action, to_status) "
            "SELECT id, issued_at, 'issue', 'waiting' FROM tickets"
        )
        connection.execute("COMMIT")
        connection.execute("ANALYZE")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return left
    finally:
        connection.close()


def maintenance_finished(database: Path) -> dict | None:
    """The maintenance record once its run has finished (None before)."""
    connection = sqlite3.connect(database, timeout=30)
    try:
        row = connection.execute(
            "SELECT value FROM center_settings WHERE key = 'maintenance'"
        ).fetchone()
    finally:
        connection.close()
    value = json.loads(row[0]) if row else None
    return value if value and value.get("finished_at") else None


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=393)
    parser.add_argument("--per-day", type=int, default=500)
    parser.add_argument("--after", type=int, default=300, help="requests after the catch-up")
    parser.add_argument("--server", choices=["gevent", "gthread"], default="gevent")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        config = write_config(folder)
        settings = load_settings(config)
        queue = open_queue(settings)
        kiosk, _info = create_token(queue.db, "kiosk", name="bench kiosk")
        database = Path(str(queue.db.url.database))
        queue.db.dispose()
        left = fill(database, datetime.now(UTC), args.days, args.per_day)
        fsync_ms = commit_cost_ms(folder)
        print(f"history: {args.days} missed days × {args.per_day} tickets, {left:,} left waiting")
        print(f"durable SQLite commit here: {fsync_ms:.2f} ms; load {load_average()}")
        launched = time.perf_counter()
        server = start_server(args.server, config, free_port_holder := free_port())
        try:
            wait_ready(free_port_holder, timeout=120)
            ready_s = time.perf_counter() - launched
            client = Client(free_port_holder, keep_alive=True)
            latencies: list[float] = []
            started = time.perf_counter()
            record = None
            while record is None and time.perf_counter() - started < LIMIT_S:
                sent = time.perf_counter()
                status = client.post("/api/v1/tickets", {"service": "HT"}, kiosk)
                latencies.append(time.perf_counter() - sent)
                assert status == 201, status
                if len(latencies) % 10 == 0:
                    record = maintenance_finished(database)
            during_s = time.perf_counter() - started
            if record is None:
                sys.exit(f"the catch-up did not finish within {LIMIT_S:.0f} s")
            counts = record.get("counts", {})
            cpu = process_cpu_s(server.pid)
            after_started = time.perf_counter()
            for _ in range(args.after):
                assert client.post("/api/v1/tickets", {"service": "HT"}, kiosk) == 201
            after_rate = args.after / (time.perf_counter() - after_started)
            after_cpu = 1000 * (process_cpu_s(server.pid) - cpu) / args.after
        finally:
            server.terminate()
            server.wait(timeout=30)
        claimed = datetime.fromisoformat(record["finished_at"])
        print(
            f"catch-up: closed {counts.get('closed', 0):,}, archived "
            f"{counts.get('tickets_archived', 0):,} tickets of {counts.get('days', 0)} days "
            f"(finished {claimed:%H:%M:%S} UTC)"
        )
        first, latencies = latencies[0], latencies[1:] or latencies
        p50, p99 = (1000 * percentile(latencies, share) for share in (0.5, 0.99))
        print(
            f"the server answered {ready_s:.1f} s after it started (the catch-up starts with "
            f"it; {'the catch-up was over by then' if len(latencies) <= 10 else 'still running'})"
        )
        print(f"the server's first issue (its warm-up): {1000 * first:.1f} ms")
        print(
            f"during the catch-up: {len(latencies) + 1} issues in {during_s:.1f} s = "
            f"{(len(latencies) + 1) / during_s:.0f}/s; after the first, latency p50 {p50:.1f} ms, "
            f"p99 {p99:.1f} ms, "
            f"max {1000 * max(latencies):.1f} ms"
        )
        print(
            f"after it: {after_rate:.0f} issues/s, server CPU {after_cpu:.2f} ms/issue; "
            f"load {load_average()}"
        )
        if args.json:
            figures = {
                "ready_s": ready_s,
                "during": len(latencies) + 1,
                "during_rate": (len(latencies) + 1) / during_s,
                "p50_ms": p50,
                "p99_ms": p99,
                "max_ms": 1000 * max(latencies),
                "after_rate": after_rate,
                "fsync_ms": fsync_ms,
                "load": load_average(),
            }
            args.json.write_text(json.dumps(figures), encoding="utf-8")


if __name__ == "__main__":
    main()
