"""The ratings API on SQLite and PostgreSQL: the tablet, the tracking page, errors, privacy."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from queue_server.core.envelope import Envelope
from queue_server.core.models import Rating
from queue_server.core.operations import Queue
from queue_server.relay import Relay
from queue_server.runtime import start_app
from queue_server.settings import Settings

from .conftest import Headers, TokenMaker, deactivate_counter, sign_in


def ratings(queue: Queue) -> list[Any]:
    with queue.db.read() as conn:
        return list(conn.execute(select(Rating).order_by(Rating.id)))


def serve_one(client: FlaskClient, officer: Headers, kiosk: Headers) -> dict[str, Any]:
    """Issue a ticket, call it at counter 2 and finish it; returns the issued ticket."""
    ticket = client.post("/api/v1/tickets", json={"service": "HT"}, headers=kiosk).get_json()
    assert client.post("/api/v1/counters/2/next", headers=officer).status_code == 200
    assert client.post("/api/v1/counters/2/finish", headers=officer).status_code == 200
    return ticket


def test_the_tablet_rates_what_the_officer_just_finished(
    app: Flask, client: FlaskClient, queue: Queue, token: TokenMaker, events: list[Envelope]
) -> None:
    tablet = token("rating", 2)
    officer_client, csrf = sign_in(app, "officer", counter=2)
    assert client.get("/api/v1/counters/2/rating", headers=tablet).get_json()["pending"] is None
    ticket = serve_one(officer_client, csrf, token("kiosk"))
    pending = client.get("/api/v1/counters/2/rating", headers=tablet).get_json()["pending"]
    assert (pending["ticket_id"], pending["number"], pending["counter"]) == (
        ticket["id"],
        "B001",
        2,
    )

    body = {"ticket_id": ticket["id"], "score": 1, "reasons": ["unclear_guidance"]}
    stored = client.post("/api/v1/counters/2/rating", json=body, headers=tablet)
    assert stored.status_code == 201
    assert stored.get_json() == {
        "ticket_id": ticket["id"],
        "number": "B001",
        "channel": "counter",
        "at": stored.get_json()["at"],
    }
    (row,) = ratings(queue)
    officer_id = officer_client.get("/api/v1/session").get_json()
    assert row.counter_id == queue.catalogue.counters[2].id
    assert row.officer_id is not None and officer_id["role"] == "officer"
    assert (row.score, row.reasons) == (1, ["unclear_guidance"])
    rated = [e for e in events if e.name == "ticket_rated"]
    assert [e.payload for e in rated] == [
        {
            "ticket_id": ticket["id"],
            "counter": 2,
            "channel": "counter",
            "at": rated[0].payload["at"],
        }
    ]

    again = client.post("/api/v1/counters/2/rating", json=body, headers=tablet)
    assert again.status_code == 409
    assert again.get_json() == {"error": "Phiếu B001 đã được đánh giá. Xin cảm ơn quý vị."}
    assert client.get("/api/v1/counters/2/rating", headers=tablet).get_json()["pending"] is None
    assert len(ratings(queue)) == 1


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"score": 3}, 400, "ticket_id"),
        ({"ticket_id": 1, "score": 5}, 400, "score"),
        ({"ticket_id": 1, "score": "3"}, 400, "score"),
        ({"ticket_id": 1, "score": 3, "note": "x"}, 400, "note"),
        ({"ticket_id": 1, "score": 3, "comment": "x"}, 422, None),
        ({"ticket_id": 1, "score": 1, "reasons": "long_wait"}, 400, "reasons"),
        ({"ticket_id": 1, "score": 1, "reasons": ["bribe"]}, 422, None),
        ({"ticket_id": 1, "score": 3, "reasons": ["long_wait"]}, 422, None),
        ({"ticket_id": 99999, "score": 3}, 404, None),
    ],
)
def test_bad_tablet_input_is_a_4xx_with_a_message(
    client: FlaskClient,
    queue: Queue,
    token: TokenMaker,
    body: dict[str, Any],
    status: int,
    field: str | None,
) -> None:
    serve_one(client, token("officer", 2), token("kiosk"))
    response = client.post("/api/v1/counters/2/rating", json=body, headers=token("rating", 2))
    assert response.status_code == status, response.get_json()
    assert response.get_json()["error"]
    assert response.get_json().get("field") == field
    assert ratings(queue) == []


def test_the_tablet_cannot_rate_an_older_ticket(client: FlaskClient, token: TokenMaker) -> None:
    officer, kiosk, tablet = token("officer", 2), token("kiosk"), token("rating", 2)
    first = serve_one(client, officer, kiosk)
    serve_one(client, officer, kiosk)
    late = client.post(
        "/api/v1/counters/2/rating", json={"ticket_id": first["id"], "score": 3}, headers=tablet
    )
    assert late.status_code == 409
    assert late.get_json() == {"error": "Phiếu B001 không còn được đánh giá tại quầy này."}
    not_json = client.post("/api/v1/counters/2/rating", data="{", headers=tablet)
    assert not_json.status_code == 400


def test_a_retried_tablet_post_acts_once(
    client: FlaskClient, queue: Queue, token: TokenMaker
) -> None:
    ticket = serve_one(client, token("officer", 2), token("kiosk"))
    tablet = token("rating", 2, **{"Idempotency-Key": "tap-1"})
    body = {"ticket_id": ticket["id"], "score": 3}
    first = client.post("/api/v1/counters/2/rating", json=body, headers=tablet)
    second = client.post("/api/v1/counters/2/rating", json=body, headers=tablet)
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.headers["Idempotent-Replayed"] == "true"
    assert len(ratings(queue)) == 1


def test_the_tracking_page_rates_once(client: FlaskClient, queue: Queue, token: TokenMaker) -> None:
    kiosk = token("kiosk")
    waiting = client.post("/api/v1/tickets", json={"service": "CT"}, headers=kiosk).get_json()
    path = f"/api/v1/track/{waiting['track_code']}/rating"
    assert client.get(path).get_json() == {"state": "not_yet"}
    early = client.post(path, json={"score": 3})
    assert early.status_code == 409
    assert early.get_json() == {"error": "Chỉ đánh giá được phiếu đã phục vụ xong."}

    ticket = serve_one(client, token("officer", 2), kiosk)
    path = f"/api/v1/track/{ticket['track_code']}/rating"
    assert client.get(path).get_json() == {"state": "open"}
    assert client.post(path, data='{"score": 3}').status_code == 415  # not sent as JSON
    stored = client.post(path, json={"score": 2})
    assert stored.status_code == 201 and stored.get_json()["channel"] == "track"
    assert client.get(path).get_json() == {"state": "rated"}
    assert client.post(path, json={"score": 1}).status_code == 409
    (row,) = ratings(queue)
    assert (row.score, row.channel, row.counter_id) == (2, "track", queue.catalogue.counters[2].id)

    for code in ("unknown-code", "bad code!", "x" * 40):
        missing = client.post(f"/api/v1/track/{code}/rating", json={"score": 3})
        assert missing.status_code == 404
        assert missing.get_json() == {"error": "Không có phiếu nào với mã tra cứu này."}
        assert client.get(f"/api/v1/track/{code}/rating").status_code == 404


def test_public_ratings_are_rate_limited(settings: Settings, queue: Queue) -> None:
    limited = settings.model_copy(
        update={"ratings": settings.ratings.model_copy(update={"track_rate_per_minute": 2})}
    )
    client = start_app(limited, queue=queue, relay=Relay(), testing=True).test_client()
    answers = [
        client.post("/api/v1/track/unknown-code/rating", json={"score": 3}) for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [404, 404, 429]
    assert int(answers[2].headers["Retry-After"]) >= 1
    assert "quá nhiều đánh giá" in answers[2].get_json()["error"]


def test_officers_see_only_their_own_counts(
    app: Flask, client: FlaskClient, queue: Queue, token: TokenMaker
) -> None:
    """Counts per score and % satisfied, and only from ``officer_min_count`` ratings."""
    officer, csrf = sign_in(app, "officer", counter=2)
    kiosk, tablet = token("kiosk"), token("rating", 2)
    for score in (3, 2, 3, 1, 3):
        ticket = serve_one(officer, csrf, kiosk)
        body = {"ticket_id": ticket["id"], "score": score}
        assert (
            client.post("/api/v1/counters/2/rating", json=body, headers=tablet).status_code == 201
        )
        summary = officer.get("/officer/summary").get_json()["ratings"]
        if summary["count"] < 5:
            assert set(summary) == {"count", "min_count"}
    assert summary == {
        "count": 5,
        "min_count": 5,
        "very_satisfied": 3,
        "satisfied": 1,
        "not_satisfied": 1,
        "percent_satisfied": 80.0,
    }
    other, _csrf = sign_in(app, "officer", counter=3)
    assert other.get("/officer/summary").get_json()["ratings"] == {"count": 0, "min_count": 5}
    # Nothing lists ratings for an officer: the tablet route refuses them.
    assert officer.get("/api/v1/counters/2/rating").status_code == 403


def test_a_ticket_of_a_counter_deactivated_since_is_still_rated_from_the_phone(
    client: FlaskClient, queue: Queue, token: TokenMaker, events: list[Envelope]
) -> None:
    """The admin closes counter 2 for good after it served a citizen; the citizen rates
    later from the tracking page: stored, with the counter the ticket was served at."""
    ticket = serve_one(client, token("officer", 2), token("kiosk"))
    counter_id = queue.catalogue.counters[2].id
    deactivate_counter(client, token("admin"), 2)

    rated = client.post(f"/api/v1/track/{ticket['track_code']}/rating", json={"score": 3})
    assert rated.status_code == 201, rated.get_json()
    (row,) = ratings(queue)
    assert (row.ticket_id, row.counter_id, row.channel) == (ticket["id"], counter_id, "track")
    assert [e.payload["channel"] for e in events if e.name == "ticket_rated"] == ["track"]


def test_staff_cannot_rate_by_tracking_code(
    app: Flask, client: FlaskClient, queue: Queue, token: TokenMaker
) -> None:
    """Whoever holds a staff credential (the officer whose service it was above all) is
    refused; the citizen's own phone, without credentials, then rates once."""
    ticket = serve_one(client, token("officer", 2), token("kiosk"))
    path = f"/api/v1/track/{ticket['track_code']}/rating"
    officer, officer_csrf = sign_in(app, "officer", counter=2)
    admin, admin_csrf = sign_in(app, "admin")
    for sender, headers in (
        (officer, officer_csrf),
        (admin, admin_csrf),
        (client, token("officer", 2)),
        (client, token("rating", 2)),
        (client, token("admin")),
    ):
        refused = sender.post(path, json={"score": 3}, headers=headers)
        assert refused.status_code == 403, refused.get_json()
        assert "người dân" in refused.get_json()["error"]
    assert ratings(queue) == []
    assert client.post(path, json={"score": 3}).status_code == 201
