"""Help records in the core, on SQLite and PostgreSQL: once per ticket and kind, counted
per kind × category over local days, announced through the outbox without personal data."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from queue_server.core.assist_config import AssistsConfig, HelpKindConfig
from queue_server.core.assists import Assists
from queue_server.core.clock import FrozenClock
from queue_server.core.errors import NotFound, Rejected
from queue_server.core.events import AssistRecorded
from queue_server.core.models import Assist
from queue_server.core.operations import Queue
from queue_server.core.outbox import read_after
from queue_server.i18n import use_language

MONDAY = date(2026, 11, 23)


@pytest.fixture
def assists(queue: Queue) -> Assists:
    return Assists(queue, AssistsConfig())


def rows(queue: Queue) -> int:
    with queue.db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(Assist)).scalar_one())


def test_a_record_is_stored_with_its_event_and_no_personal_data(
    queue: Queue, assists: Assists
) -> None:
    outcome = assists.record("forms", role="volunteer", category="elderly", service="HT")
    view = outcome.value
    assert (view.kind, view.category, view.service, view.ticket_id) == (
        "forms",
        "elderly",
        "HT",
        None,
    )
    assert view.created and view.day == MONDAY
    (envelope,) = outcome.envelopes
    assert envelope.name == "assist_recorded"
    assert envelope.payload == {
        "assist_id": view.id,
        "kind": "forms",
        "category": "elderly",
        "service": "HT",
        "at": view.at.isoformat(),
    }
    with queue.db.read() as conn:
        (written,) = read_after(conn, envelope.seq - 1)
    assert written.payload == envelope.payload and written.private is None
    assert isinstance(outcome.events[0], AssistRecorded)
    # Without a ticket, every record counts: two people helped alike are two records.
    assists.record("forms", role="volunteer", category="elderly", service="HT")
    assert rows(queue) == 2


def test_a_ticket_counts_once_per_kind_of_help(queue: Queue, assists: Assists) -> None:
    ticket = queue.issue("CT", "disabled").value
    first = assists.record("read_write", role="helpdesk", ticket_id=ticket.id)
    # Category and service come from the ticket when not given.
    assert (first.value.category, first.value.service) == ("disabled", "CT")
    again = assists.record("read_write", role="officer", ticket_id=ticket.id)
    assert again.value == replace(first.value, created=False)
    assert again.events == [] and again.envelopes == []
    other = assists.record("online_submit", role="officer", ticket_id=ticket.id)
    assert other.value.created and other.value.id != first.value.id
    assert rows(queue) == 2


def test_two_records_of_one_ticket_and_kind_at_once_keep_one(
    queue: Queue, assists: Assists
) -> None:
    ticket = queue.issue("HT").value
    start = threading.Barrier(4)
    results: list[Any] = []

    def record() -> None:
        start.wait(timeout=10)
        results.append(assists.record("guidance", role="helpdesk", ticket_id=ticket.id))

    threads = [threading.Thread(target=record) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(results) == 4
    assert len({r.value.id for r in results}) == 1
    assert sum(r.value.created for r in results) == 1
    assert sum(len(r.envelopes) for r in results) == 1
    assert rows(queue) == 1


def test_bad_input_changes_nothing(queue: Queue) -> None:
    config = AssistsConfig(
        kinds=(
            HelpKindConfig(code="guidance", name="Hướng dẫn"),
            HelpKindConfig(code="old", name="Cũ", active=False),
        )
    )
    assists = Assists(queue, config)
    with use_language("en"):
        with pytest.raises(NotFound, match="Unknown kind of help: forms"):
            assists.record("forms", role="helpdesk")
        with pytest.raises(Rejected, match="no longer recorded: old"):
            assists.record("old", role="helpdesk")
        with pytest.raises(NotFound, match="Unknown priority category: vip"):
            assists.record("guidance", role="helpdesk", category="vip")
        with pytest.raises(NotFound, match="Unknown service: XX"):
            assists.record("guidance", role="helpdesk", service="XX")
        with pytest.raises(NotFound, match="Unknown ticket: 999"):
            assists.record("guidance", role="helpdesk", ticket_id=999)
        with pytest.raises(Rejected):
            assists.counts(date(2026, 11, 24), MONDAY)
        with pytest.raises(Rejected):
            assists.counts(date(2025, 1, 1), MONDAY)
    assert rows(queue) == 0


def test_counts_per_kind_and_category_over_local_days(
    queue: Queue, assists: Assists, clock: FrozenClock
) -> None:
    assists.record("guidance", role="helpdesk", category="elderly")
    assists.record("guidance", role="helpdesk", category="elderly")
    assists.record("guidance", role="helpdesk")
    assists.record("interpreting", role="volunteer", category="ethnic_minority")
    # 17:30 UTC on Monday is 00:30 on Tuesday in Hanoi: Tuesday's record.
    clock.set(datetime(2026, 11, 23, 17, 30, tzinfo=UTC))
    tuesday = assists.record("forms", role="volunteer", category="elderly").value
    assert tuesday.day == date(2026, 11, 24)

    monday = assists.counts(MONDAY, MONDAY)
    assert monday.cells == {
        ("guidance", "elderly"): 2,
        ("guidance", None): 1,
        ("interpreting", "ethnic_minority"): 1,
    }
    assert monday.total == 4
    assert monday.by_kind() == {"guidance": 3, "interpreting": 1}
    assert monday.by_category() == {"elderly": 2, None: 1, "ethnic_minority": 1}
    both = assists.counts(MONDAY, date(2026, 11, 24))
    assert both.total == 5 and both.by_category()["elderly"] == 3
    assert assists.counts(date(2026, 11, 25), date(2026, 11, 30)).total == 0


def test_a_duplicate_that_slips_past_the_check_keeps_the_transaction_usable(
    queue: Queue, assists: Assists, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two requests both find no record, then both insert: the second insert's unique
    violation is rolled back to a savepoint, so even inside an idempotent request's
    transaction (PostgreSQL aborts a transaction on an error) the first record is
    returned and the transaction commits."""
    ticket = queue.issue("HT").value
    first = assists.record("guidance", role="helpdesk", ticket_id=ticket.id).value
    real = Assists._existing
    checks: list[int] = []

    def too_early(self: Assists, conn: Any, ticket_id: int, kind: str) -> Any:
        checks.append(ticket_id)
        return None if len(checks) == 1 else real(self, conn, ticket_id, kind)

    monkeypatch.setattr(Assists, "_existing", too_early)
    with queue.db.one_transaction():
        again = assists.record("guidance", role="officer", ticket_id=ticket.id)
        other = assists.record("forms", role="officer", ticket_id=ticket.id)
    assert again.value == replace(first, created=False) and again.envelopes == []
    assert other.value.created
    assert len(checks) == 3 and rows(queue) == 2
