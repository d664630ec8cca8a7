"""The waiting counts kept by triggers equal a recount of the tickets after any mix of
operations, across days, archiving, a migration's fill and a ``kill -9``."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

from queue_server.core.archive import archive_before
from queue_server.core.clock import FrozenClock
from queue_server.core.context import Outcome
from queue_server.core.db import Database
from queue_server.core.errors import QueueError
from queue_server.core.events import QueueChanged
from queue_server.core.operations import Queue
from queue_server.core.schema import upgrade
from queue_server.core.waiting_counts import maintained, recount

SERVICES_OF = {1: ["HD", "BTXH", "NCC"], 2: ["HT", "CTR"], 3: ["CT"], 4: ["CT", "HT"]}
PRIORITIES = [None, None, None, "emergency", "elderly"]


def _counts_agree(queue: Queue) -> dict[tuple[int, date], tuple[int, int]]:
    with queue.db.read() as conn:
        kept, counted = maintained(conn), recount(conn)
    assert kept == counted
    return kept


def _random_operation(queue: Queue, rng: random.Random, waiting_ids: list[int]) -> list[object]:
    """One operation of a counter or a kiosk, chosen at random; its events."""
    counter = rng.choice(list(SERVICES_OF))
    choice = rng.random()
    outcome: Outcome[Any]
    if choice < 0.35:
        service = rng.choice(SERVICES_OF[counter])
        outcome = queue.issue(service, rng.choice(PRIORITIES))
        waiting_ids.append(outcome.value.id)
    elif choice < 0.5:
        outcome = queue.call_next(counter)
    elif choice < 0.57 and waiting_ids:
        outcome = queue.call_ticket(counter, rng.choice(waiting_ids))
    elif choice < 0.64:
        outcome = queue.transfer(counter, rng.choice(["HD", "HT", "CT"]))
    elif choice < 0.71 and waiting_ids:
        outcome = queue.cancel(rng.choice(waiting_ids))
    elif choice < 0.78:
        outcome = queue.no_show(counter)
    elif choice < 0.85:
        outcome = queue.recall(counter)
    elif choice < 0.92:
        outcome = queue.start_serving(counter)
    else:
        outcome = queue.finish(counter)
    return list(outcome.events)


def test_maintained_counts_equal_a_recount(queue: Queue, clock: FrozenClock) -> None:
    rng = random.Random(20261205)
    checked_events = 0
    for _day in range(3):
        waiting_ids: list[int] = []
        for _step in range(70):
            clock.advance(seconds=30)
            try:
                events = _random_operation(queue, rng, waiting_ids)
            except QueueError:  # nobody to call, not waiting any more …: refused, no change
                continue
            kept = _counts_agree(queue)
            for event in events:
                if isinstance(event, QueueChanged):
                    service_id = queue.service_info(event.service).id
                    assert event.waiting == kept.get((service_id, queue.today()), (0, 0))[0]
                    checked_events += 1
        _counts_agree(queue)
        clock.advance(days=1)  # the next day: yesterday's queue is closed
        queue.close_day()
        assert not [key for key in _counts_agree(queue) if key[1] < queue.today()]
    archive_before(queue.db, queue.today())
    assert _counts_agree(queue) == {}
    assert checked_events > 50


def test_the_migration_fills_counts_for_tickets_already_waiting(queue: Queue) -> None:
    for service in ("HD", "HD", "HT"):
        queue.issue(service)
    queue.issue("HT", "emergency")
    queue.call_next(1)  # one of HD's two
    expected = _counts_agree(queue)
    assert sorted(expected.values()) == [(1, 0), (2, 1)]
    upgrade(queue.db, "0016")  # drops the table and its triggers
    upgrade(queue.db)  # creates them again, filled from the tickets
    assert _counts_agree(queue) == expected
    queue.issue("HT")
    assert sorted(_counts_agree(queue).values()) == [(1, 0), (3, 1)]


CHILD = """
import sys
from queue_server.settings import load_settings
from queue_server.core.bootstrap import open_queue
from queue_server.core.errors import QueueError
settings = load_settings(sys.argv[1]).model_copy(update={"data_dir": sys.argv[2]})
queue = open_queue(settings)
print("ready", flush=True)
n = 0
while True:
    n += 1
    ticket = queue.issue("HT" if n % 2 else "CT", "emergency" if n % 7 == 0 else None).value
    try:
        queue.call_next(4) if n % 3 == 0 else queue.cancel(ticket.id) if n % 5 == 0 else None
    except QueueError:
        pass
    print(n, flush=True)
"""


def test_counts_survive_sigkill(tmp_path: Path) -> None:
    config = Path(__file__).resolve().parents[2] / "config" / "demo.toml"
    data_dir = tmp_path / "data"
    rng = random.Random(7)
    for _kill in range(3):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(config), str(data_dir)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        for _ in range(rng.randint(5, 40)):
            child.stdout.readline()
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
    database = Database(f"sqlite:///{data_dir / 'xephang.db'}")
    try:
        with database.read() as conn:
            kept, counted = maintained(conn), recount(conn)
    finally:
        database.dispose()
    assert kept == counted
    assert sum(waiting for waiting, _ in counted.values()) > 10
