"""Calls for assistance in the core: raised once per kiosk, taken by exactly one person,
closed by that person with a help record in the same transaction, cancelled by whoever
raised it; bad steps refused without a change. SQLite throughout, and PostgreSQL for
two accepts at once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from queue_server.core.assist_config import AssistsConfig, HelpKindConfig
from queue_server.core.assistance import AssistanceDesk
from queue_server.core.assistance_config import AssistanceConfig, ReasonConfig
from queue_server.core.assistance_table import AssistanceCall
from queue_server.core.assists import Assists
from queue_server.core.clock import FrozenClock
from queue_server.core.errors import InvalidState, NotAllowed, NotFound, Rejected
from queue_server.core.models import Assist
from queue_server.core.operations import Queue
from queue_server.core.outbox import read_after
from queue_server.i18n import use_language

KIOSK = "token:7"


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """SQLite only here; PostgreSQL has its own test below."""
    return f"sqlite:///{tmp_path / 'queue.db'}"


def desk_for(queue: Queue) -> AssistanceDesk:
    return AssistanceDesk(Assists(queue), AssistanceConfig())


@pytest.fixture
def desk(queue: Queue) -> AssistanceDesk:
    return desk_for(queue)


def count(queue: Queue, model: Any) -> int:
    with queue.db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(model)).scalar_one())


def test_a_kiosk_call_is_taken_and_closed_with_a_help_record(
    queue: Queue, desk: AssistanceDesk, clock: FrozenClock
) -> None:
    raised = desk.raise_call("kiosk", raised_by=KIOSK, kiosk="Kiosk sảnh")
    call = raised.value
    assert (call.origin, call.kiosk, call.counter, call.reason, call.status) == (
        "kiosk",
        "Kiosk sảnh",
        None,
        "general",
        "open",
    )
    (requested,) = raised.envelopes
    assert requested.name == "assistance_requested"
    assert requested.payload["call"]["id"] == call.id
    assert requested.payload["call"]["taken_by"] is None
    # Pressing the big button again: the same call, nothing new.
    again = desk.raise_call("kiosk", raised_by=KIOSK, kiosk="Kiosk sảnh")
    assert again.value.id == call.id and not again.value.created and again.envelopes == []

    clock.advance(seconds=40)
    taken = desk.accept(call.id, taker="user:3", role="volunteer", name="Lan")
    assert taken.value.status == "accepted"
    assert taken.envelopes[0].payload["call"]["taken_by"] == {"role": "volunteer", "name": "Lan"}
    with use_language("en"), pytest.raises(InvalidState, match="already taken by Lan"):
        desk.accept(call.id, taker="user:4", role="helpdesk", name="Minh")
    with pytest.raises(NotAllowed):
        desk.close(call.id, closer="user:4", role="helpdesk")

    closed = desk.close(call.id, closer="user:3", role="volunteer")
    assert closed.value.status == "closed" and closed.value.help_kind == "guidance"
    names = [e.name for e in closed.envelopes]
    assert names == ["assist_recorded", "assistance_closed"]
    assert closed.envelopes[1].seq == closed.envelopes[0].seq + 1
    with queue.db.read() as conn:
        record = conn.execute(select(Assist)).one()
        written = read_after(conn, requested.seq)
    assert (record.id, record.kind, record.role) == (
        closed.value.assist_id,
        "guidance",
        "volunteer",
    )
    assert [e.name for e in written][-2:] == names
    # The kiosk may call again once its call is over.
    assert desk.raise_call("kiosk", raised_by=KIOSK).value.id != call.id


def test_a_counter_call_closed_with_another_kind_and_a_cancelled_one(
    queue: Queue, desk: AssistanceDesk
) -> None:
    upset = desk.raise_call("counter", "upset", raised_by="user:9", counter=2).value
    assert upset.manager and upset.counter == 2 and upset.kiosk is None
    forms = desk.raise_call("counter", "forms", raised_by="user:9", counter=2).value
    assert forms.id != upset.id and not forms.manager
    # The same reason again while that call is open: the same call, nothing new.
    again = desk.raise_call("counter", "forms", raised_by="user:9", counter=2)
    assert again.value.id == forms.id and not again.value.created and again.envelopes == []
    assert [c.id for c in desk.calls()] == [upset.id, forms.id]
    desk.accept(upset.id, taker="user:1", role="manager", name="Hùng")
    closed = desk.close(
        upset.id, closer="user:1", role="manager", help_kind="other", category="elderly"
    ).value
    assert closed.help_kind == "other"
    with pytest.raises(NotAllowed):
        desk.cancel(forms.id, by="user:1")
    cancelled = desk.cancel(forms.id, by="user:9")
    assert cancelled.value.status == "cancelled"
    assert cancelled.envelopes[0].name == "assistance_cancelled"
    assert desk.calls() == []
    assert [c.id for c in desk.calls("closed")] == [upset.id]
    with queue.db.read() as conn:
        assert conn.execute(select(Assist.kind, Assist.priority_id)).one()[0] == "other"


def test_bad_steps_change_nothing(queue: Queue, desk: AssistanceDesk) -> None:
    config = AssistanceConfig(
        reasons=(
            ReasonConfig(code="general", name="Chung", help_kind="guidance"),
            ReasonConfig(code="old", name="Cũ", active=False),
        )
    )
    strict = AssistanceDesk(Assists(queue), config)
    call = desk.raise_call("kiosk", raised_by=KIOSK).value
    before = desk.snapshot()
    with use_language("en"):
        with pytest.raises(NotFound, match="Unknown reason for help: nap"):
            desk.raise_call("counter", "nap", raised_by="user:9", counter=1)
        with pytest.raises(Rejected, match="no longer offered: old"):
            strict.raise_call("counter", "old", raised_by="user:9", counter=1)
        with pytest.raises(NotFound, match="Unknown counter: 99"):
            desk.raise_call("counter", "forms", raised_by="user:9", counter=99)
        with pytest.raises(Rejected):
            desk.raise_call("counter", "forms", raised_by="user:9")
        with pytest.raises(InvalidState, match="before closing"):
            desk.close(call.id, closer="user:3", role="volunteer")
        with pytest.raises(NotFound, match="Unknown call for help: 999"):
            desk.accept(999, taker="user:3", role="volunteer", name="Lan")
        desk.accept(call.id, taker="user:3", role="volunteer", name="Lan")
        taken = desk.snapshot()
        with pytest.raises(NotFound, match="Unknown kind of help: nap"):
            desk.close(call.id, closer="user:3", role="volunteer", help_kind="nap")
        assert desk.snapshot() == taken  # the close rolled back whole
        desk.close(call.id, closer="user:3", role="volunteer")
        with pytest.raises(InvalidState, match="already over"):
            desk.close(call.id, closer="user:3", role="volunteer")
        with pytest.raises(InvalidState, match="already over"):
            desk.cancel(call.id, by=KIOSK)
        with pytest.raises(InvalidState, match="already over"):
            desk.accept(call.id, taker="user:4", role="helpdesk", name="Minh")
    assert before["seq"] < taken["seq"]
    assert count(queue, Assist) == 1 and count(queue, AssistanceCall) == 1


@pytest.mark.postgres
def test_on_postgresql_two_accepts_at_once_one_wins_and_one_kiosk_call(
    pg_queue: Queue,
) -> None:
    desk = desk_for(pg_queue)
    start = threading.Barrier(4)
    raised: list[Any] = []

    def press() -> None:
        start.wait(timeout=10)
        raised.append(desk.raise_call("kiosk", raised_by=KIOSK))

    run_together([press] * 4)
    assert len({r.value.id for r in raised}) == 1 and sum(r.value.created for r in raised) == 1
    call_id = raised[0].value.id
    results: list[str] = []
    helpers = [("user:3", "Lan"), ("user:4", "Minh")]

    def accept(helper: tuple[str, str]) -> None:
        start.wait(timeout=10)
        try:
            desk.accept(call_id, taker=helper[0], role="volunteer", name=helper[1])
            results.append("won")
        except InvalidState:
            results.append("taken")

    run_together([lambda h=h: accept(h) for h in helpers * 2])
    assert sorted(results) == ["taken", "taken", "taken", "won"]
    assert desk.get(call_id).status == "accepted"
    with pg_queue.db.read() as conn:
        names = [e.name for e in read_after(conn, 0)]
    assert names.count("assistance_accepted") == 1 and names.count("assistance_requested") == 1


def run_together(work: list[Any]) -> None:
    threads = [threading.Thread(target=job) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)


def test_times_are_utc_and_days_local(
    queue: Queue, desk: AssistanceDesk, clock: FrozenClock
) -> None:
    clock.set(datetime(2026, 11, 23, 17, 30, tzinfo=UTC))  # 00:30 Tuesday in Hanoi
    call = desk.raise_call("kiosk", raised_by=KIOSK).value
    with queue.db.read() as conn:
        day = conn.execute(select(AssistanceCall.day)).scalar_one()
    assert day.isoformat() == "2026-11-24" and call.raised_at.tzinfo is not None


def test_a_reason_whose_kind_is_not_recorded_closes_as_other(queue: Queue) -> None:
    kinds = AssistsConfig(kinds=(HelpKindConfig(code="other", name="Khác"),))
    desk = AssistanceDesk(Assists(queue, kinds), AssistanceConfig())
    call = desk.raise_call("counter", "interpreter", raised_by="user:9", counter=1).value
    desk.accept(call.id, taker="user:3", role="volunteer", name="Lan")
    assert desk.close(call.id, closer="user:3", role="volunteer").value.help_kind == "other"
