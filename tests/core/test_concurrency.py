"""Many counters calling at once: nobody called twice, nobody lost, no number gaps."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from queue_server.core.bootstrap import open_queue
from queue_server.core.db import Database
from queue_server.core.models import Ticket, TicketEvent
from queue_server.settings import parse_settings

THREADS = 16
CALLS_PER_THREAD = 200


def busy_center(data_dir: Path) -> dict:
    return {
        "center": {"name": "Trung tâm thử tải"},
        "data_dir": str(data_dir),
        "numbering": {"width": 4, "first": 1, "last": 9999},
        "services": [{"code": "HT", "prefix": "B", "name": "Hộ tịch"}],
        "counters": [
            {"number": n, "name": f"Quầy {n}", "services": ["HT"]} for n in range(1, THREADS + 1)
        ],
        "priorities": [{"code": "elderly", "name": "Người cao tuổi", "weight": 1.0}],
    }


@pytest.mark.slow
def test_concurrent_issue_and_call_next(db_url: str, tmp_path: Path) -> None:
    settings = parse_settings(busy_center(tmp_path))
    queue = open_queue(settings, db=Database(db_url))
    called: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def officer(counter: int) -> None:
        mine = []
        try:
            start.wait()
            for i in range(CALLS_PER_THREAD):
                queue.issue("HT", "elderly" if i % 5 == 0 else None)
                ticket = queue.call_next(counter).value
                if ticket is not None:
                    mine.append(ticket.id)
        except BaseException as exc:
            errors.append(exc)
        with lock:
            called.extend(mine)

    threads = [threading.Thread(target=officer, args=(n,)) for n in range(1, THREADS + 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []

    while (ticket := queue.call_next(1).value) is not None:
        called.append(ticket.id)

    total = THREADS * CALLS_PER_THREAD
    duplicates = [tid for tid, n in Counter(called).items() if n > 1]
    assert duplicates == []
    with queue.db.read() as conn:
        tickets = conn.execute(select(Ticket.id, Ticket.seq, Ticket.number)).all()
        call_events = Counter(
            conn.execute(
                select(TicketEvent.ticket_id).where(TicketEvent.action == "call")
            ).scalars()
        )
    assert len(tickets) == total
    assert sorted(called) == sorted(t.id for t in tickets), "a ticket was lost"
    assert sorted(t.seq for t in tickets) == list(range(1, total + 1)), "gap or duplicate"
    assert len({t.number for t in tickets}) == total
    assert set(call_events.values()) == {1}
    queue.db.dispose()
