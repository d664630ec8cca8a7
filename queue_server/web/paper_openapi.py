"""The paper ticket routes and answers in the OpenAPI document (web/paper.py)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from queue_server.web.openapi_table import IDEMPOTENCY, READ, Route
from queue_server.web.paper import PaperTicketBody


class PaperRange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    service: str
    last: int
    last_number: str


class PaperRanges(BaseModel):
    """The paper numbers printed so far (``xephang paper print``)."""

    model_config = ConfigDict(extra="forbid")

    marker: str
    ranges: list[PaperRange]


PAPER_ANSWERS: tuple[type[BaseModel], ...] = (PaperRange, PaperRanges)

# fmt: off
PAPER_ROUTES: tuple[Route, ...] = (
    Route("post", "/tickets/paper", "enter_paper_ticket",
          "Enter a paper ticket served during an outage, with its number and times",
          {201: ("Ticket", "The ticket as entered (channel paper); never announced.")},
          roles="helpdesk, officer (for its own counter), admin", body=PaperTicketBody,
          params=(IDEMPOTENCY,),
          notes={403: "The role may not do this, or an officer entering for another counter.",
                 404: "Unknown service, counter or priority category.",
                 409: "This paper number was already entered for its day (nothing changed), "
                      "or a request with the same Idempotency-Key is still running.",
                 422: "A number never printed or not of this service, a time in the future, "
                      "out of order or too old, or a call/end missing for the outcome."}),
    Route("get", "/tickets/paper/ranges", "paper_ranges",
          "The last paper number printed per service",
          {200: ("PaperRanges", "Services with paper tickets printed.")},
          roles="helpdesk, officer, admin", errors=READ),
)
# fmt: on
