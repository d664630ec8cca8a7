"""The two-machine recipe of docs/deployment.md: nginx in front of two server processes.

Two production servers stand for two machines: each on a loopback address of its own
(127.0.0.2 and 127.0.0.3) with a data directory of its own, both on one fresh PostgreSQL
database and the test's Redis, both trusting the proxy's address (127.0.0.1). nginx runs
the repository's ``nginx/xephang.conf`` with those addresses put in. Clients reach nginx
from loopback addresses of their own (127.0.0.10, …), as phones and kiosks of a LAN do.
"""

from __future__ import annotations

import base64
import os
import re
import secrets
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
import requests
from requests.adapters import HTTPAdapter

from tests.cluster.cluster_rig import Cluster, Screen, ServerProcess, outbox_calls, wait_for
from tests.cluster.nginx_rig import Nginx, nginx_binary

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

NGINX = nginx_binary()
PROXY = "127.0.0.1"  # the address nginx connects to the servers from
PER_CLIENT = 4  # nginx's limit_conn in this test (the file says 64)
SERVER_CAP = 3  # each server's own per-address cap: the proxy's address is left out
MACHINE_TOML = f"""
[server]
trusted_proxies = ["{PROXY}"]
max_connections_per_address = {SERVER_CAP}
socket_join_timeout_s = 30

[ratings]
track_rate_per_minute = 3
"""
RATE = "/api/v1/track/no-such-code/rating"  # public, limited per client address
XEPHANG = str(Path(sys.executable).parent / "xephang")


class FromAddress(HTTPAdapter):
    """Connections made from a given local address (a client machine of the LAN)."""

    def __init__(self, source: str) -> None:
        self.source = source
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)


def client_at(source: str) -> requests.Session:
    session = requests.Session()
    session.mount("http://", FromAddress(source))
    return session


def process_label(session: requests.Session, url: str) -> str:
    """The ``process="host:pid"`` of the server that answers ``url``'s metrics."""
    text = session.get(f"{url}/api/v1/metrics", timeout=10).text
    found = re.search(r'process="([^"]+)"', text)
    assert found, text[:500]
    return found.group(1)


def logged(log: Path, address: str, request: str) -> bool:
    """Whether gunicorn's access log ``log`` has a line of ``address`` for ``request``."""
    lines = log.read_text(errors="replace").splitlines()
    return any(line.startswith(f"{address} ") and f'"{request} ' in line for line in lines)


def bare_upgrade(nginx: Nginx, source: str) -> tuple[socket.socket, bytes]:
    """An Engine.IO WebSocket upgrade through nginx from ``source``, held open: the
    socket and the answer's status line."""
    sock = socket.create_connection((nginx.host, nginx.port), timeout=5, source_address=(source, 0))
    key = base64.b64encode(secrets.token_bytes(16)).decode()
    sock.sendall(
        (
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
            f"Host: {nginx.host}:{nginx.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    head = b""
    while b"\r\n" not in head:
        chunk = sock.recv(4096)
        assert chunk, "closed before the status line"
        head += chunk
    return sock, head.split(b"\r\n", 1)[0]


def xephang(*args: str, config: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XEPHANG_LANG": "en"}
    command = [XEPHANG, *args, "--config", str(config)]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)


@pytest.fixture
def machines(cluster: Cluster) -> tuple[ServerProcess, ServerProcess]:
    """The recipe's steps: one file per machine, `xephang check` and `xephang init`
    (once, from one machine), then the servers (the systemd unit's command)."""
    configs = [cluster.machine_config(name, MACHINE_TOML) for name in ("a", "b")]
    checked = xephang("check", config=configs[1])
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "cluster: PostgreSQL + Redis" in checked.stdout
    initialised = xephang("init", config=configs[0])
    assert initialised.returncode == 0, initialised.stderr
    first = cluster.add_machine(configs[0], "127.0.0.2")
    second = cluster.add_machine(configs[1], "127.0.0.3")
    return first, second


@pytest.fixture
def nginx(tmp_path: Path, machines: tuple[ServerProcess, ServerProcess]) -> Iterator[Nginx]:
    if NGINX is None:
        pytest.skip("nginx is not installed (scripts/system-deps.sh installs it)")
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    upstreams = [f"{server.host}:{server.port}" for server in machines]
    proxy = Nginx(NGINX, prefix, upstreams, host=PROXY, per_client=PER_CLIENT)
    checked = proxy.check()
    assert checked.returncode == 0, checked.stderr
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.stop()


def test_a_display_through_nginx_hears_calls_made_on_either_machine(
    cluster: Cluster, machines: tuple[ServerProcess, ServerProcess], nginx: Nginx
) -> None:
    here = client_at(PROXY)  # the display, the kiosk and the officer's PC
    label = {process_label(here, server.url): server for server in machines}
    assert len(label) == 2
    behind = label[process_label(here, nginx.url)]  # the process nginx gives this address
    (other,) = [server for server in machines if server is not behind]

    display = cluster.token("display")
    polling = Screen(display).connect(nginx, transports=("polling", "websocket"))
    websocket = Screen(display).connect(nginx)
    screens = (polling, websocket)
    assert polling.wait_until(lambda s: s.client.transport() == "websocket")  # upgraded
    assert all(s.wait_until(lambda s: s.seq is not None) for s in screens)  # snapshots

    kiosk = {"Authorization": f"Bearer {cluster.token('kiosk')}"}
    officer = {"Authorization": f"Bearer {cluster.token('officer', 2)}"}

    def call_on(server: Nginx | ServerProcess) -> None:
        issued = here.post(
            f"{server.url}/api/v1/tickets", json={"service": "HT"}, headers=kiosk, timeout=10
        )
        assert issued.status_code == 201, issued.text
        called = here.post(f"{server.url}/api/v1/counters/2/next", headers=officer, timeout=10)
        assert called.status_code == 200, called.text

    def screens_show(count: int) -> None:
        expected = outbox_calls(queue)
        assert len(expected) == count
        for screen in screens:
            assert screen.wait_until(lambda s: len(s.calls) == count), screen.calls
            assert screen.calls == expected
            assert (screen.gaps, screen.repeats) == (0, 0)

    queue = cluster.queue()
    try:
        call_on(nginx)  # through nginx: made on the process the screens are on
        call_on(other)  # directly on the other machine
        screens_show(2)

        # The screens' process dies: through nginx they reach the other one, and resume.
        behind.kill()
        polling.connect(nginx, transports=("polling", "websocket"))
        websocket.connect(nginx)
        assert label[process_label(here, nginx.url)] is other
        call_on(nginx)
        screens_show(3)
        assert [s.resumes for s in screens] == [1, 1]
    finally:
        queue.db.dispose()
        for screen in screens:
            screen.close()


def test_the_servers_see_each_client_address_and_only_the_proxy_may_name_it(
    machines: tuple[ServerProcess, ServerProcess], nginx: Nginx
) -> None:
    # Sticky: each client address always reaches the same process; the LAN's addresses
    # are spread over both (ip_hash would put them all on one: same first three bytes).
    labels = {process_label(client_at(PROXY), server.url) for server in machines}
    reached: dict[str, str] = {}
    for last in range(10, 30):
        client = client_at(f"127.0.0.{last}")
        first = process_label(client, nginx.url)
        assert process_label(client, nginx.url) == first
        reached[f"127.0.0.{last}"] = first
    assert set(reached.values()) == labels

    # Rate limits count per client address, one budget on both machines (Redis).
    phone, neighbour = client_at("127.0.0.10"), client_at("127.0.0.11")
    answers = [phone.post(nginx.url + RATE, json={"score": 3}, timeout=10) for _ in range(4)]
    assert [a.status_code for a in answers] == [404, 404, 404, 429]
    assert neighbour.post(nginx.url + RATE, json={"score": 3}, timeout=10).status_code == 404
    # The servers' access logs name the client too.
    logs = [server.log for server in machines]
    wait_for(lambda: any(logged(log, "127.0.0.11", "POST " + RATE) for log in logs))
    # A client cannot name another address: nginx puts the one it sees in the header.
    forged = {"X-Forwarded-For": "10.9.8.7"}
    answer = phone.post(nginx.url + RATE, json={"score": 3}, headers=forged, timeout=10)
    assert answer.status_code == 429
    # Straight to a server from an address it does not trust, the header is ignored …
    stranger = client_at("127.0.0.12")
    for server in machines:
        named = {"X-Forwarded-For": "127.0.0.10"}
        answer = stranger.post(server.url + RATE, json={"score": 3}, headers=named, timeout=10)
        assert answer.status_code == 404  # its own budget, not 127.0.0.10's
    # … and believed from the proxy's address.
    answer = client_at(PROXY).post(
        machines[1].url + RATE, json={"score": 3}, headers={"X-Forwarded-For": "127.0.0.10"}
    )
    assert answer.status_code == 429

    # Connections: nginx caps each client (limit_conn); the servers leave the proxy's
    # address out of their own cap, though every connection comes from it.
    with ExitStack() as held:
        for _ in range(PER_CLIENT):  # more than a server's cap, all on one process
            sock, status = bare_upgrade(nginx, "127.0.0.13")
            held.enter_context(sock)
            assert status == b"HTTP/1.1 101 Switching Protocols", status
        sock, status = bare_upgrade(nginx, "127.0.0.13")
        held.enter_context(sock)
        assert status.startswith(b"HTTP/1.1 429"), status  # nginx's limit_conn
        sock, status = bare_upgrade(nginx, "127.0.0.14")
        held.enter_context(sock)
        assert status == b"HTTP/1.1 101 Switching Protocols", status
