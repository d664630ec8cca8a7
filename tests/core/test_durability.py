"""An acknowledged ticket survives its process being killed (SIGKILL) at any moment:
one process issuing in a loop, and the production server under concurrent clients
(whose issues commit in groups, core/groupcommit.py)."""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from queue_server.auth.tokens import create_token
from queue_server.cli.run import gunicorn_command
from queue_server.core.bootstrap import open_queue
from queue_server.core.db import Database
from queue_server.core.models import OutboxEvent, Ticket
from queue_server.settings import load_settings

REPO = Path(__file__).resolve().parents[2]

CHILD = """
import sys
from queue_server.settings import load_settings
from queue_server.core.bootstrap import open_queue
settings = load_settings(sys.argv[1]).model_copy(update={"data_dir": sys.argv[2]})
queue = open_queue(settings)
print("ready", flush=True)
while True:
    ticket = queue.issue("HT", channel="test").value
    print(ticket.id, ticket.number, flush=True)
"""

KILLS = 12


@pytest.mark.slow
def test_acknowledged_tickets_survive_sigkill(tmp_path: Path) -> None:
    config = Path(__file__).resolve().parents[2] / "config" / "demo.toml"
    data_dir = tmp_path / "data"
    rng = random.Random(20261122)
    acknowledged: dict[int, str] = {}
    for _attempt in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(config), str(data_dir)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        for _ in range(rng.randint(1, 60)):
            ticket_id, number = child.stdout.readline().split()
            acknowledged[int(ticket_id)] = number
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()

    database = Database(f"sqlite:///{data_dir / 'xephang.db'}")
    with database.read() as conn:
        stored = {row.id: (row.number, row.seq) for row in conn.execute(select(Ticket))}
    database.dispose()
    missing = [tid for tid in acknowledged if tid not in stored]
    assert missing == []
    assert all(stored[tid][0] == number for tid, number in acknowledged.items())
    seqs = sorted(seq for _, seq in stored.values())
    assert seqs == list(range(1, len(seqs) + 1)), "numbering has a gap or a duplicate"
    assert len(stored) >= len(acknowledged)


SERVER_CLIENTS = 8
ACKED_BEFORE_KILL = (60, 150)  # a kill -9 after so many more acknowledged issues, each


def _center(tmp_path: Path) -> Path:
    """The demo center in ``tmp_path/data``, without the kiosks' issue rate limit."""
    text = (REPO / "config" / "demo.toml").read_text(encoding="utf-8")
    text = re.sub(r"^data_dir = .*$", f'data_dir = "{tmp_path / "data"}"', text, flags=re.M)
    path = tmp_path / "center.toml"
    path.write_text(text + "\n[api]\nissue_rate_per_minute = 100000\n", encoding="utf-8")
    return path


def _serving(port: int, deadline: float) -> None:
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/api/v1/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)  # polling a starting server, with a deadline


def _issue_until_killed(port: int, secret: str, acknowledged: list[tuple[int, str]]) -> None:
    """Issue tickets over one keep-alive connection until the server is gone."""
    headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        while True:
            connection.request("POST", "/api/v1/tickets", body=b'{"service":"HT"}', headers=headers)
            response = connection.getresponse()
            body = json.loads(response.read())
            assert response.status == 201, body
            acknowledged.append((int(body["id"]), str(body["number"])))
    except (OSError, http.client.HTTPException):
        return  # the server was killed


@pytest.mark.slow
def test_concurrent_acknowledged_issues_survive_sigkill_of_the_server(tmp_path: Path) -> None:
    """The production server (gevent) under 8 keep-alive clients, whose issues commit in
    groups, is killed with SIGKILL twice: every ticket answered 201 is on disk."""
    config = _center(tmp_path)
    settings = load_settings(config)
    queue = open_queue(settings)
    secret, _info = create_token(queue.db, "kiosk", name="durability kiosk")
    queue.db.dispose()
    acknowledged: list[tuple[int, str]] = []
    env = {**os.environ, "XEPHANG_CONFIG": str(config)}
    for more in ACKED_BEFORE_KILL:
        threshold = len(acknowledged) + more
        port = _free_port()
        server = subprocess.Popen(
            gunicorn_command("127.0.0.1", port),
            env=env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            _serving(port, time.monotonic() + 30)
            clients = [
                threading.Thread(target=_issue_until_killed, args=(port, secret, acknowledged))
                for _ in range(SERVER_CLIENTS)
            ]
            for client in clients:
                client.start()
            deadline = time.monotonic() + 20
            while len(acknowledged) < threshold:
                assert time.monotonic() < deadline, "the clients did not get their tickets"
                assert any(client.is_alive() for client in clients), "every client stopped"
                time.sleep(0.005)
        finally:
            os.killpg(server.pid, signal.SIGKILL)  # gunicorn and its worker: no goodbye
            server.wait(timeout=30)
        for client in clients:
            client.join(timeout=15)
            assert not client.is_alive()

    database = Database(f"sqlite:///{tmp_path / 'data' / 'xephang.db'}")
    with database.read() as conn:
        rows = conn.execute(select(Ticket.id, Ticket.number, Ticket.seq)).all()
        seqs = list(conn.execute(select(OutboxEvent.seq).order_by(OutboxEvent.seq)).scalars())
    database.dispose()
    stored = {row.id: row.number for row in rows}
    assert len(acknowledged) >= sum(ACKED_BEFORE_KILL)
    assert sorted(row.seq for row in rows) == list(range(1, len(rows) + 1))
    assert [pair for pair in acknowledged if stored.get(pair[0]) != pair[1]] == []
    assert seqs == list(range(1, len(seqs) + 1)), "the outbox has a gap"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
