"""The date ranges docs/api.md gives the list routes, on their edge and just past it:
``GET /feedback`` (366 days; 422, as an unknown channel), ``GET /appointments`` (62 days
apart; 400) and ``GET /outreach-sessions`` (400 days; 400), each refusal naming ``to``."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.web.conftest import make_token_maker

ADMIN_ROUTES = [
    # (path, an accepted range, one day more, the status of the refusal)
    ("/api/v1/feedback", "from=2026-01-01&to=2027-01-01", "from=2026-01-01&to=2027-01-02", 422),
    ("/api/v1/appointments", "from=2026-11-01&to=2027-01-02", "from=2026-11-01&to=2027-01-03", 400),
    (
        "/api/v1/outreach-sessions",
        "from=2026-11-01&to=2027-12-06",
        "from=2026-11-01&to=2027-12-07",
        400,
    ),
]


@pytest.mark.parametrize(("path", "edge", "past", "status"), ADMIN_ROUTES)
def test_a_range_on_its_edge_is_listed_and_one_day_more_is_refused(
    sqlite_app: Flask, path: str, edge: str, past: str, status: int
) -> None:
    admin = make_token_maker(sqlite_app.extensions["xephang"].queue)("admin")
    client = sqlite_app.test_client()
    listed = client.get(f"{path}?{edge}", headers=admin)
    assert listed.status_code == 200, listed.get_json()
    refused = client.get(f"{path}?{past}", headers=admin)
    assert refused.status_code == status, refused.get_json()
    assert refused.get_json()["error"]
    if status == 400:
        assert refused.get_json()["field"] == "to"


def test_feedback_with_an_unknown_channel_is_422(sqlite_app: Flask) -> None:
    admin = make_token_maker(sqlite_app.extensions["xephang"].queue)("admin")
    answer = sqlite_app.test_client().get("/api/v1/feedback?channel=email", headers=admin)
    assert answer.status_code == 422
    assert "email" in answer.get_json()["error"]
