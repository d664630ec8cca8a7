"""The maintenance's catch-up over many missed days runs in slices of bounded size, one
transaction each, and issuing goes on between two slices."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from itertools import pairwise

import pytest
from sqlalchemy import func, select

from queue_server.core import archive, maintenance
from queue_server.core.archive import ticket_counts
from queue_server.core.bootstrap import open_queue
from queue_server.core.clock import FrozenClock
from queue_server.core.maintenance import MaintenancePlan, run_maintenance
from queue_server.core.models import Ticket, TicketStatus
from queue_server.core.operations import Queue
from queue_server.core.waiting_counts import maintained, recount
from queue_server.settings import Settings

DAYS = 4
PER_DAY = 7  # of which 2 are left waiting each day (and the last day's call at a counter)
SLICE = 3


def _play_missed_days(queue: Queue, clock: FrozenClock) -> None:
    """``DAYS`` days of tickets before the clock's day, some never closed."""
    today = clock.now()
    for back in range(DAYS + 10, 10, -1):
        clock.set(today - timedelta(days=back))
        tickets = [queue.issue("HT").value for _ in range(PER_DAY)]
        for _ in range(PER_DAY - 3):
            queue.call_next(2)
            queue.finish(2)
        queue.call_next(2)  # left at the counter
        assert len(tickets) == PER_DAY
    clock.set(today)


def _leftovers(queue: Queue) -> int:
    with queue.db.read() as conn:
        open_statuses = (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING)
        query = select(func.count()).where(
            Ticket.day < queue.today(), Ticket.status.in_(open_statuses)
        )
        return int(conn.execute(query).scalar_one())


def test_the_catch_up_commits_in_small_slices_and_issuing_goes_on_between(
    queue: Queue, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(maintenance, "CLOSE_SLICE", SLICE)
    monkeypatch.setattr(archive, "SLICE", SLICE)
    _play_missed_days(queue, clock)
    left = _leftovers(queue)
    assert left == 2 * DAYS + 1
    seen: list[tuple[int, int]] = []  # (leftovers, archived) after each slice
    issued: list[str] = []

    def between() -> None:
        seen.append((_leftovers(queue), ticket_counts(queue.db)[1]))
        issued.append(queue.issue("CT").value.number)  # a request between two slices

    outcome = run_maintenance(queue, MaintenancePlan(keep_days=7), between=between)

    counts = outcome.value.counts()
    assert counts["closed"] == left and counts["tickets_archived"] == DAYS * PER_DAY
    steps = [(left, 0), *seen, (0, DAYS * PER_DAY)]
    for (open_before, archived_before), (open_after, archived_after) in pairwise(steps):
        assert 0 <= open_before - open_after <= SLICE  # each slice closed at most SLICE
        assert 0 <= archived_after - archived_before <= SLICE  # … and moved at most SLICE
    # 9 leftovers: 3 full slices of 3 (between after each full one); each day's 7
    # tickets: slices of 3, 3 and 1 (between after each, the last one included).
    assert len(seen) == left // SLICE + 3 * DAYS
    assert len(issued) == len(seen) and len(set(issued)) == len(issued)
    assert ticket_counts(queue.db) == (len(issued), DAYS * PER_DAY)
    with queue.db.read() as conn:
        assert maintained(conn) == recount(conn)


def test_a_waiting_writer_goes_before_the_next_slice(
    settings: Settings, clock: FrozenClock
) -> None:
    """SQLite: the writers of a process queue on its write lock (PostgreSQL has none)."""
    queue = open_queue(settings, clock=clock)
    issued: list[int] = []
    writer = threading.Thread(target=lambda: issued.append(queue.issue("HT").value.id))
    with queue.db.write():  # a slice of a long job holds the lock …
        writer.start()
        deadline = time.monotonic() + 10
        while queue.db.writers_waiting() == 0:  # … while a request waits for it
            assert time.monotonic() < deadline, "the writer never waited for the lock"
            time.sleep(0.001)
    queue.db.let_writers_pass()
    with queue.db.write() as conn:  # the next slice
        newest = conn.execute(select(func.max(Ticket.id))).scalar_one()
    writer.join(timeout=10)
    queue.db.dispose()
    assert issued == [newest]
