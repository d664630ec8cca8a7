"""HTTP benchmark: issue tickets and call next against a real server on 127.0.0.1.

Starts the production server (gunicorn, one gevent worker, as ``xephang run``; or the
old gthread one) on a fresh SQLite database,
then runs a sequential client, first with a new TCP connection per request, then with
one kept-alive connection, then ``--clients`` concurrent kept-alive clients (threads,
each issuing and calling its share of ``--count``). Prints tickets/s and calls/s, the
load average before each row, and the cost of one durable SQLite commit measured in
the same folder (``BEGIN IMMEDIATE; INSERT; COMMIT``, WAL, ``synchronous=FULL``).

    .venv/bin/python bench/api.py [--count 2000] [--clients 8] [--server gevent|gthread]
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
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from queue_server.auth.tokens import create_token  # noqa: E402
from queue_server.cli.run import WSGI_APP, gunicorn_command  # noqa: E402
from queue_server.core.bootstrap import open_queue  # noqa: E402
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


def run(client: Client, count: int, kiosk: str, officer: str) -> tuple[float, float]:
    started = time.perf_counter()
    for _ in range(count):
        status = client.post("/api/v1/tickets", {"service": "HT"}, kiosk)
        assert status == 201, status
    issued = count / (time.perf_counter() - started)
    started = time.perf_counter()
    for _ in range(count):
        status = client.post("/api/v1/counters/2/next", None, officer)
        assert status == 200, status
    called = count / (time.perf_counter() - started)
    return issued, called


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


def fsync_cost_ms(folder: Path, commits: int = 300) -> float:
    """Milliseconds per durable commit of one small row, as the queue's SQLite is set."""
    connection = sqlite3.connect(folder / "fsync.db", isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)")
    started = time.perf_counter()
    for index in range(commits):
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("INSERT INTO t (v) VALUES (?)", (f"row {index}",))
        connection.execute("COMMIT")
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed / commits * 1000


def load() -> str:
    return f"{os.getloadavg()[0]:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (0: none)")
    parser.add_argument("--server", choices=["gevent", "gthread"], default="gevent")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        config = write_config(folder)
        settings = load_settings(config)
        queue = open_queue(settings)
        kiosk, _info = create_token(queue.db, "kiosk", name="bench kiosk")
        officer, _info = create_token(queue.db, "officer", counter=2, name="bench officer")
        queue.db.dispose()
        port = free_port()
        server = start_server(args.server, config, port)
        try:
            wait_ready(port)
            print(f"server: {args.server}, database: SQLite (WAL, synchronous=FULL)")
            print(f"code: {REPO}")
            print(f"durable commit (fsync): {fsync_cost_ms(folder):.3f} ms, load {load()}")
            print(f"{'mode':<26}{'tickets/s':>12}{'calls/s':>12}{'load':>8}")
            for label, keep_alive in (("new connection/request", False), ("keep-alive", True)):
                before = load()
                issued, called = run(Client(port, keep_alive), args.count, kiosk, officer)
                print(f"{label:<26}{issued:>12.0f}{called:>12.0f}{before:>8}")
            if args.clients:
                label = f"{args.clients} keep-alive clients"
                before = load()
                issued, called = run_concurrent(port, args.clients, args.count, kiosk, officer)
                print(f"{label:<26}{issued:>12.0f}{called:>12.0f}{before:>8}")
            print(f"durable commit (fsync): {fsync_cost_ms(folder):.3f} ms, load {load()}")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
