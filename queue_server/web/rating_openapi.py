"""The OpenAPI description of the ratings routes (``queue_server/web/ratings.py``): the
counter's tablet and the ticket's tracking page."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from queue_server.web.openapi_table import (
    IDEMPOTENCY,
    LOOKUP,
    NUMBER,
    TRACK_CODE,
    Answer,
    Closed,
    Route,
)
from queue_server.web.ratings import CounterRatingBody, TrackRatingBody

TABLET = "rating (the tablet of this counter), admin"
STORED: dict[int, Answer] = {201: ("RatingReceipt", "Stored (the score is not echoed).")}


class PendingRating(BaseModel):
    ticket_id: int
    number: str
    service: str = ""
    service_name: str = ""
    counter: int
    finished_at: datetime
    ask_until: datetime
    open_until: datetime


class CounterRatingState(BaseModel):
    counter: int
    pending: PendingRating | None
    at: datetime


class RatingReceipt(Closed):
    ticket_id: int
    number: str
    channel: Literal["counter", "track"]
    at: datetime


class TrackRatingState(Closed):
    state: Literal["open", "rated", "not_yet", "closed"]


RATING_ANSWERS: tuple[type[BaseModel], ...] = (
    CounterRatingState,
    RatingReceipt,
    TrackRatingState,
)


# fmt: off
RATING_ROUTES: tuple[Route, ...] = (
    Route("get", "/counters/{number}/rating", "pending_rating",
          "The ticket awaiting a rating at this counter",
          {200: ("CounterRatingState",
                 "The ticket this counter's tablet may ask about now; null if none.")},
          roles=TABLET, params=(NUMBER,), errors=LOOKUP),
    Route("post", "/counters/{number}/rating", "rate_at_counter",
          "Rate the ticket just finished at this counter (the tablet)", STORED, roles=TABLET,
          body=CounterRatingBody, params=(NUMBER, IDEMPOTENCY),
          errors=(400, 401, 403, 404, 409, 413, 422)),
    Route("get", "/track/{track_code}/rating", "track_rating",
          "Whether a ticket can be rated from its tracking page",
          {200: ("TrackRatingState", "open, rated, not_yet or closed.")},
          params=(TRACK_CODE,), errors=(404,), public=True),
    Route("post", "/track/{track_code}/rating", "rate_from_tracking",
          "Rate a served ticket from its tracking page (once)", STORED, body=TrackRatingBody,
          params=(TRACK_CODE, IDEMPOTENCY), errors=(400, 404, 409, 413, 422, 403, 415, 429),
          notes={403: "Sent with staff credentials (an API token or a staff sign-in): only the "
                      "citizen rates.",
                 429: "Too many ratings from this address; see Retry-After."},
          public=True),
)
# fmt: on
