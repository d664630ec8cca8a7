"""The roles table of docs/api.md for the routes tests/web/test_roles.py leaves out: help
records, home visits, feedback, result slips, calls for assistance, outreach sessions,
appointments, paper tickets and the device worker's routes.

Each row names the principals the docs allow; every other principal (volunteer, manager
and device included) must get 403. Bodies are valid but name nothing that exists, so an
allowed caller gets past the role check and stops at a 404 (or a 4xx of the body) without
changing anything.
"""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import World

ADMINS = {"admin", "admin_user"}
DESK = {"helpdesk", *ADMINS}
OFFICER_TOKEN = {"officer"}
OFFICER_USER = {"officer_user"}
OFFICERS = {*OFFICER_TOKEN, *OFFICER_USER}
PRINCIPALS = sorted(
    {"kiosk", "display", "rating", "device", "volunteer", "manager", *DESK, *OFFICERS}
)
SLIP = "ACD34-EFH79"  # a result slip's code that was never given
BOOKING = "K7MX-4RPA"  # an appointment code that was never given
ANY = set(PRINCIPALS) - {"rating", "volunteer", "manager", "device"}

# (method, path, JSON body, principals the docs allow)
TABLE: list[tuple[str, str, dict[str, Any] | None, set[str]]] = [
    ("POST", "/api/v1/assists", {"kind": "no_such_kind"}, {*DESK, *OFFICERS, "volunteer"}),
    ("GET", "/api/v1/assists", None, {"manager", *DESK}),
    ("GET", "/api/v1/assists/kinds", None, {*DESK, *OFFICERS, "volunteer", "manager"}),
    ("GET", "/api/v1/tickets/paper/ranges", None, {*DESK, *OFFICERS}),
    (
        "POST",
        "/api/v1/visits",
        {"phone": "0912345678", "consent": True, "service": "XX", "hamlet": "Tổ 5"},
        DESK,
    ),
    ("GET", "/api/v1/visits", None, {*DESK, "manager", *OFFICER_USER}),
    ("GET", "/api/v1/visits/999", None, {*DESK, "manager", *OFFICER_USER}),
    ("GET", "/api/v1/visits/staff", None, DESK),
    (
        "POST",
        "/api/v1/visits/999/schedule",
        {"day": "2099-01-05", "window_start": "08:00", "window_end": "09:00", "officers": [1]},
        DESK,
    ),
    ("POST", "/api/v1/visits/999/outcome", {"outcome": "not_home"}, {*DESK, *OFFICER_USER}),
    ("POST", "/api/v1/feedback", {"kind": "no_such_kind", "text": "Chờ lâu"}, DESK),
    ("GET", "/api/v1/feedback", None, {"manager", *DESK}),
    ("POST", "/api/v1/feedback/999/forward", {"unit": "Tổ một cửa"}, {"manager", *ADMINS}),
    ("POST", "/api/v1/feedback/999/answer", {"text": "Đã xử lý"}, {"manager", *ADMINS}),
    ("GET", "/api/v1/feedback/kinds", None, {*DESK, *OFFICERS, "manager"}),
    ("GET", f"/api/v1/result-slips/{SLIP}", None, {*DESK, *OFFICERS}),
    (
        "POST",
        f"/api/v1/result-slips/{SLIP}/postpone",
        {"ready_on": "2099-01-05", "reason": "other"},
        {*DESK, *OFFICERS},
    ),
    ("POST", f"/api/v1/result-slips/{SLIP}/ticket", {}, {"kiosk", *DESK}),
    ("POST", "/api/v1/tickets/999/result-slip", {}, {*OFFICERS, *ADMINS}),
    (
        "POST",
        "/api/v1/assistance-calls",
        {"reason": "no_such_reason"},
        {"kiosk", *OFFICERS, *ADMINS},
    ),
    (
        "GET",
        "/api/v1/assistance-calls",
        None,
        {*DESK, "volunteer", *OFFICERS, "manager"},
    ),
    (
        "POST",
        "/api/v1/assistance-calls/999/accept",
        None,
        {*DESK, "volunteer", *OFFICERS, "manager"},
    ),
    (
        "GET",
        "/api/v1/outreach-sessions",
        None,
        {"manager", *DESK, *OFFICERS, "volunteer"},
    ),
    ("POST", "/api/v1/outreach-sessions/999/cancel", None, {"manager", *ADMINS}),
    ("PATCH", "/api/v1/outreach-sessions/999", {"place": "Nhà văn hóa"}, {"manager", *ADMINS}),
    ("GET", "/api/v1/appointments", None, DESK),
    ("POST", f"/api/v1/appointments/{BOOKING}/check-in", None, {"kiosk", *DESK}),
    ("POST", f"/api/v1/appointments/{BOOKING}/cancel", None, DESK),
    ("GET", "/api/v1/print-jobs/999", None, {"kiosk", *DESK}),
    (
        "POST",
        "/api/v1/print-jobs/999",
        {"kiosk": "kiosk-1", "state": "sent"},
        {"device", *ADMINS},
    ),
    # "any" in the docs: kiosk, officer, display, help desk and admin.
    ("GET", "/api/v1/services", None, ANY),
    ("GET", "/api/v1/priorities", None, ANY),
    ("GET", "/api/v1/counters", None, ANY),
    ("GET", "/api/v1/state", None, {*ANY, "device"}),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "allowed"), TABLE, ids=[f"{m} {p}" for m, p, _b, _a in TABLE]
)
def test_the_documented_roles_pass_and_no_other(
    world: World, method: str, path: str, body: Any, allowed: set[str]
) -> None:
    verdicts = {}
    for name in PRINCIPALS:
        client, headers = world.clients[name]
        response = client.open(path, method=method, json=body, headers=headers)
        verdicts[name] = response.status_code
    refused = {name for name, status in verdicts.items() if status in (401, 403)}
    assert sorted(refused) == sorted(set(PRINCIPALS) - allowed), verdicts
    assert not {name for name, status in verdicts.items() if status == 401}, verdicts
