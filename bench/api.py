"""HTTP benchmark: issue tickets and call next against a real server on 127.0.0.1.

Starts the production server (gunicorn, one gevent worker, as ``xephang run``; or the
old gthread one) on a fresh SQLite database (or, ``--database postgresql``, a fresh
PostgreSQL database of this machine), then runs a sequential client, first with a new
TCP connection per request, then with one kept-alive connection. Prints tickets/s and
calls/s.

``--clients N`` (N > 1): N keep-alive client threads from one start signal instead,
client *i* calling next at demo counter *i* mod 6 (``--count`` requests per client and
phase), with the server's CPU time per request. ``--displays N``: N async Socket.IO
displays (``bench/realtime.py``, in a child process) stay connected to ``/display``
meanwhile, so every operation is also fanned out to them. The load average is printed
with every row.

    .venv/bin/python bench/api.py [--count 2000] [--server gevent|gthread]
        [--database sqlite|postgresql] [--clients 8] [--displays 50]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from queue_server.auth.tokens import create_token  # noqa: E402
from queue_server.cli.run import WSGI_APP, gunicorn_command  # noqa: E402
from queue_server.core.bootstrap import open_queue  # noqa: E402
from queue_server.settings import load_settings  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


PG_ADMIN = os.environ.get("XEPHANG_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
SERVICES = ["HD", "HT", "CT", "DD", "BTXH", "CTR"]  # every demo counter has work
COUNTERS = [1, 2, 3, 4, 5, 6]


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


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


def server_cpu_s(server: subprocess.Popen[bytes]) -> float:
    """CPU seconds (user + system) the server's processes (gunicorn and its worker)
    have used: less swayed by the machine's load than rates are."""
    ticks = os.sysconf("SC_CLK_TCK")
    pids = [server.pid]
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    pids += [int(pid) for pid in children.read_text().split()]
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def in_parallel(work: list[Callable[[], int]]) -> float:
    """Run each job in its own thread from one start signal; done per second."""
    start = threading.Barrier(len(work) + 1)
    done = [0] * len(work)

    def run_one(index: int) -> None:
        start.wait()
        done[index] = work[index]()

    threads = [threading.Thread(target=run_one, args=(i,)) for i in range(len(work))]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - began)


def run_parallel(
    server: subprocess.Popen[bytes],
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

    cpu = server_cpu_s(server)
    issued = in_parallel([issuer(i) for i in range(clients)])
    issue_cpu, cpu = server_cpu_s(server) - cpu, server_cpu_s(server)
    called = in_parallel([caller(i) for i in range(clients)])
    call_cpu = server_cpu_s(server) - cpu
    per_issue = 1000 * issue_cpu / (clients * count)
    return issued, called, per_issue, 1000 * call_cpu / max(1, sum(done))


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--server", choices=["gevent", "gthread"], default="gevent")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--clients", type=int, default=1)
    parser.add_argument("--displays", type=int, default=0)
    parser.add_argument("--serve-displays", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_displays:
        serve_displays(args.serve_displays)
        return
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
        queue.db.dispose()
        port = free_port()
        server = start_server(args.server, config, port)
        try:
            wait_ready(port)
            disconnect = connect_displays(port, display, args.displays)
            kind = "SQLite (WAL, synchronous=FULL)" if not url else "PostgreSQL"
            print(
                f"server: {args.server}, database: {kind}, clients: {args.clients}, "
                f"displays: {args.displays}"
            )
            print(f"{'mode':<26}{'tickets/s':>12}{'calls/s':>12}  load")
            if args.clients > 1:
                tokens = (kiosk, officers)
                figures = run_parallel(server, port, args.clients, args.count, tokens)
                issued, called, issue_ms, call_ms = figures
                print(
                    f"{'keep-alive, parallel':<26}{issued:>12.0f}{called:>12.0f}  {load()}"
                    f"  server CPU ms/ticket {issue_ms:.2f}, ms/call {call_ms:.2f}"
                )
            else:
                for label, keep_alive in (("new connection/request", False), ("keep-alive", True)):
                    issued, called = run(Client(port, keep_alive), args.count, kiosk, officers[2])
                    print(f"{label:<26}{issued:>12.0f}{called:>12.0f}  {load()}")
            disconnect()
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
