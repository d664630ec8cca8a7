"""Call-to-screen latency: N python-socketio clients on /display, POST call-next.

For each round a ticket is issued (not timed), then the clock starts just before
``POST /api/v1/counters/1/next`` and stops in each client when its ``ticket_called``
arrives (the first event of the call's ``batch`` frame). Prints p50/p99 over all
(round, client) pairs and per round (the last client), for 50 and 200 clients, with
the CPU time the clients and the server used per round (issue + call) and the load
average after each row.

    .venv/bin/python bench/realtime.py [--rounds 100] [--clients 50,200]
        [--server gevent|gthread|werkzeug] [--client async|threaded|raw] [--raw]

Server (a child process, killed at the end rather than disconnecting clients one by
one, about 3 s each with Werkzeug):

- ``gevent`` (default): as in production (and ``xephang run``), gunicorn with one
  gevent worker (``queue_server/web/server``).
- ``gthread``: the production server before December 2026, ``gunicorn -k gthread -w 1``
  with ``--threads`` 100, or the largest client count + 50 (each WebSocket holds a thread).
- ``werkzeug``: Werkzeug's threaded server with simple-websocket.

Clients (all in this process, on the same machine as the server):

- ``async`` (default): python-socketio ``AsyncClient`` (aiohttp), all on one asyncio
  loop: the closest stand-in for separate display PCs that one process can be.
- ``threaded``: python-socketio's threaded ``Client``; it starts a thread for every
  message it receives, so with many clients the figure is mostly their own cost.
- ``raw`` (or ``--raw``): a bare WebSocket per client (Engine.IO v4 / Socket.IO v5 by
  hand), one reading thread each: what the server alone costs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import requests
import socketio
import websocket

REPO = Path(os.environ.get("XEPHANG_CODE") or Path(__file__).resolve().parents[1])
sys.path.insert(0, str(REPO))

DEMO_CONFIG = REPO / "config" / "demo.toml"


def make_app(data_dir: str) -> Any:
    """The product's app over the demo settings and ``data_dir``.

    Screens receive only the events they draw (ticket_called, queue_changed,
    counter_changed), as in the product; the embedded device worker drives the demo's
    virtual LED boards and printers, as ``xephang demo`` does.
    """
    from queue_server.runtime import start_app
    from queue_server.settings import ServerConfig, load_settings  # also older checkouts'

    # Every client comes from 127.0.0.1: no per-address cap.
    server = ServerConfig(max_connections_per_address=0)
    settings = load_settings(DEMO_CONFIG).model_copy(
        update={"data_dir": data_dir, "server": server}
    )
    return start_app(settings)


def serve_werkzeug(data_dir: str) -> None:
    """Child process: Werkzeug on an ephemeral port; prints ``PORT n``."""
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, make_app(data_dir), threaded=True)
    print(f"PORT {server.server_port}", flush=True)
    server.serve_forever()


def serve_gunicorn(data_dir: str, threads: int, kind: str) -> None:
    """Child process: gunicorn (gevent as production, or gthread); prints ``PORT n``."""
    from gunicorn.app.base import BaseApplication

    from queue_server.web.server import gunicorn_conf

    class Bench(BaseApplication):
        def load_config(self) -> None:
            options = {
                "bind": "127.0.0.1:0",
                "workers": 1,
                "worker_class": gunicorn_conf.worker_class if kind == "gevent" else "gthread",
                "threads": threads,
                "control_socket_disable": True,
                "loglevel": "warning",
                # After the worker loaded the app (and migrated the database).
                "post_worker_init": lambda worker: print(
                    f"PORT {worker.sockets[0].getsockname()[1]}", flush=True
                ),
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return make_app(data_dir)  # in the worker, after the fork

    Bench().run()


class Arrivals:
    """When each ``ticket_called`` reached one client (alone or in a ``batch`` frame)."""

    def __init__(self) -> None:
        self.arrivals: dict[str, float] = {}
        self.changed = threading.Condition()

    def _record(self, data: dict[str, Any], now: float) -> None:
        with self.changed:
            self.arrivals[str(data["number"])] = now
            self.changed.notify_all()

    def _batch(self, events: list[list[Any]], now: float) -> None:
        for name, data in events:
            if name == "ticket_called":
                self._record(data, now)

    def wait_for(self, number: str, timeout: float = 10.0) -> float:
        with self.changed:
            if not self.changed.wait_for(lambda: number in self.arrivals, timeout):
                raise TimeoutError(f"{number} never reached a screen")
            return self.arrivals[number]


class ThreadedScreen(Arrivals):
    """python-socketio's threaded ``Client``."""

    def __init__(self, url: str, token: str) -> None:
        super().__init__()
        self.client = socketio.Client(reconnection=False)
        self.client.on("ticket_called", self._called, namespace="/display")
        self.client.on("batch", self._called_in_batch, namespace="/display")
        self.client.connect(
            url, namespaces=["/display"], auth={"token": token}, transports=["websocket"]
        )

    def _called(self, data: dict[str, Any]) -> None:
        self._record(data, time.perf_counter())

    def _called_in_batch(self, events: list[list[Any]]) -> None:
        self._batch(events, time.perf_counter())


class AsyncScreen(Arrivals):
    """python-socketio's ``AsyncClient`` on the shared loop of :class:`AsyncLoop`."""

    def __init__(self, url: str, token: str, loop: AsyncLoop) -> None:
        super().__init__()
        # Offering permessage-deflate, as browsers do (aiohttp's default offers nothing).
        self.client = socketio.AsyncClient(
            reconnection=False, websocket_extra_options={"compress": 15}
        )
        self.client.on("ticket_called", self._called, namespace="/display")
        self.client.on("batch", self._called_in_batch, namespace="/display")
        loop.run(
            self.client.connect(
                url, namespaces=["/display"], auth={"token": token}, transports=["websocket"]
            )
        )

    async def _called(self, data: dict[str, Any]) -> None:
        self._record(data, time.perf_counter())

    async def _called_in_batch(self, events: list[list[Any]]) -> None:
        self._batch(events, time.perf_counter())


class AsyncLoop:
    """One asyncio loop in one thread for every ``AsyncScreen``."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()

    def run(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=30)


class RawScreen(Arrivals):
    """The same screen over a bare WebSocket, read by one blocking thread."""

    def __init__(self, url: str, token: str) -> None:
        super().__init__()
        address = url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        self.ws = websocket.create_connection(address, timeout=10)
        assert self._recv().startswith("0")  # Engine.IO open
        self.ws.send("40/display," + json.dumps({"token": token}))
        while not (reply := self._recv()).startswith("40/display"):
            assert not reply.startswith("44/display"), reply  # connect refused
        self.ws.settimeout(None)
        threading.Thread(target=self._read, daemon=True).start()

    def _recv(self) -> str:
        """The next Engine.IO packet: a text frame (the server sends no binary ones)."""
        message = self.ws.recv()
        assert isinstance(message, str), message
        return message

    def _read(self) -> None:
        prefix = "42/display,"
        try:
            while True:
                message = self._recv()
                now = time.perf_counter()
                if message == "2":
                    self.ws.send("3")  # pong
                elif message.startswith(prefix):
                    name, data = json.loads(message[len(prefix) :])
                    self._batch(data if name == "batch" else [[name, data]], now)
        except (websocket.WebSocketException, OSError):
            return


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


class Figures:
    """Milliseconds from just before the POST."""

    def __init__(self) -> None:
        self.post: list[float] = []  # the POST answered
        self.first: list[float] = []  # the first screen had the call
        self.every: list[float] = []  # every screen had the call (one value per round)
        self.each: list[float] = []  # one value per (round, screen)


def measure(url: str, screens: list[Arrivals], kiosk: str, officer: str, rounds: int) -> Figures:
    http = requests.Session()
    figures = Figures()
    for _round in range(rounds):
        issued = http.post(
            f"{url}/api/v1/tickets",
            json={"service": "HD"},
            headers={"Authorization": f"Bearer {kiosk}"},
            timeout=10,
        )
        number = issued.json()["number"]
        started = time.perf_counter()
        called = http.post(
            f"{url}/api/v1/counters/1/next",
            json={},
            headers={"Authorization": f"Bearer {officer}"},
            timeout=10,
        )
        answered = time.perf_counter()
        assert called.json()["ticket"]["number"] == number, called.text
        arrivals = [(screen.wait_for(number) - started) * 1000 for screen in screens]
        figures.post.append((answered - started) * 1000)
        figures.first.append(min(arrivals))
        figures.every.append(max(arrivals))
        figures.each.extend(arrivals)
    return figures


def start_server(args: argparse.Namespace, data_dir: str, threads: int) -> subprocess.Popen[str]:
    command = [sys.executable, __file__, "--serve", data_dir, "--server", args.server]
    command += ["--threads", str(threads)]
    # A session of its own: stopped as a group, the worker too (see main's ``finally``).
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True, start_new_session=True)


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def cpu_ms(pid: int) -> float:
    """User + system CPU time of process ``pid`` so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def serving_pid(child: subprocess.Popen[str], server: str) -> int:
    """The process that runs the app: gunicorn's (only) worker, or Werkzeug's child."""
    if server == "werkzeug":
        return child.pid
    return int(Path(f"/proc/{child.pid}/task/{child.pid}/children").read_text().split()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--clients", default="50,200")
    parser.add_argument("--server", choices=("gevent", "gthread", "werkzeug"), default="gevent")
    parser.add_argument("--client", choices=("async", "threaded", "raw"), default="async")
    parser.add_argument("--raw", action="store_true", help="the same as --client raw")
    parser.add_argument("--threads", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        if args.server != "werkzeug":
            serve_gunicorn(args.serve, args.threads, args.server)
        else:
            serve_werkzeug(args.serve)
        return
    client = "raw" if args.raw else args.client
    counts = [int(n) for n in args.clients.split(",")]

    from queue_server.auth.tokens import create_token
    from queue_server.core.bootstrap import open_queue
    from queue_server.settings import load_settings

    with tempfile.TemporaryDirectory(prefix="xephang-bench-") as data_dir:
        threads = max(100, max(counts) + 50)
        child = start_server(args, data_dir, threads)
        try:
            assert child.stdout is not None
            port = int(child.stdout.readline().split()[1])
            url = f"http://127.0.0.1:{port}"
            settings = load_settings(DEMO_CONFIG).model_copy(update={"data_dir": data_dir})
            queue = open_queue(settings, migrate=False, sync=False)
            display, _ = create_token(queue.db, "display")
            kiosk, _ = create_token(queue.db, "admin")  # no issue rate limit for the bench
            officer, _ = create_token(queue.db, "officer", counter=1)
            loop = AsyncLoop() if client == "async" else None
            screens: list[Arrivals] = []
            server = {
                "gevent": "gunicorn, one gevent worker",
                "gthread": f"gunicorn gthread, {threads} threads",
                "werkzeug": "Werkzeug (threaded)",
            }[args.server]
            print(f"server: {server}; clients: {client} on /display; load average {load()}")
            print(
                "ms from just before POST call-next; 'each' = every (round, client) pair, "
                "'all' = until the last client of a round had it; CPU = ms per round"
            )
            print(
                f"{'clients':>7} {'rounds':>6} {'POST p50':>9} {'first p50':>10} "
                f"{'each p50':>9} {'each p99':>9} {'all p50':>8} {'all p99':>8} "
                f"{'CPU cli':>8} {'CPU srv':>8}  load"
            )
            found: dict[int, dict[str, Any]] = {}
            for count in counts:
                while len(screens) < count:
                    if loop is not None:
                        screens.append(AsyncScreen(url, display, loop))
                    else:
                        kind = RawScreen if client == "raw" else ThreadedScreen
                        screens.append(kind(url, display))
                measure(url, screens, kiosk, officer, 3)  # warm up
                server_pid = serving_pid(child, args.server)
                used = cpu_ms(os.getpid()), cpu_ms(server_pid)
                f = measure(url, screens, kiosk, officer, args.rounds)
                clients_cpu = (cpu_ms(os.getpid()) - used[0]) / args.rounds
                server_cpu = (cpu_ms(server_pid) - used[1]) / args.rounds
                found[count] = {
                    "post_p50": statistics.median(f.post),
                    "each_p99": percentile(f.each, 0.99),
                    "all_p99": percentile(f.every, 0.99),
                    "load": load(),
                }
                print(
                    f"{count:>7} {args.rounds:>6} {statistics.median(f.post):>9.1f} "
                    f"{statistics.median(f.first):>10.1f} {statistics.median(f.each):>9.1f} "
                    f"{percentile(f.each, 0.99):>9.1f} {statistics.median(f.every):>8.1f} "
                    f"{percentile(f.every, 0.99):>8.1f} {clients_cpu:>8.1f} {server_cpu:>8.1f}"
                    f"  {load()}",
                    flush=True,
                )
            queue.db.dispose()
            if args.json:
                args.json.write_text(json.dumps(found), encoding="utf-8")
        finally:
            # The master and its worker together: a worker left behind would read the
            # database while the folder is removed ("the database file was deleted").
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()


if __name__ == "__main__":
    main()
