"""Call-to-screen latency: N python-socketio clients on /display, POST call-next.

For each round a ticket is issued (not timed), then the clock starts just before
``POST /api/v1/counters/1/next`` and stops in each client when its ``ticket_called``
arrives. Prints p50/p99/max over all (round, client) pairs, for 50 and 200 clients.

    .venv/bin/python bench/realtime.py [--rounds 40] [--clients 50,200]
        [--raw]

The server runs in a child process (Werkzeug, threading mode, simple-websocket), as
``xephang run`` does; the clients share this process, so their own thread scheduling
is part of the figure. The server is killed at the end rather than disconnecting
clients one by one (about 3 s each with Werkzeug).
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
import socketio
import websocket

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

DEMO_CONFIG = REPO / "config" / "demo.toml"


def serve(data_dir: str) -> None:
    """Child process: the app on an ephemeral port; prints ``PORT n``.

    Screens receive only the events they draw (ticket_called, queue_changed,
    counter_changed), as in the product.
    """
    from werkzeug.serving import make_server

    from queue_server.settings import load_settings
    from queue_server.web.app import create_app

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    settings = load_settings(DEMO_CONFIG).model_copy(update={"data_dir": data_dir})
    server = make_server("127.0.0.1", 0, create_app(settings), threaded=True)
    print(f"PORT {server.server_port}", flush=True)
    server.serve_forever()


class Screen:
    """One display client that timestamps every ``ticket_called``."""

    def __init__(self, url: str, token: str) -> None:
        self.arrivals: dict[str, float] = {}
        self.changed = threading.Condition()
        self.client = socketio.Client(reconnection=False)
        self.client.on("ticket_called", self._called, namespace="/display")
        self.client.connect(
            url, namespaces=["/display"], auth={"token": token}, transports=["websocket"]
        )

    def _called(self, data: dict[str, object]) -> None:
        self._record(data, time.perf_counter())

    def _record(self, data: dict[str, object], now: float) -> None:
        with self.changed:
            self.arrivals[str(data["number"])] = now
            self.changed.notify_all()

    def wait_for(self, number: str, timeout: float = 10.0) -> float:
        with self.changed:
            if not self.changed.wait_for(lambda: number in self.arrivals, timeout):
                raise TimeoutError(f"{number} never reached a screen")
            return self.arrivals[number]


class RawScreen(Screen):
    """The same screen over a bare WebSocket (Engine.IO v4 / Socket.IO v5 by hand).

    python-socketio's client starts a thread for every message it receives, so with
    many clients in one process the figure is mostly the clients' own cost; this one
    reads in a single blocking thread and shows what the server alone costs.
    """

    def __init__(self, url: str, token: str) -> None:
        self.arrivals = {}
        self.changed = threading.Condition()
        address = url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        self.ws = websocket.create_connection(address, timeout=10)
        assert self.ws.recv().startswith("0")  # Engine.IO open
        self.ws.send("40/display," + json.dumps({"token": token}))
        while not (reply := self.ws.recv()).startswith("40/display"):
            assert not reply.startswith("44/display"), reply  # connect refused
        self.ws.settimeout(None)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        prefix = '42/display,["ticket_called"'
        try:
            while True:
                message = self.ws.recv()
                now = time.perf_counter()
                if message == "2":
                    self.ws.send("3")  # pong
                elif message.startswith(prefix):
                    self._record(json.loads(message[len("42/display,") :])[1], now)
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


def measure(url: str, screens: list[Screen], kiosk: str, officer: str, rounds: int) -> Figures:
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--clients", default="50,200")
    parser.add_argument(
        "--raw",
        action="store_true",
        help="bare WebSocket clients instead of python-socketio (the server's own cost)",
    )
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return

    from queue_server.auth.tokens import create_token
    from queue_server.core.bootstrap import open_queue
    from queue_server.settings import load_settings

    with tempfile.TemporaryDirectory(prefix="xephang-bench-") as data_dir:
        command = [sys.executable, __file__, "--serve", data_dir]
        child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        try:
            assert child.stdout is not None
            port = int(child.stdout.readline().split()[1])
            url = f"http://127.0.0.1:{port}"
            settings = load_settings(DEMO_CONFIG).model_copy(update={"data_dir": data_dir})
            queue = open_queue(settings, migrate=False, sync=False)
            display, _ = create_token(queue.db, "display")
            kiosk, _ = create_token(queue.db, "admin")  # no issue rate limit for the bench
            officer, _ = create_token(queue.db, "officer", counter=1)
            screens: list[Screen] = []
            kind = "bare WebSocket" if args.raw else "python-socketio"
            print(f"{kind} clients on /display")
            print(
                "ms from just before POST call-next; 'each' = every (round, client) pair, "
                "'all' = until the last client of a round had it"
            )
            print(
                f"{'clients':>7} {'rounds':>6} {'POST p50':>9} {'first p50':>10} "
                f"{'each p50':>9} {'each p99':>9} {'all p50':>8} {'all p99':>8}"
            )
            for count in (int(n) for n in args.clients.split(",")):
                while len(screens) < count:
                    screens.append((RawScreen if args.raw else Screen)(url, display))
                measure(url, screens, kiosk, officer, 3)  # warm up
                f = measure(url, screens, kiosk, officer, args.rounds)
                print(
                    f"{count:>7} {args.rounds:>6} {statistics.median(f.post):>9.1f} "
                    f"{statistics.median(f.first):>10.1f} {statistics.median(f.each):>9.1f} "
                    f"{percentile(f.each, 0.99):>9.1f} {statistics.median(f.every):>8.1f} "
                    f"{percentile(f.every, 0.99):>8.1f}",
                    flush=True,
                )
            queue.db.dispose()
        finally:
            child.kill()
            child.wait()


if __name__ == "__main__":
    main()
