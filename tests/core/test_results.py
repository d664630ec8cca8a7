"""Result slips in the core: working-day dates, issue for a served ticket only, a secret
code that no event carries, postponing (late), collecting with a "receive results"
ticket once, and bad input that changes nothing. SQLite here, one test on PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from queue_server.core.bootstrap import open_queue
from queue_server.core.catalogue import sync_catalogue
from queue_server.core.clock import FrozenClock
from queue_server.core.db import Database
from queue_server.core.errors import InvalidState, NotAllowed, NotFound, Rejected
from queue_server.core.models import Ticket
from queue_server.core.operations import Queue
from queue_server.core.result_config import ResultsConfig
from queue_server.core.results import (
    CODE_ALPHABET,
    CODE_LENGTH,
    ResultRules,
    ResultSlips,
    format_code,
    normalize_code,
)
from queue_server.core.schema import upgrade
from queue_server.core.slip_tables import ResultSlip
from queue_server.settings import Settings

MONDAY = date(2026, 11, 23)  # the clock fixture's day


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """SQLite only in this module (one test below runs on PostgreSQL)."""
    return f"sqlite:///{tmp_path / 'queue.db'}"


@pytest.fixture
def slips(queue: Queue, settings: Settings) -> ResultSlips:
    return ResultSlips(queue, ResultRules.from_settings(settings))


def served(queue: Queue, service: str = "HT", counter: int = 2) -> int:
    """A ticket issued, called at ``counter`` and finished; its id."""
    ticket = queue.issue(service).value
    queue.call_ticket(counter, ticket.id, actor="t")
    queue.finish(counter, actor="t")
    return ticket.id


def slip_rows(queue: Queue) -> list[Any]:
    with queue.db.read() as conn:
        return list(conn.execute(select(ResultSlip).order_by(ResultSlip.id)))


# ------------------------------------------------------------------ working days
def test_working_days_skip_weekends_and_holidays() -> None:
    config = ResultsConfig(holidays=(date(2026, 11, 25),))
    assert config.add_working_days(MONDAY, 0) == MONDAY
    assert config.add_working_days(MONDAY, 1) == date(2026, 11, 24)
    assert config.add_working_days(MONDAY, 2) == date(2026, 11, 26)  # Wednesday is off
    assert config.add_working_days(MONDAY, 4) == date(2026, 11, 30)  # over the weekend
    saturday = date(2026, 11, 28)
    assert config.add_working_days(saturday, 0) == date(2026, 11, 30)
    assert config.add_working_days(saturday, 1) == date(2026, 12, 1)
    assert not config.is_working_day(saturday)


def test_the_days_come_from_the_service_else_the_default(settings: Settings) -> None:
    rules = ResultRules.from_settings(settings)
    assert rules.results_service == "NKQ"
    assert rules.default_ready_on("DD", MONDAY) == date(2026, 12, 7)  # 10 working days
    assert rules.default_ready_on("HD", MONDAY) == date(2026, 11, 26)  # default 3


def test_codes_are_unambiguous_and_typed_in_any_form() -> None:
    assert not set(CODE_ALPHABET) & set("0O1IL2Z5S8B")
    assert normalize_code(" acd34-efh79 ") == "ACD34EFH79"
    assert format_code("ACD34EFH79") == "ACD34-EFH79"
    for bad in ("ACD34EFH7", "ACD34EFH790", "ACD34EFH7O", ""):
        assert normalize_code(bad) is None


# ------------------------------------------------------------------------ issue
def test_a_slip_for_a_served_ticket_with_a_secret_code(queue: Queue, slips: ResultSlips) -> None:
    ticket_id = served(queue, "HT", 2)
    outcome = slips.issue(ticket_id, counter=2)
    slip = outcome.value
    assert slip.ready_on == slip.promised_on == date(2026, 11, 26)  # HT: 3 working days
    assert len(slip.code) == CODE_LENGTH and set(slip.code) <= set(CODE_ALPHABET)
    assert (slip.service, slip.counter, slip.ticket_id) == ("HT", 2, ticket_id)
    with queue.db.read() as conn:
        track = conn.execute(select(Ticket.track_code).where(Ticket.id == ticket_id)).scalar()
    assert slip.code != track
    (envelope,) = outcome.envelopes
    assert envelope.name == "result_slip_issued"
    assert envelope.payload["ready_on"] == "2026-11-26" and envelope.payload["counter"] == 2
    text = json.dumps([envelope.payload, envelope.private])
    assert slip.code not in text and slip.display_code not in text
    assert slips.find(slip.display_code.lower()) == slip
    assert slips.for_ticket(ticket_id) == slip
    # Codes differ from slip to slip.
    other = slips.issue(served(queue, "CT", 3), counter=3, ready_on=MONDAY).value
    assert other.code != slip.code and other.ready_on == MONDAY


def test_bad_issues_are_refused_and_change_nothing(queue: Queue, slips: ResultSlips) -> None:
    waiting = queue.issue("HT").value.id
    done = served(queue, "HT", 2)
    receiving = served(queue, "NKQ", 1)
    cases: list[tuple[type[Exception], int, int | None, date | None]] = [
        (NotFound, 99_999, 2, None),
        (InvalidState, waiting, 2, None),  # not finished
        (NotAllowed, done, 3, None),  # served at counter 2, not 3
        (Rejected, done, 2, MONDAY - timedelta(days=1)),  # in the past
        (Rejected, done, 2, date(2026, 11, 28)),  # a Saturday
        (Rejected, done, 2, MONDAY + timedelta(days=400)),
        (Rejected, receiving, 1, None),  # a "receive results" ticket
    ]
    for error, ticket_id, counter, when in cases:
        with pytest.raises(error):
            slips.issue(ticket_id, counter=counter, ready_on=when)
    assert slip_rows(queue) == []
    slips.issue(done, counter=None)  # the admin: any counter
    with pytest.raises(InvalidState):  # one slip per ticket
        slips.issue(done, counter=2)
    assert len(slip_rows(queue)) == 1


# --------------------------------------------------------------- postpone, collect
def test_postpone_then_collect_on_the_new_date(
    queue: Queue, slips: ResultSlips, clock: FrozenClock
) -> None:
    slip = slips.issue(served(queue), counter=2).value
    for bad_date, reason, error in (
        (date(2026, 11, 26), "verification", Rejected),  # not later than now promised
        (date(2026, 11, 27), "nonsense", NotFound),
        (date(2026, 11, 29), "verification", Rejected),  # a Sunday
    ):
        with pytest.raises(error):
            slips.postpone(slip.code, bad_date, reason)
    with pytest.raises(NotFound):
        slips.postpone("ACD34EFH79", date(2026, 11, 27), "verification")
    assert slips.find(slip.code) == slip  # nothing changed
    outcome = slips.postpone(slip.code, date(2026, 11, 30), "other_agency")
    moved = outcome.value
    assert (moved.promised_on, moved.ready_on) == (date(2026, 11, 26), date(2026, 11, 30))
    assert (moved.postponements, moved.postpone_reason) == (1, "other_agency")
    assert outcome.envelopes[0].payload["reason"] == "other_agency"
    assert slip.code not in json.dumps(outcome.envelopes[0].payload)

    clock.set(datetime(2026, 11, 27, 2, 0, tzinfo=UTC))  # before the new date: too early
    with pytest.raises(InvalidState, match="30/11/2026"):
        slips.collect(slip.code)
    clock.set(datetime(2026, 11, 30, 2, 0, tzinfo=UTC))
    collected = slips.collect(slip.display_code, "elderly", channel="kiosk", actor="t")
    ticket, after = collected.value.ticket, collected.value.slip
    assert ticket.service == "NKQ" and ticket.priority == "elderly"
    assert ticket.number.startswith("N") and ticket.track_code
    assert after.collect_ticket_id == ticket.id and after.collected_day == date(2026, 11, 30)
    names = [envelope.name for envelope in collected.envelopes]
    assert names == ["ticket_issued", "queue_changed", "result_slip_collected"]
    assert slip.code not in json.dumps([e.payload for e in collected.envelopes])

    with pytest.raises(InvalidState):  # already collected: no second ticket
        slips.collect(slip.code)
    with pytest.raises(InvalidState):
        slips.postpone(slip.code, date(2026, 12, 4), "other")
    with queue.db.read() as conn:
        receiving = conn.execute(
            select(func.count()).select_from(Ticket).where(Ticket.number.like("N%"))
        ).scalar()
    assert receiving == 1


def test_collect_with_a_bad_code_or_no_results_service(queue: Queue, slips: ResultSlips) -> None:
    with pytest.raises(NotFound):
        slips.collect("ACD34EFH79")
    with pytest.raises(NotFound):
        slips.collect("not a code")
    slip = slips.issue(served(queue), counter=2, ready_on=MONDAY).value
    with pytest.raises(Rejected):
        ResultSlips(queue, ResultRules()).collect(slip.code)
    with pytest.raises(NotFound):  # an unknown priority: no ticket, slip still open
        slips.collect(slip.code, "nobody")
    assert slips.find(slip.code).collect_ticket_id is None


@pytest.mark.postgres
def test_issue_postpone_collect_on_postgresql(
    settings: Settings, pg_url: str, clock: FrozenClock
) -> None:
    database = Database(pg_url)
    upgrade(database)
    with database.write() as conn:
        sync_catalogue(conn, settings)
    queue = open_queue(settings, clock=clock, migrate=False, sync=False, db=database)
    try:
        slips = ResultSlips(queue, ResultRules.from_settings(settings))
        slip = slips.issue(served(queue, "CT", 3), counter=3).value
        assert slip.ready_on == date(2026, 11, 24)  # CT: one working day
        slips.postpone(slip.code, date(2026, 11, 25), "overload")
        clock.set(datetime(2026, 11, 25, 2, 0, tzinfo=UTC))
        collected = slips.collect(slip.code).value
        assert collected.slip.collected_day == date(2026, 11, 25)
        with pytest.raises(InvalidState):
            slips.collect(slip.code)
    finally:
        database.dispose()
