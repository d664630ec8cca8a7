"""Who may open which staff page: the "Access" column of the table in docs/screens.md,
role by role, with a signed-in session of each role (SQLite). A page a role may not open
answers 403; the volunteer may open only ``/assist``."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.web.conftest import sign_in

ROLES = ("officer", "helpdesk", "volunteer", "manager", "admin")
PAGES = {
    "/officer": {"officer", "admin"},
    "/helpdesk": {"helpdesk", "admin"},
    "/assist": {"volunteer", "helpdesk", "officer", "manager", "admin"},
    "/visits/print": {"helpdesk", "officer", "admin"},
    "/feedback": {"manager", "helpdesk", "admin"},
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_the_pages_the_table_gives_it(sqlite_app: Flask, role: str) -> None:
    client, _csrf = sign_in(sqlite_app, role)
    opened = {path for path in PAGES if client.get(path).status_code == 200}
    refused = {path for path in PAGES if client.get(path).status_code == 403}
    assert opened == {path for path, roles in PAGES.items() if role in roles}
    assert refused == set(PAGES) - opened


def test_the_manager_gets_the_calls_on_assist_but_no_help_record_form(sqlite_app: Flask) -> None:
    """docs/screens.md, "Calls for assistance": the manager's ``/assist`` has the live list
    of calls and no help-record form; a volunteer's has both."""
    for role, form in (("manager", False), ("volunteer", True)):
        client, _csrf = sign_in(sqlite_app, role)
        page = client.get("/assist").get_data(as_text=True)
        assert 'id="alerts-panel"' in page, role
        assert ('id="assist-form"' in page, 'id="category-grid"' in page) == (form, form), role
