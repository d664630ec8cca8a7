"""Satisfaction ratings over HTTP: the counter tablet's and the tracking page's API.

- ``GET  /api/v1/counters/<n>/rating``: the ticket the tablet may ask about now.
- ``POST /api/v1/counters/<n>/rating``: the tablet's rating (rating token of counter n).
- ``GET  /api/v1/track/<code>/rating``: whether the ticket can be rated (public).
- ``POST /api/v1/track/<code>/rating``: the citizen's rating from the tracking page
  (public: JSON only, rate-limited per address, once per ticket; refused to a request
  with staff credentials, so that nobody rates a service in the citizen's place).

No route lists ratings or returns a score: officers see only their aggregates
(``/officer/summary``), the chairman the reports.
"""

from __future__ import annotations

from typing import Annotated, Any

from flask import Blueprint, Flask, Response, g, jsonify, request, session
from pydantic import Field

from queue_server.auth.roles import Principal, Role
from queue_server.core.errors import NotFound
from queue_server.core.operations import Outcome
from queue_server.core.ratings import RatingReceipt, Ratings
from queue_server.core.text import Lines
from queue_server.i18n import _
from queue_server.web import idempotency
from queue_server.web.api.tickets import TRACK_CODE
from queue_server.web.bodies import MAX_ID, Body, Code, parse_body
from queue_server.web.errors import ApiError
from queue_server.web.ratelimit import Limiter
from queue_server.web.security import require
from queue_server.web.state import xephang

ratings_api = Blueprint("ratings_api", __name__, url_prefix="/api/v1")

Score = Annotated[int, Field(ge=1, le=3)]
Reasons = Annotated[list[Code], Field(max_length=12)]


class TrackRatingBody(Body):
    """A rating from the tracking page: 3 very satisfied, 2 satisfied, 1 not satisfied."""

    score: Score
    reasons: Reasons = Field(default_factory=list)
    comment: Annotated[Lines, Field(max_length=5000)] | None = Field(
        None, description="With 'not satisfied' only: stored as feedback linked to the rating."
    )


class CounterRatingBody(TrackRatingBody):
    """A rating from the counter's tablet, of the ticket it was asked about."""

    ticket_id: Annotated[int, Field(ge=1, le=MAX_ID)]


class RatingsState:
    """The ratings service and the tracking page's rate limit (``Runtime.ratings``)."""

    def __init__(self, service: Ratings, limiter: Limiter) -> None:
        self.service = service
        self.track_limiter = limiter


def ratings_state() -> RatingsState:
    return xephang().ratings


def _stored(outcome: Outcome[RatingReceipt]) -> Response:
    xephang().relay.publish(outcome.envelopes)
    response = jsonify(outcome.value.to_dict())
    response.status_code = 201
    return response


def _tablet(number: int) -> Principal:
    """The rating token of counter ``number`` (or an admin)."""
    principal: Principal = g.principal
    if number not in xephang().queue.catalogue.counters:
        raise NotFound(_("Unknown counter: {number}").format(number=number))
    if principal.role == Role.RATING and principal.counter != number:
        raise ApiError(
            403, _("This tablet belongs to counter {number}.").format(number=principal.counter)
        )
    return principal


@ratings_api.get("/counters/<int:number>/rating")
@require(Role.RATING)
def pending_rating(number: int) -> Response:
    """The ticket this counter's tablet may ask about now (``pending`` null if none)."""
    _tablet(number)
    return jsonify(counter_state(ratings_state().service, number))


def counter_state(service: Ratings, number: int) -> dict[str, Any]:
    """What the tablet of counter ``number`` needs after (re)connecting."""
    pending = service.pending_at_counter(number)
    return {
        "counter": number,
        "pending": pending.to_dict() if pending else None,
        "at": service.queue.clock.now().isoformat(),
    }


@ratings_api.post("/counters/<int:number>/rating")
@require(Role.RATING)
def rate_at_counter(number: int) -> Response:
    principal = _tablet(number)
    body = parse_body(CounterRatingBody)
    service = ratings_state().service

    def produce() -> Response:
        return _stored(
            service.rate_at_counter(number, body.ticket_id, body.score, body.reasons, body.comment)
        )

    return idempotency.run_once(
        service.queue.db, principal.scope, service.queue.clock.now(), produce
    )


def _track_code(code: str) -> str:
    if not TRACK_CODE.match(code):
        raise NotFound(_("No ticket has this tracking code."))
    return code


@ratings_api.get("/track/<track_code>/rating")
def track_rating(track_code: str) -> Response:
    """Public: ``open``, ``rated``, ``not_yet`` (not served yet) or ``closed``."""
    state = ratings_state().service.track_state(_track_code(track_code))
    return jsonify({"state": state})


@ratings_api.post("/track/<track_code>/rating")
def rate_from_tracking(track_code: str) -> Response:
    """Public: the citizen's own rating, once, from the page the ticket's QR code opens."""
    code = _track_code(track_code)
    if _staff_credentials():
        raise ApiError(
            403,
            _("Staff cannot rate a service: the citizen rates it from their own phone."),
        )
    if not request.is_json:  # a cross-site form cannot send JSON without asking first
        raise ApiError(415, _("Send the body as JSON."))
    state = ratings_state()
    wait = state.track_limiter.hit(request.remote_addr or "-")
    if wait:
        raise ApiError(
            429,
            _("Too many ratings from this device; try again in {seconds} s.").format(seconds=wait),
            headers={"Retry-After": str(wait)},
        )
    body = parse_body(TrackRatingBody)
    service = state.service
    return idempotency.run_once(
        service.queue.db,
        f"track:{code}",
        service.queue.clock.now(),
        lambda: _stored(service.rate_by_track_code(code, body.score, body.reasons, body.comment)),
    )


def _staff_credentials() -> bool:
    """The request carries an API token or a staff member's sign-in (any role)."""
    return "Authorization" in request.headers or session.get("user_id") is not None


def register_ratings_api(app: Flask) -> None:
    """Serve the ratings API on ``app``."""
    app.register_blueprint(ratings_api)
