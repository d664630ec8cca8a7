"""HTTP benchmark: issue tickets and call next against a real server on 127.0.0.1.

Starts the production server (gunicorn, one gevent worker, as ``xephang run``; or the
old gthread one) on a fresh SQLite database (or, ``--database postgresql``, a fresh
PostgreSQL database of this machine), then runs a sequential client, first with a new
TCP connection per request, then with one kept-alive connection (``--modes``), then
``--clients`` concurrent kept-alive clients. Prints tickets/s and calls/s, and the
server's CPU time per request (its processes' user + system time from /proc: the figure
to read on a loaded machine), with the load average on every row and, on SQLite, the
cost of one durable SQLite commit measured in the same run (``bench/fsync.py``); on
PostgreSQL its version and whether autovacuum runs.

Every run first issues and calls 200 tickets unmeasured (the server's warm-up); on
PostgreSQL the database is then analysed (``ANALYZE``, as autovacuum and the daily
maintenance keep a center's), since plans made without statistics can read a whole
day of tickets on every call-next.

``--clients N`` (N >= 2; 0 or 1: none): N keep-alive client threads from one start
signal, each issuing ``--count`` tickets (services in rotation), then each calling next
``--count`` times at demo counter *i* mod 6 + 1 (fewer if its services run dry); on
SQLite their writes commit in groups.

``--displays N``: N async Socket.IO displays (``bench/realtime.py``, in a child process
of their own) stay connected to ``/display`` meanwhile, so every operation is also
fanned out to them.

``--paired R`` (with ``--displays N`` and ``--clients``): the same server measures the
clients R times without the displays and R times with them, in turns (the displays
connect before each measure with and leave after it; without first in odd rounds, with
first in even ones, since each measure adds tickets to the day), and prints the medians
and their ratio: the cost of the displays, with the machine's drift shared by both sides;
and how many frames each display got per operation (where the server counts its
Socket.IO packets: ``xephang_socket_packets_total``).

``--waiting 0,1000,10000`` then measures issuing (keep-alive) with that many tickets
already waiting for the service (inserted straight into the database between phases):
issuing should cost the same however long the queue is. SQLite only (refused with
``--database postgresql``).

    .venv/bin/python bench/api.py [--count 2000] [--server gevent|gthread]
        [--database sqlite|postgresql] [--clients 8] [--displays 50]
        [--modes new,keep-alive] [--waiting 0,1000,10000] [--paired 3]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# The code measured: this checkout, or another one's (``XEPHANG_CODE``, run with that
# checkout's Python) so that two versions are measured by the same script.
REPO = Path(os.environ.get("XEPHANG_CODE") or Path(__file__).resolve().parents[1])
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

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


PG_ADMIN = os.environ.get("XEPHANG_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
SERVICES = ["HD", "HT", "CT", "DD", "BTXH", "CTR"]  # every demo counter has work
COUNTERS = [1, 2, 3, 4, 5, 6]
WARM_UP = 200  # tickets issued and called before anything is measured


@contextmanager
def database(kind: str) -> Iterator[str]:
    """The database URL: empty for SQLite in the data folder, else a new PostgreSQL one."""
    if kind == "sqlite":
        yield ""
        return
    import psycopg

    name = f"xephang_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def write_config(folder: Path, url: str = "") -> Path:
    text = (REPO / "config" / "demo.toml").read_text(encoding="utf-8")
    text = re.sub(r"^data_dir = .*$", f'data_dir = "{folder}"', text, flags=re.M)
    text = re.sub(r'^url = "".*$', f'url = "{url}"', text, count=1, flags=re.M)
    text += "\n[api]\nissue_rate_per_minute = 100000\n"
    text += "\n[server]\nmax_connections_per_address = 0\n"  # every client is 127.0.0.1
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
        self.body = b""  # of the last response

    def post(self, path: str, body: dict[str, object] | None, token: str) -> int:
        if self.connection is None or not self.keep_alive:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        if not self.keep_alive:
            headers["Connection"] = "close"
        payload = json.dumps(body).encode() if body is not None else b""
        self.connection.request("POST", path, body=payload, headers=headers)
        response = self.connection.getresponse()
        self.body = response.read()
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


def postgresql_kind(url: str) -> str:
    """PostgreSQL's version and whether autovacuum runs (the figures depend on both)."""
    import psycopg

    settings = "SELECT current_setting('server_version'), current_setting('autovacuum')"
    with psycopg.connect(url, autocommit=True) as connection:
        version, autovacuum = connection.execute(settings).fetchone() or ("?", "?")
    return f"PostgreSQL {version}, autovacuum {autovacuum}"


def analyse(url: str) -> None:
    """PostgreSQL: ANALYZE after the warm-up, as autovacuum does within a minute on a
    live center (this machine's PostgreSQL runs without it) and the daily maintenance
    does every day: a fresh database's plans are otherwise made without statistics.
    Sent here, not through ``maintenance.refresh_statistics``: the older checkouts that
    ``targets.py --before`` measures with this script do not have it."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("ANALYZE")


def warm_up(client: Client, kiosk: str, officer: str, count: int = WARM_UP) -> None:
    """Requests not measured, so that the first phase measured does not pay for the
    server's first compilations and caches."""
    for _ in range(count):
        assert client.post("/api/v1/tickets", {"service": "HT"}, kiosk) == 201
        assert client.post("/api/v1/counters/2/next", None, officer) == 200


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


def in_parallel(work: list[Callable[[], int]]) -> float:
    """Run each job in its own thread from one start signal; done per second. A job's
    failure (an unexpected status) is raised here once all have finished."""
    start = threading.Barrier(len(work) + 1)
    done = [0] * len(work)
    failures: list[BaseException] = []

    def run_one(index: int) -> None:
        start.wait()
        try:
            done[index] = work[index]()
        except Exception as error:  # reported below, in the main thread
            failures.append(error)

    threads = [threading.Thread(target=run_one, args=(i,)) for i in range(len(work))]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    if failures:
        raise RuntimeError(f"{len(failures)} client(s) failed, first: {failures[0]!r}")
    return sum(done) / elapsed


def run_parallel(
    server: int,
    port: int,
    clients: int,
    count: int,
    tokens: tuple[str, dict[int, str]],
) -> tuple[float, float, float, float]:
    """``clients`` keep-alive threads: each issues ``count`` tickets, then each calls
    next ``count`` times at its counter (fewer if its services run dry). Returns
    tickets/s, calls/s and the server's CPU ms per ticket and per call."""
    kiosk, officers = tokens
    done: list[int] = []

    def issuer(index: int) -> Callable[[], int]:
        client = Client(port, keep_alive=True)

        def issue() -> int:
            for n in range(count):
                body: dict[str, object] = {"service": SERVICES[(index + n) % len(SERVICES)]}
                status = client.post("/api/v1/tickets", body, kiosk)
                assert status == 201, status
            return count

        return issue

    def caller(index: int) -> Callable[[], int]:
        client = Client(port, keep_alive=True)
        counter = COUNTERS[index % len(COUNTERS)]

        def call() -> int:
            for called in range(count):
                status = client.post(f"/api/v1/counters/{counter}/next", {}, officers[counter])
                assert status in (200, 204), status
                if status == 204 or json.loads(client.body).get("ticket") is None:
                    done.append(called)
                    return called  # this counter's services are empty
            done.append(count)
            return count

        return call

    cpu = process_cpu_s(server)
    issued = in_parallel([issuer(i) for i in range(clients)])
    issue_cpu, cpu = process_cpu_s(server) - cpu, process_cpu_s(server)
    called = in_parallel([caller(i) for i in range(clients)])
    call_cpu = process_cpu_s(server) - cpu
    per_issue = 1000 * issue_cpu / (clients * count)
    return issued, called, per_issue, 1000 * call_cpu / max(1, sum(done))


def run_paired(
    server: int,
    displays: tuple[int, str, int, int],
    clients: int,
    count: int,
    tokens: tuple[str, dict[int, str]],
) -> dict[str, Any]:
    """``run_parallel`` ``rounds`` times without and with ``shown`` displays, in turns
    (``displays``: port, display token, shown, rounds). Prints each round and the
    medians; returns them with every round's figures."""
    port, token, shown, rounds = displays
    measured: dict[str, list[tuple[float, float, float, float]]] = {"without": [], "with": []}
    frames: list[float] = []  # frames to each display per operation, measures with
    for round_number in range(1, rounds + 1):
        # Without first in odd rounds, with first in even ones: each measure adds
        # tickets to the day, and the later of two measures would always pay for that.
        order = ("without", "with") if round_number % 2 else ("with", "without")
        for side in order:
            disconnect = connect_displays(port, token, shown if side == "with" else 0)
            sent = socket_packets(port)
            try:
                figures = run_parallel(server, port, clients, count, tokens)
            finally:
                disconnect()
            measured[side].append(figures)
            label = f"{shown} displays" if side == "with" else "no displays"
            print_row(f"round {round_number}, {label}", figures)
            if side == "with" and sent is not None and (now := socket_packets(port)):
                frames.append((now - sent) / shown / (2 * clients * count))
    medians = {
        side: tuple(statistics.median(f[i] for f in rows) for i in range(4))
        for side, rows in measured.items()
    }
    held = min(medians["with"][i] / medians["without"][i] for i in (0, 1))
    print_row("median, no displays", medians["without"])  # type: ignore[arg-type]
    print_row(f"median, {shown} displays", medians["with"])  # type: ignore[arg-type]
    print(f"with {shown} displays: {held:.0%} of without (the lower of issues and calls)")
    per_operation = statistics.median(frames) if frames else None
    if per_operation is not None:
        print(f"frames to each display per operation (median): {per_operation:.3f}")
    return {"rounds": measured, "held": held, "frames_per_operation": per_operation, **medians}


def socket_packets(port: int) -> float | None:
    """Socket.IO packets the server sent so far (``xephang_socket_packets_total``, direct
    and queued), or None where the code measured does not count them."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", "/api/v1/metrics")
        text = connection.getresponse().read().decode()
    finally:
        connection.close()
    values = re.findall(r"^xephang_socket_packets_total\{[^}]*\} (\S+)$", text, re.M)
    return sum(float(value) for value in values) if values else None


def connect_displays(port: int, token: str, count: int) -> Callable[[], None]:
    """``count`` async Socket.IO displays on ``/display``, in a child process of their
    own (so that decoding their frames does not take this process's clients' CPU);
    returns their disconnect."""
    if not count:
        return lambda: None
    command = [sys.executable, __file__, "--serve-displays", f"{port},{token},{count}"]
    child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdin is not None
    if child.stdout.readline().strip() != "READY":
        raise SystemExit("the displays did not connect")
    stdin = child.stdin

    def disconnect() -> None:
        stdin.close()
        child.wait(timeout=60)

    return disconnect


def serve_displays(spec: str) -> None:
    """Child process: connect the displays, say READY, hold them until stdin closes."""
    from realtime import AsyncLoop, AsyncScreen  # type: ignore[import-not-found]

    port, token, count = spec.split(",")
    loop = AsyncLoop()
    screens = [AsyncScreen(f"http://127.0.0.1:{port}", token, loop) for _ in range(int(count))]
    print("READY", flush=True)
    sys.stdin.read()
    for screen in screens:
        loop.run(screen.client.disconnect())


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
        # The bulk insert's pages are checkpointed now, not during the phase measured.
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return int(connection.execute(query, (service_id, day)).fetchone()[0])
    finally:
        connection.close()


def print_row(label: str, figures: tuple[float, float, float, float]) -> None:
    """One line: tickets/s, calls/s, server CPU ms per ticket and per call, load."""
    issued, called, issue_ms, call_ms = figures
    print(
        f"{label:<26}{issued:>12.0f}{called:>12.0f}"
        f"{issue_ms:>14.2f}{call_ms:>13.2f}{load_average():>6}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--server", choices=["gevent", "gthread"], default="gevent")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (0, 1: none)")
    parser.add_argument("--displays", type=int, default=0, help="Socket.IO displays connected")
    parser.add_argument("--waiting", default="", help="e.g. 0,1000,10000 (empty: skip)")
    parser.add_argument("--modes", default="new,keep-alive", help="new,keep-alive (or empty)")
    parser.add_argument("--paired", type=int, default=0, help="rounds without/with displays")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--serve-displays", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_displays:
        serve_displays(args.serve_displays)
        return
    if args.paired and (args.displays < 1 or args.clients < 2):
        parser.error("--paired needs --displays N and --clients N")
    if args.waiting and args.database != "sqlite":
        parser.error("--waiting works on SQLite only (it inserts straight into the file)")
    modes = {"new": ("new connection/request", False), "keep-alive": ("keep-alive", True)}
    chosen = [mode for mode in args.modes.split(",") if mode]
    if unknown := [mode for mode in chosen if mode not in modes]:
        parser.error(f"unknown --modes {','.join(unknown)} (new, keep-alive)")
    with tempfile.TemporaryDirectory() as tmp, database(args.database) as url:
        folder = Path(tmp)
        config = write_config(folder, url)
        settings = load_settings(config)
        queue = open_queue(settings)
        kiosk, _info = create_token(queue.db, "kiosk", name="bench kiosk")
        officers = {
            n: create_token(queue.db, "officer", counter=n, name=f"bench officer {n}")[0]
            for n in COUNTERS
        }
        display, _info = create_token(queue.db, "display", name="bench display")
        sqlite_file = Path(str(queue.db.url.database)) if not url else None
        queue.db.dispose()
        port = free_port()
        server = start_server(args.server, config, port)
        try:
            wait_ready(port)
            warm_up(Client(port, keep_alive=True), kiosk, officers[2])
            if url:
                analyse(url)
            shown = 0 if args.paired else args.displays  # paired: connected per round
            disconnect = connect_displays(port, display, shown)
            kind = "SQLite (WAL, synchronous=FULL)" if not url else postgresql_kind(url)
            print(
                f"server: {args.server}, database: {kind}, clients: {args.clients}, "
                f"displays: {args.displays}"
            )
            if sqlite_file:
                fsync_ms = commit_cost_ms(folder)
                print(f"durable SQLite commit here: {fsync_ms:.2f} ms; load {load_average()}")
            print(
                f"{'mode':<26}{'tickets/s':>12}{'calls/s':>12}"
                f"{'CPU ms/issue':>14}{'CPU ms/call':>13}{'load':>6}"
            )
            found: dict[str, Any] = {"load": [load_average()]}
            if sqlite_file:
                found["fsync_ms"] = [fsync_ms]
            for mode in chosen:
                label, keep_alive = modes[mode]
                client = Client(port, keep_alive)
                found[mode] = run(client, args.count, kiosk, officers[2], server.pid)
                print_row(label, found[mode])
            if args.paired:
                pairs = (port, display, args.displays, args.paired)
                found["paired"] = run_paired(
                    server.pid, pairs, args.clients, args.count, (kiosk, officers)
                )
            elif args.clients > 1:
                tokens = (kiosk, officers)
                figures = run_parallel(server.pid, port, args.clients, args.count, tokens)
                found["clients"] = figures
                print_row(f"{args.clients} keep-alive clients", figures)
            if sqlite_file:
                after_ms = commit_cost_ms(folder)
                found["fsync_ms"].append(after_ms)
                print(f"durable SQLite commit after: {after_ms:.2f} ms")
            if sqlite_file and args.waiting:
                print(f"\nissuing (keep-alive, {args.count} tickets) with tickets already waiting")
                print(f"{'waiting':>8}{'tickets/s':>12}{'CPU ms/issue':>14}{'load':>6}")
                client = Client(port, True)
                found["waiting"] = waiting = {}
                for level in (int(x) for x in args.waiting.split(",")):
                    before = add_waiting(sqlite_file, settings.center.zone, "HT", level)
                    rate, cpu_ms = timed(
                        server.pid,
                        args.count,
                        lambda: client.post("/api/v1/tickets", {"service": "HT"}, kiosk),
                        201,
                    )
                    waiting[level] = (rate, cpu_ms)
                    print(f"{before:>8,}{rate:>12.0f}{cpu_ms:>14.2f}{load_average():>6}")
            disconnect()
            found["load"].append(load_average())
            if args.json:
                args.json.write_text(json.dumps(found), encoding="utf-8")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
