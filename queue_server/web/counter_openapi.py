"""The OpenAPI description of the counter routes (``queue_server/web/api/counters.py``):
calling, serving, transferring and pausing at a counter, and who it would call next."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from queue_server.web.bodies import CallBody, TransferBody
from queue_server.web.openapi_table import IDEMPOTENCY, LOOKUP, NUMBER, Route
from queue_server.web.ticket_openapi import Ticket

COUNTER = "officer (own counter), admin"


class Counter(BaseModel):
    number: int
    name: str
    status: Literal["open", "paused", "closed"]
    services: list[str] = []
    current: Ticket | None


class CounterResult(BaseModel):
    counter: Counter


class CounterWaiting(BaseModel):
    counter: int
    tickets: list[Ticket]


def _action(
    action: str, summary: str, result: str = "TicketResult", body: type[BaseModel] | None = None
) -> Route:
    return Route(
        "post", f"/counters/{{number}}/{action}", f"counter_{action.replace('-', '_')}", summary,
        {200: (result, "Done.")}, roles=COUNTER, body=body, params=(NUMBER, IDEMPOTENCY),
    )  # fmt: skip


COUNTER_ANSWERS: tuple[type[BaseModel], ...] = (
    CounterResult,
    CounterWaiting,
)


# fmt: off
COUNTER_ROUTES: tuple[Route, ...] = (
    Route("post", "/counters/{number}/next", "counter_next",
          "Call the next citizen (finishes the current one)",
          {200: ("TicketResult", "The called ticket."),
           204: (None, "Nobody is waiting for this counter.")},
          roles=COUNTER, params=(NUMBER, IDEMPOTENCY)),
    _action("call", "Call a specific ticket", body=CallBody),
    _action("recall", "Call the current ticket again"),
    _action("no-show", "The called citizen did not come"),
    _action("finish", "The citizen was served"),
    _action("serve", "The citizen arrived: start serving"),
    _action("transfer", "Send the current ticket to another service", body=TransferBody),
    _action("pause", "Pause the counter", "CounterResult"),
    _action("resume", "Resume the counter", "CounterResult"),
    Route("get", "/counters/{number}/waiting", "counter_waiting",
          "Who this counter would call, in policy order",
          {200: ("CounterWaiting", "Waiting tickets.")},
          roles="officer (own counter), helpdesk, admin", params=(NUMBER,), errors=LOOKUP),
)
# fmt: on
