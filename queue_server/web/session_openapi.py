"""The OpenAPI description of what a screen or console loads first: ``/state`` (the
queue's snapshot, ``queue_server/web/api/catalogue.py``) and ``/session`` (who is asking,
and a signed-in officer's counter, ``queue_server/web/api/session.py``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from queue_server.auth.roles import Role
from queue_server.web.bodies import CounterChoiceBody
from queue_server.web.counter_openapi import Counter
from queue_server.web.openapi_table import READ, SOME_TIME, Route


class Call(BaseModel):
    ticket_id: int
    number: str
    service: str = ""
    counter: int | None
    counter_name: str | None = None
    recall: bool
    at: datetime


class ServiceWaiting(BaseModel):
    code: str
    name: str
    waiting: int


class State(BaseModel):
    day: date = SOME_TIME.date()
    at: datetime = SOME_TIME
    services: list[ServiceWaiting]
    counters: list[Counter]
    recent_calls: list[Call]
    seq: int


class Session(BaseModel):
    kind: Literal["token", "user"]
    name: str
    role: str = Field(json_schema_extra={"enum": [role.value for role in Role]})
    counter: int | None
    csrf_token: str = ""


SESSION_ANSWERS: tuple[type[BaseModel], ...] = (
    State,
    Session,
)


# fmt: off
SESSION_ROUTES: tuple[Route, ...] = (
    Route("get", "/state", "state", "Everything a screen needs, with the bus sequence number",
          {200: ("State", "The snapshot.")}, roles="any", errors=READ),
    Route("get", "/session", "session", "Who am I",
          {200: ("Session", "The token or signed-in user.")}, roles="any", errors=READ),
    Route("post", "/session/counter", "choose_counter",
          "A signed-in officer chooses a counter (409: another officer has it open;"
          " send take_over true to take it)",
          {200: ("Session", "The session with its counter.")},
          roles="officer or admin signed in with a session cookie", body=CounterChoiceBody,
          errors=(400, 401, 403, 404, 409, 413)),
)
# fmt: on
