"""An acknowledged ticket survives its process being killed (SIGKILL) at any moment."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from queue_server.core.db import Database
from queue_server.core.models import Ticket

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
