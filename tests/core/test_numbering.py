"""Daily numbering: format, wrap, and rollover at local (not UTC) midnight."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from queue_server.core.clock import FrozenClock
from queue_server.core.models import Base
from queue_server.core.numbering import format_number
from queue_server.core.operations import Queue


@pytest.mark.parametrize(
    ("sequence", "width", "first", "last", "expected"),
    [
        (1, 3, 1, 999, "A001"),
        (7, 3, 1, 999, "A007"),
        (999, 3, 1, 999, "A999"),
        (1000, 3, 1, 999, "A001"),
        (1, 4, 1000, 1999, "A1000"),
        (3, 2, 0, 99, "A02"),
    ],
)
def test_format(sequence: int, width: int, first: int, last: int, expected: str) -> None:
    assert format_number("A", sequence, width=width, first=first, last=last) == expected


def test_sequence_must_be_positive() -> None:
    with pytest.raises(ValueError):
        format_number("A", 0, width=3, first=1, last=999)


def test_day_rolls_over_at_local_midnight(queue: Queue, clock: FrozenClock) -> None:
    # 16:59:59 UTC is 23:59:59 in Hà Nội; 17:00:00 UTC is 00:00 the next local day.
    clock.set(datetime(2026, 11, 23, 16, 59, 59, tzinfo=UTC))
    late = [queue.issue("HT").value for _ in range(3)]
    assert [t.number for t in late] == ["B001", "B002", "B003"]
    clock.set(datetime(2026, 11, 23, 17, 0, 0, tzinfo=UTC))
    fresh = queue.issue("HT").value
    assert fresh.number == "B001"
    assert fresh.ahead == 0, "yesterday's waiting tickets are not ahead of today's"
    # The counter only calls today's tickets.
    called = queue.call_next(2).value
    assert called is not None and called.id == fresh.id
    assert queue.call_next(2).value is None


def test_utc_midnight_is_not_a_new_day(queue: Queue, clock: FrozenClock) -> None:
    clock.set(datetime(2026, 11, 23, 23, 59, 0, tzinfo=UTC))  # 06:59 local on the 24th
    queue.issue("HT")
    clock.set(datetime(2026, 11, 24, 0, 1, 0, tzinfo=UTC))  # 07:01 local, same local day
    assert queue.issue("HT").value.number == "B002"


def test_close_day_expires_leftovers(queue: Queue, clock: FrozenClock) -> None:
    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    left = queue.issue("HT").value
    queue.issue("HT")
    queue.call_next(2)
    clock.set(datetime(2026, 11, 24, 1, 0, tzinfo=UTC))
    outcome = queue.close_day()
    assert outcome.value == 2
    assert queue.ticket(left.id).status == "done"
    assert queue.counter(2).current is None
    assert queue.close_day().value == 0


def test_migrations_match_models(queue: Queue) -> None:
    with queue.db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
