"""Admin pages under ``/admin``: one blueprint, a module per subject.

Each module adds its routes to :data:`admin` and its menu entry with :func:`menu`;
every page extends ``admin/base.html`` and is guarded by :func:`signed_in`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue

from queue_server.auth.roles import Principal, Role
from queue_server.i18n import N_, _, current_language
from queue_server.web.language import LANGUAGES, language_switch
from queue_server.web.security import csrf_token, signed_in

__all__ = ["MENU", "admin", "menu", "register_admin", "render_admin", "signed_in"]
from queue_server.web.state import xephang

admin = Blueprint("admin", __name__, url_prefix="/admin")


@dataclass(frozen=True, slots=True)
class MenuEntry:
    endpoint: str  # e.g. "admin.reports"
    label: str  # a gettext message id, translated when the page is drawn
    roles: tuple[Role, ...] = (Role.ADMIN,)


MENU: list[MenuEntry] = []
LANDING = "admin.reports"  # where /admin/ leads those who may read the reports
DEVICE_SCAN = "device_scan.scan_page"  # the device scan page (web/device_scan.py), in the menu


def menu(endpoint: str, label: str, *roles: Role) -> None:
    """Add an entry to the admin menu (in the order modules are imported)."""
    MENU.append(MenuEntry(endpoint, label, roles or (Role.ADMIN,)))


def render_admin(template: str, principal: Principal, title: str, **context: Any) -> str:
    """Draw ``admin/<template>`` inside the admin layout (menu, user, CSRF token)."""
    from queue_server.web.clock import clock_banner  # the banner while the clock is suspect

    entries = [
        {"url": url_for(e.endpoint), "label": _(e.label), "current": request.endpoint == e.endpoint}
        for e in MENU
        if principal.role in {*e.roles, Role.ADMIN} and e.endpoint in current_app.view_functions
    ]
    return render_template(
        f"admin/{template}",
        lang=current_language(),
        languages=language_switch(current_language(), LANGUAGES),
        title=title,
        menu=entries,
        user=principal.name,
        center=xephang().settings.center,
        csrf=csrf_token(),
        clock_banner=clock_banner(),
        _=_,
        **context,
    )


@admin.get("/")
def index() -> ResponseReturnValue:
    """The reports (:data:`LANDING`) when the user may open them, else the first menu
    entry they may open (the menu's order follows the modules' imports)."""
    principal = signed_in(*{role for entry in MENU for role in entry.roles})
    if isinstance(principal, Response):
        return principal
    allowed = [e for e in MENU if principal.role in {*e.roles, Role.ADMIN}]
    if not allowed:
        abort(404)
    landing = next((e for e in allowed if e.endpoint == LANDING), allowed[0])
    return redirect(url_for(landing.endpoint), code=303)


def register_admin(app: Flask) -> None:
    """Import the admin modules (they add routes and menu entries) and serve them."""
    from queue_server.web.admin import outreach, pages, reports, voice  # noqa: F401
    from queue_server.web.admin.api import admin_api

    if not any(entry.endpoint == DEVICE_SCAN for entry in MENU):
        menu(DEVICE_SCAN, N_("Find devices"))  # last: not where /admin/ leads first

    app.register_blueprint(admin)
    app.register_blueprint(admin_api)
