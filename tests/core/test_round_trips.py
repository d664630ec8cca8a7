"""Call-next and issue on PostgreSQL in few statements, with the same results.

On PostgreSQL each statement is a round trip to the server: call-next closes the
previous ticket and learns its service time in one statement, and claims the next
ticket, seats it at the counter with the priority streak and counts the queue in
another (``core/statements.py``). The statements are counted with SQLAlchemy's
``before_cursor_execute`` event; the results are checked on both databases.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, select

from queue_server.core.clock import FrozenClock
from queue_server.core.models import Counter, Service
from queue_server.core.operations import Queue

CALL_NEXT_STATEMENTS = 6  # lock, close+learn, candidates, claim+seat, log, outbox
ISSUE_STATEMENTS = 5  # facts, number, ticket, log, outbox


@contextmanager
def counting(queue: Queue) -> Iterator[list[str]]:
    """The SQL statements sent while inside (BEGIN and COMMIT are not statements here)."""
    sent: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        sent.append(statement)

    engine = queue.db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_call_next_and_issue_take_few_statements_on_postgresql(pg_queue: Queue) -> None:
    queue = pg_queue
    for _ in range(3):
        queue.issue("HT")
    queue.call_next(2)  # the counter now has a ticket to finish
    with counting(queue) as sent:
        called = queue.call_next(2)
    assert called.value is not None
    assert len(sent) <= CALL_NEXT_STATEMENTS, sent
    with counting(queue) as sent:
        queue.issue("HT")
    assert len(sent) <= ISSUE_STATEMENTS, sent


def test_call_next_finishes_learns_seats_and_counts(queue: Queue, clock: FrozenClock) -> None:
    first, second, third = (queue.issue("CT").value for _ in range(3))
    assert queue.call_next(3).value.id == first.id  # type: ignore[union-attr]
    clock.advance(seconds=100)
    called = queue.call_next(3)
    assert called.value is not None and called.value.id == second.id
    names = [type(e).__name__ for e in called.events]
    assert names == ["TicketChanged", "TicketCalled", "QueueChanged", "CounterChanged"]
    assert called.events[2].waiting == 1  # type: ignore[attr-defined]  # only the third
    with queue.db.read() as conn:
        average = conn.execute(select(Service.avg_service_s).where(Service.code == "CT"))
        seated = select(Counter.current_ticket_id, Counter.status).where(Counter.number == 3)
        counter = conn.execute(seated).one()
        assert average.scalar_one() == 0.8 * 180 + 0.2 * 100  # as finishing by hand
        assert counter.current_ticket_id == second.id and counter.status == "open"
    assert queue.call_next(3).value.id == third.id  # type: ignore[union-attr]
    assert queue.call_next(3).value is None  # nobody left: the counter has none
    assert queue.counter(3).current is None


def test_the_streak_rule_holds_through_the_claim(queue: Queue, clock: FrozenClock) -> None:
    """After three priority calls in a row (the demo's limit) a normal ticket goes next,
    then priority again: the streak the claim stores is the policy's."""
    elderly = [queue.issue("CT", "elderly").value.id for _ in range(5)]
    clock.advance(seconds=1)
    normal = [queue.issue("CT").value.id for _ in range(2)]
    order = [queue.call_next(3).value.id for _ in range(7)]  # type: ignore[union-attr]
    assert order == [*elderly[:3], normal[0], *elderly[3:], normal[1]]
