"""Cluster mode: call on one process → displays on another; throughput with 1, 2, 4 processes.

Production servers (the systemd unit's command, one gevent worker each) in cluster mode
on a fresh PostgreSQL database of this machine and a Redis server of the bench's own
(``tests/cluster/cluster_rig.py``).

1. Latency: N async Socket.IO displays on process B; each round issues a ticket, then
   times ``POST call-next`` on process A (and, for comparison, on B itself) until every
   display has ``ticket_called``. p50/p99 in ms.
2. Throughput: 8 client threads with keep-alive connections, client i on process
   i mod P: each issues ``--count`` tickets, then each calls next on a counter until
   ``--count`` calls; tickets/s and calls/s for P = 1, 2, 4.

    .venv/bin/python bench/cluster.py [--rounds 100] [--displays 50] [--count 150]
        [--processes 1,2,4] [--clients 8]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from realtime import AsyncLoop, AsyncScreen, measure, percentile  # type: ignore[import-not-found]  # noqa: E402

from tests.cluster.cluster_rig import Cluster, RedisServer, cluster_config  # noqa: E402

PG_ADMIN = os.environ.get("XEPHANG_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
SERVICES = ["HD", "HT", "CT", "DD", "BTXH", "CTR"]  # every demo counter has work
COUNTERS = [1, 2, 3, 4, 5, 6]


@contextmanager
def fresh_cluster(folder: Path) -> Iterator[Cluster]:
    """A new PostgreSQL database and Redis server; no server process yet."""
    name = f"xephang_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}"
    redis_folder = folder / "redis"
    redis_folder.mkdir()
    redis = RedisServer(redis_folder)
    redis.start()
    cluster = Cluster(folder, url, redis, cluster_config(folder, url, redis.url))
    try:
        yield cluster
    finally:
        cluster.stop()
        redis.stop()
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def latency(cluster: Cluster, displays: int, rounds: int) -> None:
    first, second = cluster.servers[:2]
    display = cluster.token("display")
    kiosk = cluster.token("admin")  # no issuing limit for the bench
    officer = cluster.token("officer", counter=1)
    loop = AsyncLoop()
    screens = [AsyncScreen(second.url, display, loop) for _ in range(displays)]
    print(f"\n{displays} displays on process B; load average {load()}")
    print(f"{'call made on':<14}{'POST p50':>9}{'each p50':>9}{'each p99':>9}{'all p99':>9}")
    for label, server in (("process A", first), ("process B", second)):
        measure(server.url, screens, kiosk, officer, 3)  # warm up
        figures = measure(server.url, screens, kiosk, officer, rounds)
        print(
            f"{label:<14}{statistics.median(figures.post):>9.1f}"
            f"{statistics.median(figures.each):>9.1f}{percentile(figures.each, 0.99):>9.1f}"
            f"{percentile(figures.every, 0.99):>9.1f}",
            flush=True,
        )
    for screen in screens:
        loop.run(screen.client.disconnect())


class Client:
    """One keep-alive JSON client on one server."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def post(self, path: str, body: dict[str, object], token: str) -> dict[str, object]:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.connection.request("POST", path, body=json.dumps(body), headers=headers)
        response = self.connection.getresponse()
        payload = json.loads(response.read() or b"{}")
        assert response.status in (200, 201, 204), (response.status, payload)  # 204: none waiting
        return payload


def in_parallel(work: list[Callable[[], int]]) -> float:
    """Run each job in its own thread from one start signal; done per second."""
    start = threading.Barrier(len(work) + 1)
    done = [0] * len(work)

    def run(index: int) -> None:
        start.wait()
        done[index] = work[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(work))]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - began)


def throughput(cluster: Cluster, processes: int, clients: int, count: int) -> None:
    servers = cluster.servers[:processes]
    kiosk = cluster.token("admin")
    officers = {n: cluster.token("officer", counter=n) for n in COUNTERS}

    def issuer(index: int) -> Callable[[], int]:
        client = Client(servers[index % processes].port)

        def issue() -> int:
            for n in range(count):
                service = SERVICES[(index + n) % len(SERVICES)]
                client.post("/api/v1/tickets", {"service": service}, kiosk)
            return count

        return issue

    def caller(index: int) -> Callable[[], int]:
        client = Client(servers[index % processes].port)
        counter = COUNTERS[index % len(COUNTERS)]

        def call() -> int:
            called = 0
            while called < count:
                path = f"/api/v1/counters/{counter}/next"
                if not client.post(path, {}, officers[counter]).get("ticket"):
                    break  # this counter's services are empty
                called += 1
            return called

        return call

    issued = in_parallel([issuer(i) for i in range(clients)])
    called = in_parallel([caller(i) for i in range(clients)])
    print(f"{processes:>9}{clients:>8}{issued:>11.0f}{called:>10.0f}  {load()}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--displays", type=int, default=50)
    parser.add_argument("--count", type=int, default=150, help="requests per client and phase")
    parser.add_argument("--processes", default="1,2,4")
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    counts = [int(n) for n in args.processes.split(",")]
    with (
        tempfile.TemporaryDirectory(prefix="xephang-cluster-") as tmp,
        fresh_cluster(Path(tmp)) as cluster,
    ):
        cluster.add(max(2, *counts))
        print(f"cluster mode: PostgreSQL, Redis, {len(cluster.servers)} server processes")
        if args.rounds:  # 0: throughput only (e.g. for a version before the outbox)
            latency(cluster, args.displays, args.rounds)
        print(f"\n{'processes':>9}{'clients':>8}{'tickets/s':>11}{'calls/s':>10}  load")
        for processes in counts:
            throughput(cluster, processes, args.clients, args.count)


if __name__ == "__main__":
    main()
