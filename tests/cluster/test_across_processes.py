"""Cluster mode with real server processes: every writer's events reach every screen.

Two or three production servers (the systemd unit's ExecStart) share one fresh
PostgreSQL database and a Redis server of the test's own. Screens follow them as the
hall display's page does (``cluster_rig.Screen``). The faults of issue #15: a process
``kill -9``ed mid-load, Redis stopped for 30 s, PostgreSQL's connections broken; and the
CLI, the daily maintenance and an admin change made elsewhere reaching another process.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select

from queue_server.core.clock import FrozenClock
from queue_server.core.maintenance import MaintenancePlan
from queue_server.core.models import Ticket
from queue_server.core.operations import Queue
from queue_server.relay import Relay
from queue_server.workers.maintenance import MaintenanceWorker
from tests.cluster.cluster_rig import Cluster, Screen, ServerProcess, free_port, outbox_calls

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

XEPHANG = str(Path(sys.executable).parent / "xephang")


def post(server: ServerProcess, path: str, token: str, body: Any = None) -> requests.Response:
    return requests.post(
        f"{server.url}/api/v1{path}",
        json=body if body is not None else {},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )


def has_calls(count: int) -> Callable[[Screen], bool]:
    return lambda screen: len(screen.calls) >= count


@pytest.fixture
def queue(cluster: Cluster) -> Iterator[Queue]:
    opened = cluster.queue()
    yield opened
    opened.db.dispose()


def test_a_cli_call_reaches_a_display_on_another_process_within_a_second(
    cluster: Cluster, queue: Queue
) -> None:
    first, second = cluster.add(2)
    screen = Screen(cluster.token("display")).connect(second)
    assert post(first, "/tickets", cluster.token("kiosk"), {"service": "HT"}).status_code == 201
    assert screen.wait_until(lambda s: s.events >= 1)  # queue_changed, made on process 1

    env = {**os.environ, "XEPHANG_CONFIG": str(cluster.config), "XEPHANG_LANG": "en"}
    done = subprocess.run(
        [XEPHANG, "counter", "next", "2"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    returned = time.monotonic()
    assert screen.wait_until(lambda s: len(s.calls) == 1, within_s=1.0)
    assert time.monotonic() - returned < 1.0
    assert screen.calls == outbox_calls(queue)
    screen.close()


def test_maintenance_and_an_admin_change_made_elsewhere_reach_another_process(
    cluster: Cluster, queue: Queue
) -> None:
    first, second = cluster.add(2)
    screen = Screen(cluster.token("display")).connect(second)
    post(first, "/tickets", cluster.token("kiosk"), {"service": "HT"})
    assert post(first, "/counters/2/next", cluster.token("officer", 2)).status_code == 200
    assert screen.wait_until(lambda s: len(s.calls) == 1)

    # The admin writes a notice on process 1; process 2's screens and pages learn it.
    notice = "Thứ Bảy 13/12 tiếp dân tại Nhà văn hóa tổ dân phố 5"
    changed = requests.put(
        f"{first.url}/api/v1/admin/settings/center.notice",
        json={"value": notice},
        headers={"Authorization": f"Bearer {cluster.token('admin')}"},
        timeout=10,
    )
    assert changed.status_code == 200, changed.text
    assert screen.wait_until(lambda s: s.settings_changes == 1)
    # When the screen hears of it, process 2 already has it (the page is redrawn next).
    page = requests.get(f"{second.url}/display", timeout=10)
    assert notice in page.text

    # The daily maintenance, run tomorrow by another process, closes what was left open.
    tomorrow = FrozenClock(queue.clock.now() + timedelta(days=1))
    maintainer = type(queue)(queue.db, queue.options, tomorrow)
    plan = MaintenancePlan(enabled=True, hour=0, keep_days=400, contact_days=30)
    before = screen.events
    assert MaintenanceWorker(maintainer, plan, Relay(queue.db)).run_if_due() is not None
    assert screen.wait_until(lambda s: s.events > before, within_s=2.0)
    screen.close()


def test_a_process_killed_mid_load_loses_and_repeats_nothing(
    cluster: Cluster, queue: Queue
) -> None:
    doomed, survivor, other = cluster.add(3)
    display = cluster.token("display")
    screens = [Screen(display).connect(doomed) for _ in range(4)]
    screens += [Screen(display).connect(survivor) for _ in range(4)]
    kiosk = cluster.token("kiosk")
    officers = {n: cluster.token("officer", n) for n in (1, 2, 3)}
    issued: list[int] = []
    called: list[str] = []
    stop = threading.Event()

    def load(servers: list[ServerProcess]) -> None:
        turn = 0
        while not stop.is_set():
            server = servers[turn % len(servers)]
            counter = 1 + turn % 3
            turn += 1
            try:
                ticket = post(server, "/tickets", kiosk, {"service": "HT"})
                if ticket.status_code == 201:
                    issued.append(ticket.json()["id"])
                answer = post(server, f"/counters/{counter}/next", officers[counter])
                if answer.status_code == 200 and answer.json().get("ticket"):
                    called.append(answer.json()["ticket"]["number"])
            except requests.RequestException:
                pass  # the killed process: not acknowledged, so nothing is owed

    workers = [
        threading.Thread(target=load, args=([doomed, survivor, other],)),
        threading.Thread(target=load, args=([other, doomed, survivor],)),
    ]
    for worker in workers:
        worker.start()
    assert screens[0].wait_until(lambda s: len(s.calls) >= 10, within_s=30)
    doomed.kill()
    for screen in screens[:4]:  # the page reconnects, here to another process
        screen.connect(survivor)
    target = len(screens[-1].calls) + 10  # calls made after the kill
    assert screens[-1].wait_until(has_calls(target), within_s=30)
    stop.set()
    for worker in workers:
        worker.join(timeout=30)

    expected = outbox_calls(queue)
    assert len(called) == len({*called})  # no ticket called twice
    with queue.db.read() as conn:
        stored = set(conn.execute(select(Ticket.id)).scalars())
    assert set(issued) <= stored  # every acknowledged ticket is there
    assert {number for _seq, number, _counter in expected} >= set(called)
    for screen in screens:
        assert screen.wait_until(lambda s: len(s.calls) == len(expected), within_s=10)
        assert screen.calls == expected
        assert (screen.gaps, screen.repeats) == (0, 0)
    assert all(screen.resumes == 1 for screen in screens[:4])
    for screen in screens:
        screen.close()


def test_screens_catch_up_after_redis_is_stopped_for_30_seconds(
    cluster: Cluster, queue: Queue
) -> None:
    first, second = cluster.add(2)
    screen = Screen(cluster.token("display")).connect(second)
    kiosk, officer = cluster.token("kiosk"), cluster.token("officer", 2)
    cluster.redis.stop()
    ends = time.monotonic() + 30
    made = 0
    while time.monotonic() < ends:
        assert post(first, "/tickets", kiosk, {"service": "HT"}).status_code == 201
        assert post(first, "/counters/2/next", officer).status_code == 200
        made += 1
        assert screen.wait_until(has_calls(made), within_s=2.0)  # the relays poll meanwhile
    cluster.redis.start()
    assert post(first, "/tickets", kiosk, {"service": "HT"}).status_code == 201
    assert post(first, "/counters/2/next", officer).status_code == 200
    expected = outbox_calls(queue)
    assert len(expected) == made + 1
    assert screen.wait_until(lambda s: len(s.calls) == len(expected), within_s=5)
    assert screen.calls == expected
    assert (screen.gaps, screen.repeats, screen.snapshots) == (0, 0, 1)
    screen.close()


class Proxy:
    """socat between the servers and PostgreSQL, which the test cuts and mends."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        listen = f"TCP-LISTEN:{self.port},bind=127.0.0.1,fork,reuseaddr"
        self.process = subprocess.Popen(
            ["socat", listen, "TCP:127.0.0.1:5432"], start_new_session=True
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), 0.2):
                    return
            except OSError:
                threading.Event().wait(0.02)
        raise TimeoutError("socat did not listen")

    def cut(self) -> None:
        """Every connection through it drops, and new ones are refused."""
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
            self.process = None


def test_a_broken_database_connection_answers_503_and_heals(
    cluster: Cluster, queue: Queue, tmp_path: Path
) -> None:
    proxy = Proxy()
    proxy.start()
    text = cluster.config.read_text(encoding="utf-8")
    cluster.config.write_text(text.replace(":5432/", f":{proxy.port}/"), encoding="utf-8")
    (server,) = cluster.add(1)
    kiosk = cluster.token("kiosk")
    acknowledged = [post(server, "/tickets", kiosk, {"service": "HT"}).json()["id"]]
    try:
        proxy.cut()
        started = time.monotonic()
        refused = post(server, "/tickets", kiosk, {"service": "HT"})
        assert refused.status_code == 503, refused.text
        assert "error" in refused.json() and "Retry-After" in refused.headers
        assert time.monotonic() - started < 6.0
        proxy.start()
        deadline = time.monotonic() + 15
        while True:  # the pool replaces its dead connections: no restart
            answer = post(server, "/tickets", kiosk, {"service": "HT"})
            if answer.status_code == 201:
                acknowledged.append(answer.json()["id"])
                break
            assert answer.status_code == 503 and time.monotonic() < deadline
    finally:
        proxy.cut()
    with queue.db.read() as conn:
        stored = set(conn.execute(select(Ticket.id)).scalars())
    assert set(acknowledged) <= stored
