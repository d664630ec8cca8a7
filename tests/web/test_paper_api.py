"""Paper tickets over HTTP: who may enter them (an officer only for its own counter),
a repeat is a 409 that changes nothing, bad input a clear 4xx, the hall display gets
nothing to show or speak, and the normal issue API no longer takes channel "paper"."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from queue_server.core.envelope import Envelope
from queue_server.core.models import Ticket
from queue_server.core.paper import PaperTickets
from queue_server.relay import Relay
from queue_server.web.realtime import ScreenFeed
from tests.web.conftest import TokenMaker, make_token_maker, sign_in

PATH = "/api/v1/tickets/paper"
# Monday 23/11/2026; the frozen clock says 09:00 local time.
SERVED = {
    "number": "PB001",
    "service": "HT",
    "category": "elderly",
    "issued_at": "2026-11-23T07:35:00+07:00",
    "called_at": "2026-11-23T07:50:00+07:00",
    "finished_at": "2026-11-23T07:58:00+07:00",
    "counter": 2,
}


def tickets(app: Flask) -> int:
    queue = app.extensions["xephang"].queue
    with queue.db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(Ticket)).scalar_one())


def test_officer_and_help_desk_enter_paper_tickets_that_are_never_announced(
    app: Flask, events: list[Envelope], token: TokenMaker, bus: Relay
) -> None:
    PaperTickets(app.extensions["xephang"].queue).reserve("HT", 50)
    officer, csrf = sign_in(app, "officer", counter=2)
    first = officer.post(PATH, json=SERVED, headers=csrf)
    assert first.status_code == 201, first.get_json()
    body = first.get_json()
    assert (body["number"], body["channel"], body["status"], body["counter"]) == (
        "PB001",
        "paper",
        "done",
        2,
    )
    assert body["issued_at"] == "2026-11-23T00:35:00+00:00" and "track_code" not in body
    # An officer enters only its own counter's tickets; the help desk any counter's.
    other = {**SERVED, "number": "2", "counter": 4}
    assert officer.post(PATH, json=other, headers=csrf).status_code == 403
    desk, desk_csrf = sign_in(app, "helpdesk")
    assert desk.post(PATH, json=other, headers=desk_csrf).get_json()["number"] == "PB002"
    left = {"number": "PB003", "service": "HT", "issued_at": SERVED["issued_at"],
            "outcome": "cancelled"}  # fmt: skip
    assert desk.post(PATH, json=left, headers=desk_csrf).status_code == 201

    # Entered twice: 409, nothing changed, no event.
    count, published = tickets(app), len(events)
    again = desk.post(PATH, json=SERVED, headers=desk_csrf)
    assert again.status_code == 409 and "PB001" in again.get_json()["error"]
    assert (tickets(app), len(events)) == (count, published)

    # The events are history: the hall display's feed has nothing to show or speak.
    assert [e.name for e in events] == ["paper_ticket_entered"] * 3
    assert ScreenFeed(None, bus).frames(events, 0) == ([], 0)  # type: ignore[arg-type]

    ranges = desk.get(f"{PATH}/ranges").get_json()
    assert ranges == {
        "marker": "P",
        "ranges": [{"service": "HT", "last": 50, "last_number": "PB050"}],
    }
    for role in ("kiosk", "display", "rating"):
        headers = token(role, counter=1 if role == "rating" else None)
        assert app.test_client().post(PATH, json=SERVED, headers=headers).status_code == 403
    # The normal issue API takes no paper channel: it would give a new number and time.
    issued = desk.post("/api/v1/tickets", json={"service": "HT", "channel": "paper"},
                       headers=desk_csrf)  # fmt: skip
    assert issued.status_code == 422


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"issued_at": "07:35"}, 400, "issued_at"),
        ({"issued_at": "2026-11-23T07:35:00"}, 400, "issued_at"),  # no offset
        ({"issued_at": "9999-12-31T23:59:00-23:59"}, 400, "issued_at"),
        ({"name": "Nguyễn Văn A"}, 400, "name"),
        ({"number": "PB-001"}, 400, "number"),
        ({"outcome": "lost"}, 400, "outcome"),
        ({"finished_at": "2026-11-23T09:30:00+07:00"}, 422, None),  # in the future
        ({"finished_at": "2026-11-23T07:40:00+07:00"}, 422, None),  # before the call
        ({"number": "PB051"}, 422, None),  # never printed
        ({"number": "PC001"}, 422, None),  # another service's
        ({"service": "XX"}, 404, None),
        ({"counter": 99}, 404, None),
        ({"category": "vip"}, 404, None),
    ],
)
def test_bad_input_gets_a_clear_4xx_and_changes_nothing(
    sqlite_app: Flask, changes: dict[str, Any], status: int, field: str | None
) -> None:
    queue = sqlite_app.extensions["xephang"].queue
    PaperTickets(queue).reserve("HT", 50)
    admin = make_token_maker(queue)("admin")
    answer = sqlite_app.test_client().post(PATH, json={**SERVED, **changes}, headers=admin)
    assert answer.status_code == status, answer.get_json()
    error = answer.get_json()
    assert isinstance(error["error"], str) and error["error"]
    if field:
        assert error.get("field") == field
    assert tickets(sqlite_app) == 0
