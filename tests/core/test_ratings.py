"""Satisfaction ratings in the core, on SQLite and PostgreSQL: once, only done, in time."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import select

from queue_server.auth.users import add_user
from queue_server.core.clock import FrozenClock
from queue_server.core.errors import InvalidState, NotFound, Rejected
from queue_server.core.models import Rating
from queue_server.core.operations import Queue
from queue_server.core.rating_config import RatingsConfig
from queue_server.core.ratings import Ratings, TicketRated
from queue_server.i18n import use_language


@pytest.fixture
def ratings(queue: Queue) -> Ratings:
    return Ratings(queue, RatingsConfig())


def served(queue: Queue, counter: int = 2, service: str = "HT", officer: int | None = None) -> Any:
    """Issue a ticket, call it to ``counter`` and finish it; returns the ticket."""
    ticket = queue.issue(service).value
    queue.call_ticket(counter, ticket.id, officer_id=officer)
    queue.finish(counter)
    return queue.ticket(ticket.id)


def stored(queue: Queue) -> list[Any]:
    with queue.db.read() as conn:
        return list(conn.execute(select(Rating).order_by(Rating.id)))


def test_the_tablet_rates_the_ticket_just_finished_once(queue: Queue, ratings: Ratings) -> None:
    officer = add_user(queue.db, "lan", "officer", "mat-khau-123", display_name="Lan")
    ticket = served(queue, officer=officer)
    pending = ratings.pending_at_counter(2)
    assert pending is not None and (pending.ticket_id, pending.number) == (ticket.id, "B001")
    assert (pending.ask_until - pending.finished_at).total_seconds() == 30

    outcome = ratings.rate_at_counter(2, ticket.id, 1, ["attitude", "long_wait", "long_wait"])
    assert outcome.value.ticket_id == ticket.id and outcome.value.channel == "counter"
    (event,) = outcome.events
    assert isinstance(event, TicketRated)
    assert event.payload() == {
        "ticket_id": ticket.id,
        "counter": 2,
        "channel": "counter",
        "at": event.at.isoformat(),
    }
    (row,) = stored(queue)
    counter_2 = queue.catalogue.counters[2].id
    assert (row.ticket_id, row.score, row.channel) == (ticket.id, 1, "counter")
    assert row.reasons == ["long_wait", "attitude"]  # configured order, no repeats
    assert (row.counter_id, row.officer_id, row.day) == (counter_2, officer, queue.today())
    assert row.service_id == queue.catalogue.services["HT"].id
    assert ratings.pending_at_counter(2) is None

    with use_language("vi"), pytest.raises(InvalidState) as second:
        ratings.rate_at_counter(2, ticket.id, 3)
    assert second.value.message == "Phiếu B001 đã được đánh giá. Xin cảm ơn quý vị."
    with pytest.raises(InvalidState):
        ratings.rate_by_track_code(ticket.track_code, 3)
    assert len(stored(queue)) == 1
    assert ratings.track_state(ticket.track_code) == "rated"


def test_only_a_served_ticket_can_be_rated(queue: Queue, ratings: Ratings) -> None:
    waiting = queue.issue("HT").value
    assert ratings.track_state(waiting.track_code) == "not_yet"
    with pytest.raises(InvalidState):
        ratings.rate_by_track_code(waiting.track_code, 3)
    queue.call_ticket(2, waiting.id)
    with pytest.raises(InvalidState):
        ratings.rate_at_counter(2, waiting.id, 3)
    queue.no_show(2)
    assert ratings.track_state(waiting.track_code) == "closed"
    with pytest.raises(InvalidState):
        ratings.rate_by_track_code(waiting.track_code, 2)
    assert ratings.pending_at_counter(2) is None
    with pytest.raises(NotFound):
        ratings.rate_by_track_code("no-such-code", 3)
    with pytest.raises(NotFound):
        ratings.rate_at_counter(77, waiting.id, 3)
    assert stored(queue) == []


def test_the_tablet_rates_only_the_last_ticket_of_its_counter(
    queue: Queue, ratings: Ratings
) -> None:
    first = served(queue)
    other_counter = served(queue, counter=3, service="CT")
    second = served(queue)
    for counter, ticket in ((2, first), (2, other_counter), (3, second)):
        with pytest.raises(InvalidState):
            ratings.rate_at_counter(counter, ticket.id, 3)
    assert ratings.rate_at_counter(2, second.id, 3).value.number == "B002"
    # The earlier citizen can still rate from the tracking page.
    assert ratings.rate_by_track_code(first.track_code, 2).value.channel == "track"
    assert [(r.ticket_id, r.channel) for r in stored(queue)] == [
        (second.id, "counter"),
        (first.id, "track"),
    ]


def test_call_next_finishing_the_current_ticket_opens_its_rating(
    queue: Queue, ratings: Ratings
) -> None:
    first = queue.issue("HT").value
    queue.issue("HT")
    queue.call_next(2)
    queue.call_next(2)  # finishes the first, calls the second
    pending = ratings.pending_at_counter(2)
    assert pending is not None and pending.ticket_id == first.id


def test_windows(queue: Queue, ratings: Ratings, clock: FrozenClock) -> None:
    ticket = served(queue)
    clock.advance(seconds=601)
    assert ratings.pending_at_counter(2) is None
    with use_language("vi"), pytest.raises(InvalidState) as late:
        ratings.rate_at_counter(2, ticket.id, 3)
    assert late.value.message == "Phiếu B001 không còn được đánh giá tại quầy này."
    clock.advance(days=7)
    assert ratings.track_state(ticket.track_code) == "open"
    clock.advance(days=1)
    assert ratings.track_state(ticket.track_code) == "closed"
    with pytest.raises(InvalidState):
        ratings.rate_by_track_code(ticket.track_code, 3)


def test_scores_and_reasons_are_checked(queue: Queue, ratings: Ratings) -> None:
    ticket = served(queue)
    for score, reasons in ((4, ()), (0, ()), (3, ("long_wait",)), (1, ("bribe",))):
        with pytest.raises(Rejected):
            ratings.rate_at_counter(2, ticket.id, score, reasons)
    assert stored(queue) == []
    assert ratings.rate_at_counter(2, ticket.id, 1).value.ticket_id == ticket.id
    assert stored(queue)[0].reasons == []


def test_two_ratings_at_once_store_one(queue: Queue, ratings: Ratings) -> None:
    ticket = served(queue)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def rate(channel: str) -> None:
        barrier.wait()
        try:
            if channel == "counter":
                ratings.rate_at_counter(2, ticket.id, 3)
            else:
                ratings.rate_by_track_code(ticket.track_code, 1)
            results.append("stored")
        except InvalidState:
            results.append("refused")

    threads = [threading.Thread(target=rate, args=(c,)) for c in ("counter", "track")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["refused", "stored"]
    assert len(stored(queue)) == 1


def test_an_officer_sees_only_counts_of_their_own_ratings(queue: Queue, ratings: Ratings) -> None:
    lan = add_user(queue.db, "lan", "officer", "mat-khau-123")
    minh = add_user(queue.db, "minh", "officer", "mat-khau-123")
    for score in (3, 3, 2, 1):
        ticket = served(queue, officer=lan)
        ratings.rate_at_counter(2, ticket.id, score, ["long_wait"] if score == 1 else [])
    ratings.rate_at_counter(3, served(queue, 3, "CT", officer=minh).id, 1)
    tally = ratings.officer_tally(lan)
    assert tally.to_dict() == {
        "count": 4,
        "very_satisfied": 2,
        "satisfied": 1,
        "not_satisfied": 1,
        "percent_satisfied": 75.0,
    }
    assert ratings.officer_tally(minh).percent_satisfied == 0.0
    assert ratings.officer_tally(lan, queue.today().replace(day=1)).count == 0
