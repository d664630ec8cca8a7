"""HTTP benchmark: issue tickets and call next against a real server on 127.0.0.1.

Starts the production server (gunicorn, one gevent worker, as ``xephang run``; or the
old gthread one) on a fresh SQLite database,
then runs a sequential client, first with a new TCP connection per request, then with
one kept-alive connection, then ``--clients`` concurrent kept-alive clients (threads,
each issuing and calling its share of ``--count``: their writes commit in groups).
Prints tickets/s and calls/s, and the server's CPU time per
request (its processes' user + system time from /proc: the figure to read on a loaded
machine), with the cost of one durable SQLite commit measured in the same run
(``bench/fsync.py``) and the load average.

``--waiting 0,1000,10000`` then measures issuing (keep-alive) with that many tickets
already waiting for the service (inserted straight into the database between phases):
issuing should cost the same however long the queue is.

    .venv/bin/python bench/api.py [--count 2000] [--clients 8] [--server gevent|gthread]
        [--waiting 0,1000,10000]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from fsync import commit_cost_ms, load_average  # type: ignore[import-not-found]  # noqa: E402

from queue_server.auth.tokens import create_token  # noqa: E402
from queue_server.cli.run import WSGI_APP, gunicorn_command  # noqa: E402
from queue_server.core.bootstrap import open_queue  # noqa: E402
from queue_server.core.clock import local_day  # noqa: E402
from queue_server.settings import load_settings  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_config(folder: Path) -> Path:
    text = (REPO / "config" / "demo.toml").read_text(encoding="utf-8")
    text = re.sub(r"^data_dir = .*$", f'data_dir = "{folder}"', text, flags=re.M)
    text += "\n[api]\nissue_rate_per_minute = 100000\n"
    path = folder / "bench.toml"
    path.write_text(text, encoding="utf-8")
    return path


def start_server(kind: str, config: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "XEPHANG_CONFIG": str(config)}
    if kind == "gevent":
        command = gunicorn_command("127.0.0.1", port)
    else:
        command = [
            sys.executable, "-m", "gunicorn", "-k", "gthread", "-w", "1", "--threads", "100",
            "--no-control-socket", "--bind", f"127.0.0.1:{port}", WSGI_APP,
        ]  # fmt: skip
    return subprocess.Popen(
        command, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def wait_ready(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/api/v1/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)  # polling a starting server; not test synchronisation
    raise SystemExit("the server did not start")


class Client:
    """Sequential JSON client, with or without keep-alive."""

    def __init__(self, port: int, keep_alive: bool) -> None:
        self.port = port
        self.keep_alive = keep_alive
        self.connection: http.client.HTTPConnection | None = None

    def post(self, path: str, body: dict[str, object] | None, token: str) -> int:
        if self.connection is None or not self.keep_alive:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        if not self.keep_alive:
            headers["Connection"] = "close"
        payload = json.dumps(body).encode() if body is not None else b""
        self.connection.request("POST", path, body=payload, headers=headers)
        response = self.connection.getresponse()
        response.read()
        if not self.keep_alive:
            self.connection.close()
        return response.status


def process_cpu_s(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and its descendants (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
        pending.extend(int(child) for child in children)
    return total


def timed(
    server: int, count: int, request: Callable[[], int], expected: int
) -> tuple[float, float]:
    """``count`` requests: per second, and the server's CPU ms per request."""
    cpu = process_cpu_s(server)
    started = time.perf_counter()
    for _ in range(count):
        status = request()
        assert status == expected, status
    rate = count / (time.perf_counter() - started)
    return rate, 1000 * (process_cpu_s(server) - cpu) / count


def run(
    client: Client, count: int, kiosk: str, officer: str, server: int
) -> tuple[float, float, float, float]:
    """Issue ``count`` tickets, then call next ``count`` times: rates and CPU ms each."""
    issued = timed(
        server, count, lambda: client.post("/api/v1/tickets", {"service": "HT"}, kiosk), 201
    )
    called = timed(
        server, count, lambda: client.post("/api/v1/counters/2/next", None, officer), 200
    )
    return issued[0], called[0], issued[1], called[1]


def run_concurrent(
    port: int, clients: int, count: int, kiosk: str, officer: str
) -> tuple[float, float]:
    """``clients`` keep-alive clients at once, each issuing then calling ``count``
    // ``clients`` times; requests per second of all of them together."""
    share = max(1, count // clients)

    def phase(path: str, body: dict[str, object] | None, token: str, expect: int) -> float:
        start = threading.Barrier(clients + 1)
        failures: list[str] = []

        def work() -> None:
            client = Client(port, keep_alive=True)
            start.wait()
            for _ in range(share):
                status = client.post(path, body, token)
                if status != expect:
                    failures.append(f"{path}: {status}")
                    return

        threads = [threading.Thread(target=work) for _ in range(clients)]
        for thread in threads:
            thread.start()
        start.wait()
        started = time.perf_counter()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        assert not failures, failures[:3]
        return share * clients / elapsed

    issued = phase("/api/v1/tickets", {"service": "HT"}, kiosk, 201)
    called = phase("/api/v1/counters/2/next", None, officer, 200)
    return issued, called


def add_waiting(database: Path, zone: object, service: str, until: int) -> int:
    """Insert waiting tickets of today for ``service`` until ``until`` wait; returns how
    many wait now. Straight SQL, so it works on any version of the schema."""
    now = datetime.now(UTC)
    day = local_day(now, zone).isoformat()  # type: ignore[arg-type]
    issued = now.replace(tzinfo=None).isoformat(sep=" ")
    connection = sqlite3.connect(database, timeout=30, isolation_level=None)
    try:
        (service_id,) = connection.execute(
            "SELECT id FROM services WHERE code = ?", (service,)
        ).fetchone()
        query = (
            "SELECT COUNT(*) FROM tickets WHERE status = 'waiting' AND service_id = ? AND day = ?"
        )
        (waiting,) = connection.execute(query, (service_id, day)).fetchone()
        (lowest,) = connection.execute("SELECT MIN(seq) FROM tickets").fetchone()
        first = min(0, lowest or 0) - 1
        rows = [
            (service_id, service_id, day, first - n, f"W{n}", 0.0, 0, "bench", "waiting",
             issued, 0, 0, f"bench-{day}-{first - n}", 0)
            for n in range(max(0, until - waiting))
        ]  # fmt: skip
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany(
            "INSERT INTO tickets (service_id, origin_service_id, day, seq, number, "
            "priority_weight, emergency, channel, status, issued_at, recall_count, "
            "transfer_count, track_code, ahead_at_issue) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        connection.execute("COMMIT")
        return int(connection.execute(query, (service_id, day)).fetchone()[0])
    finally:
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--server", choices=["gevent", "gthread"], default="gevent")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (0: none)")
    parser.add_argument("--waiting", default="", help="e.g. 0,1000,10000 (empty: skip)")
    parser.add_argument("--modes", default="new,keep-alive", help="new,keep-alive (or empty)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        config = write_config(folder)
        settings = load_settings(config)
        queue = open_queue(settings)
        kiosk, _info = create_token(queue.db, "kiosk", name="bench kiosk")
        officer, _info = create_token(queue.db, "officer", counter=2, name="bench officer")
        database = Path(str(queue.db.url.database))
        queue.db.dispose()
        fsync_ms = commit_cost_ms(folder)
        port = free_port()
        server = start_server(args.server, config, port)
        try:
            wait_ready(port)
            print(f"server: {args.server}, database: SQLite (WAL, synchronous=FULL)")
            print(f"durable SQLite commit here: {fsync_ms:.2f} ms; load {load_average()}")
            print(
                f"{'mode':<26}{'tickets/s':>12}{'calls/s':>12}"
                f"{'CPU ms/issue':>14}{'CPU ms/call':>13}{'load':>6}"
            )
            modes = {"new": ("new connection/request", False), "keep-alive": ("keep-alive", True)}
            for mode in filter(None, args.modes.split(",")):
                label, keep_alive = modes[mode]
                figures = run(Client(port, keep_alive), args.count, kiosk, officer, server.pid)
                print(
                    f"{label:<26}{figures[0]:>12.0f}{figures[1]:>12.0f}"
                    f"{figures[2]:>14.2f}{figures[3]:>13.2f}{load_average():>6}"
                )
            if args.clients:
                label = f"{args.clients} keep-alive clients"
                issued, called = run_concurrent(port, args.clients, args.count, kiosk, officer)
                print(f"{label:<26}{issued:>12.0f}{called:>12.0f}{'':>27}{load_average():>6}")
            print(f"durable SQLite commit after: {commit_cost_ms(folder):.2f} ms")
            if args.waiting:
                print(f"\nissuing (keep-alive, {args.count} tickets) with tickets already waiting")
                print(f"{'waiting':>8}{'tickets/s':>12}{'CPU ms/issue':>14}{'load':>6}")
                client = Client(port, True)
                for level in (int(x) for x in args.waiting.split(",")):
                    before = add_waiting(database, settings.center.zone, "HT", level)
                    rate, cpu_ms = timed(
                        server.pid,
                        args.count,
                        lambda: client.post("/api/v1/tickets", {"service": "HT"}, kiosk),
                        201,
                    )
                    print(f"{before:>8,}{rate:>12.0f}{cpu_ms:>14.2f}{load_average():>6}")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
