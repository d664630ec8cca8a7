"""Citizens' feedback in the core: recorded from the help desk, the tracking page and a
"not satisfied" rating; forwarded and answered once; overdue after the configured
working days; events without text or phone; phone numbers purged after the answer."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from queue_server.core.audit import audit_entries
from queue_server.core.bootstrap import open_queue
from queue_server.core.catalogue import sync_catalogue
from queue_server.core.clock import FrozenClock
from queue_server.core.contacts import PURGE_ACTION, purge_contacts
from queue_server.core.db import Database
from queue_server.core.errors import InvalidState, NotFound, Rejected
from queue_server.core.feedback import Feedbacks, Submission, TooManyFeedback
from queue_server.core.feedback_config import FeedbackConfig
from queue_server.core.feedback_queries import FeedbackFilter, list_feedback
from queue_server.core.models import Feedback
from queue_server.core.operations import Queue
from queue_server.core.ratings import Ratings
from queue_server.core.schema import upgrade
from queue_server.i18n import use_language
from queue_server.settings import Settings

MONDAY = date(2026, 11, 23)
TEXT = "Chờ quá lâu ở quầy Hộ tịch, đề nghị bố trí thêm người."


def open_on(url: str, settings: Settings, clock: FrozenClock) -> Queue:
    database = Database(url)
    upgrade(database)
    with database.write() as conn:
        sync_catalogue(conn, settings)
    return open_queue(settings, clock=clock, migrate=False, sync=False, db=database)


@pytest.fixture
def lite(settings: Settings, tmp_path: Path, clock: FrozenClock) -> Iterator[Queue]:
    """These tests run on SQLite; one below runs on PostgreSQL."""
    queue = open_on(f"sqlite:///{tmp_path / 'queue.db'}", settings, clock)
    yield queue
    queue.db.dispose()


def rows(queue: Queue) -> int:
    with queue.db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(Feedback)).scalar_one())


def listed(queue: Queue, **chosen: object) -> list[dict]:
    return list_feedback(queue, FeedbackFilter(MONDAY, MONDAY + timedelta(days=40), **chosen))  # type: ignore[arg-type]


def served(queue: Queue) -> tuple[int, str]:
    """A ticket served at counter 2: its id and tracking code."""
    issued = queue.issue("HT").value
    queue.call_ticket(2, issued.id)
    queue.finish(2)
    return issued.id, issued.track_code


def test_help_desk_records_forwards_and_answers_without_text_in_events(
    lite: Queue, clock: FrozenClock
) -> None:
    feedback = Feedbacks(lite)
    said = Submission("complaint", f"  {TEXT}\n", phone="0912 345 678", consent=True)
    recorded = feedback.record(said, actor="user:hd", service="HT", counter=1)
    (event,) = recorded.envelopes
    assert event.name == "feedback_changed"
    assert set(event.payload) == {"feedback_id", "kind", "channel", "status", "at"}
    (record,) = listed(lite)
    assert (record["text"], record["channel"], record["service"], record["counter"]) == (
        TEXT,
        "helpdesk",
        "HT",
        1,
    )
    # 15 working days (Monday to Friday) after Monday 23 November: Monday 14 December.
    assert record["due_day"] == "2026-12-14" and record["status"] == "received"
    assert record["has_phone"] and "phone" not in record
    assert listed(lite, status="received")[0]["id"] == recorded.value
    forwarded = feedback.forward(recorded.value, actor="user:boss", unit="Phòng Văn hóa - Xã hội")
    assert forwarded.envelopes[0].payload["status"] == "forwarded"
    clock.set(datetime(2026, 11, 25, 3, 0, tzinfo=UTC))
    answered = feedback.answer(recorded.value, "Đã bố trí thêm 1 công chức.", actor="user:boss")
    assert "Đã bố trí" not in str(answered.envelopes[0].payload)
    (record,) = list_feedback(
        lite, FeedbackFilter(MONDAY, MONDAY, status="answered"), with_phone=True
    )
    assert record["forwarded_to"] == "Phòng Văn hóa - Xã hội"
    assert (
        record["answer"] == "Đã bố trí thêm 1 công chức." and record["answered_by"] == "user:boss"
    )
    assert record["phone"] == "0912345678" and not record["overdue"]
    with use_language("en"), pytest.raises(InvalidState, match="already been answered"):
        feedback.answer(recorded.value, "Lần hai", actor="user:boss")
    with pytest.raises(InvalidState):
        feedback.forward(recorded.value, actor="user:boss", unit="Khác")


def test_bad_input_changes_nothing(lite: Queue) -> None:
    feedback = Feedbacks(lite, FeedbackConfig(max_chars=60))
    with use_language("en"):
        for said, message in [
            (Submission("feedback", "   \n "), "text is empty"),
            (Submission("feedback", "x" * 61), "at most 60 characters"),
            (Submission("feedback", "bad \u202e text"), "not allowed"),
            (Submission("feedback", TEXT[:50], phone="0912345678"), "consent"),
            (Submission("feedback", TEXT[:50], phone="12345", consent=True), "phone number"),
        ]:
            with pytest.raises(Rejected, match=message):
                feedback.record(said, actor="user:hd")
        with pytest.raises(NotFound, match="kind of feedback"):
            feedback.record(Submission("praise", "Tốt"), actor="user:hd")
        with pytest.raises(NotFound, match="Unknown service"):
            feedback.record(Submission("feedback", "Tốt"), actor="user:hd", service="XX")
        with pytest.raises(NotFound, match="Unknown feedback: 99"):
            feedback.answer(99, "Trả lời", actor="user:boss")
        with pytest.raises(Rejected, match="not both"):
            feedback.forward(1, actor="user:boss")
        with pytest.raises(NotFound, match="tracking code"):
            feedback.record_from_ticket("nope", Submission("feedback", "Tốt"))
        with pytest.raises(Rejected):
            list_feedback(lite, FeedbackFilter(MONDAY, MONDAY, status="lost"))
    assert rows(lite) == 0


def test_tracking_page_feedback_is_limited_per_ticket(lite: Queue) -> None:
    feedback = Feedbacks(lite, FeedbackConfig(per_ticket=2))
    ticket_id, code = served(lite)
    for _ in range(2):
        feedback.record_from_ticket(code, Submission("suggestion", "Nên có thêm ghế chờ."))
    with pytest.raises(TooManyFeedback):
        feedback.record_from_ticket(code, Submission("suggestion", "Lần ba"))
    records = listed(lite, channel="track")
    assert len(records) == 2 and records[0]["ticket_id"] == ticket_id
    assert (records[0]["service"], records[0]["counter"], records[0]["recorded_by"]) == (
        "HT",
        2,
        "citizen",
    )


def test_a_not_satisfied_comment_becomes_feedback_linked_to_the_rating(lite: Queue) -> None:
    ratings = Ratings(lite)
    _, code = served(lite)
    with use_language("en"), pytest.raises(Rejected, match="only with 'not satisfied'"):
        ratings.rate_by_track_code(code, 3, comment="Rất tốt")
    assert rows(lite) == 0
    outcome = ratings.rate_by_track_code(code, 1, ["long_wait"], comment="Chờ  lâu quá")
    assert [e.name for e in outcome.envelopes] == ["ticket_rated", "feedback_changed"]
    (record,) = listed(lite)
    assert (record["channel"], record["kind"], record["text"]) == (
        "rating",
        "feedback",
        "Chờ  lâu quá",
    )
    assert record["rating_id"] is not None and record["counter"] == 2
    # An empty box adds nothing.
    _, other = served(lite)
    assert len(ratings.rate_by_track_code(other, 1, comment="  ").envelopes) == 1


def test_overdue_after_the_working_days(lite: Queue, clock: FrozenClock) -> None:
    feedback = Feedbacks(lite, FeedbackConfig(due_days=2, working_weekdays=(0, 1, 2, 3, 4)))
    clock.set(datetime(2026, 11, 27, 2, 0, tzinfo=UTC))  # a Friday: due on Tuesday
    first = feedback.record(Submission("feedback", "Một"), actor="user:hd").value
    assert listed(lite)[0]["due_day"] == "2026-12-01"
    clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    assert listed(lite, overdue=True) == []
    clock.set(datetime(2026, 12, 2, 2, 0, tzinfo=UTC))
    assert [r["id"] for r in listed(lite, overdue=True)] == [first]
    feedback.answer(first, "Đã trả lời", actor="user:boss")
    assert listed(lite, overdue=True) == []


def test_phone_numbers_are_purged_after_the_answer_with_an_audit_entry(
    lite: Queue, clock: FrozenClock
) -> None:
    feedback = Feedbacks(lite)
    said = Submission("feedback", "Xin gọi lại", phone="0912345678", consent=True)
    answered = feedback.record(said, actor="user:hd").value
    waiting = feedback.record(said, actor="user:hd").value
    feedback.answer(answered, "Đã gọi lại", actor="user:boss")
    clock.advance(days=10)
    assert purge_contacts(lite.db, clock.now(), 30, "test", feedback_days=10).feedback == 0
    clock.advance(seconds=1)
    assert purge_contacts(lite.db, clock.now(), 30, "test", feedback_days=10).feedback == 1
    phones = {
        r["id"]: r["phone"]
        for r in list_feedback(lite, FeedbackFilter(MONDAY, MONDAY), with_phone=True)
    }
    assert phones == {answered: None, waiting: "0912345678"}
    entry = audit_entries(lite.db, PURGE_ACTION)[-1]
    assert entry.detail["feedback_phones"] == 1


@pytest.mark.postgres
def test_on_postgresql_a_second_answer_is_refused(
    settings: Settings, pg_url: str, clock: FrozenClock
) -> None:
    queue = open_on(pg_url, settings, clock)
    try:
        feedback = Feedbacks(queue)
        new = feedback.record(Submission("feedback", TEXT), actor="user:hd").value
        feedback.answer(new, "Một", actor="user:a")
        with pytest.raises(InvalidState):
            feedback.answer(new, "Hai", actor="user:b")
        (record,) = list_feedback(queue, FeedbackFilter(MONDAY, MONDAY))
        assert (record["answer"], record["answered_by"]) == ("Một", "user:a")
    finally:
        queue.db.dispose()
