"""The clock guard's part of the OpenAPI document (``queue_server/web/clock.py``)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from queue_server.web.clock import ConfirmBody
from queue_server.web.openapi_table import Route


class ClockSuspicion(BaseModel):
    kind: str = Field(description="behind or ahead")
    server_time: str
    reference: str
    by: str = ""


class ClockMark(BaseModel):
    at: str
    event_id: int
    by: str
    reason: str = Field(description="confirmed (by an admin) or seen (by the server)")


class ClockState(BaseModel):
    """The server's clock beside the latest committed time (docs/outages.md)."""

    server_time: str
    last_event_at: str | None
    last_event_source: str = Field(description="event, confirmed, seen or none")
    suspect: bool
    kind: str | None = Field(description="behind or ahead, while suspect")
    message: str | None
    detected: ClockSuspicion | None = Field(description="As stored by the process that found it")
    confirmed: ClockMark | None
    back_tolerance_s: int
    forward_days: int


ADMIN_ERRORS: tuple[int, ...] = (401, 403)
CLOCK_ANSWERS: tuple[type[BaseModel], ...] = (ClockState,)
NOTES: dict[int, str] = {403: "Admins only."}
_EXTRA: dict[str, Any] = {"roles": "admin", "notes": NOTES}

# fmt: off
CLOCK_ROUTES: tuple[Route, ...] = (
    Route("get", "/clock", "read_clock", "The server's clock beside the last recorded event",
          {200: ("ClockState", "suspect: true while issuing and calling are refused.")},
          errors=ADMIN_ERRORS, **_EXTRA),
    Route("post", "/clock/confirm", "confirm_clock",
          "Confirm the server's clock is right: issuing and calling resume",
          {200: ("ClockState", "Confirmed (audited, with the browser's time if sent).")},
          body=ConfirmBody, optional_body=True, errors=(400, 401, 403, 413, 415, 503),
          **_EXTRA),
)
# fmt: on
