"""OpenAPI paths and schemas of the ratings routes (``queue_server.web.ratings``)."""

from __future__ import annotations

from typing import Any

from queue_server.web import openapi as oa
from queue_server.web.ratings import CounterRatingBody, TrackRatingBody

PENDING_DOC = "The ticket this counter's tablet may ask about now; null if none."


def _build() -> tuple[dict[str, Any], dict[str, Any]]:
    time, integer, string = oa.TIME, oa.INT, oa.STR
    schemas: dict[str, Any] = {
        "PendingRating": oa._obj(
            ["ticket_id", "number", "counter", "finished_at", "ask_until", "open_until"],
            {
                "ticket_id": integer,
                "number": string,
                "service": string,
                "service_name": string,
                "counter": integer,
                "finished_at": time,
                "ask_until": time,
                "open_until": time,
            },
        ),
        "CounterRatingState": oa._obj(
            ["counter", "pending", "at"],
            {"counter": integer, "pending": oa._nullable(oa._ref("PendingRating")), "at": time},
        ),
        "RatingReceipt": oa._obj(
            ["ticket_id", "number", "channel", "at"],
            {
                "ticket_id": integer,
                "number": string,
                "channel": {"type": "string", "enum": ["counter", "track"]},
                "at": time,
            },
            extra=False,
        ),
        "TrackRatingState": oa._obj(
            ["state"],
            {"state": {"type": "string", "enum": ["open", "rated", "not_yet", "closed"]}},
            extra=False,
        ),
    }
    code = {"name": "track_code", "in": "path", "required": True, "schema": string}
    stored = {201: oa._json(oa._ref("RatingReceipt"), "Stored (the score is not echoed).")}
    tablet = "rating (the tablet of this counter), admin"
    public_post = oa._operation(
        "Rate a served ticket from its tracking page (once)",
        "rate_from_tracking",
        stored,
        body=TrackRatingBody,
        params=[code, oa.IDEMPOTENCY],
        errors=(400, 404, 409, 413, 422),
        public=True,
    )
    public_post["responses"]["403"] = oa._json(
        oa._ref("Error"),
        "Sent with staff credentials (an API token or a staff sign-in): only the citizen rates.",
    )
    public_post["responses"]["415"] = oa._json(oa._ref("Error"), "The body must be JSON.")
    public_post["responses"]["429"] = oa._json(
        oa._ref("Error"), "Too many ratings from this address; see Retry-After."
    )
    paths: dict[str, Any] = {
        "/counters/{number}/rating": {
            "get": oa._operation(
                "The ticket awaiting a rating at this counter",
                "pending_rating",
                {200: oa._json(oa._ref("CounterRatingState"), PENDING_DOC)},
                roles=tablet,
                params=[oa.NUMBER],
                errors=(401, 403, 404),
            ),
            "post": oa._operation(
                "Rate the ticket just finished at this counter (the tablet)",
                "rate_at_counter",
                stored,
                roles=tablet,
                body=CounterRatingBody,
                params=[oa.NUMBER, oa.IDEMPOTENCY],
                errors=(400, 401, 403, 404, 409, 413, 422),
            ),
        },
        "/track/{track_code}/rating": {
            "get": oa._operation(
                "Whether a ticket can be rated from its tracking page",
                "track_rating",
                {200: oa._json(oa._ref("TrackRatingState"), "open, rated, not_yet or closed.")},
                params=[code],
                errors=(404,),
                public=True,
            ),
            "post": public_post,
        },
    }
    return paths, schemas


PATHS, SCHEMAS = _build()
