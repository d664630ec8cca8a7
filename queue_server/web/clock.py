"""The clock guard over HTTP (docs/outages.md).

- ``GET  /api/v1/clock``: the server's clock beside the last recorded event (admin).
- ``POST /api/v1/clock/confirm``: an admin confirms the server's clock is right; an
  optional ``browser_time`` (ISO 8601) is kept in the audit log beside it.
- ``/admin/clock``: the same as a page: server clock, last event and the browser's
  clock side by side, and the confirm button. Every admin page shows a banner while
  the clock is suspect.

A command refused for a suspect clock answers 503 ``{"error": …, "reason": "clock"}``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from flask import Blueprint, Flask, Response, g, jsonify, redirect, request, url_for
from pydantic import AwareDatetime, Field

from queue_server.auth.roles import Role
from queue_server.core.clockguard import ClockStatus, ClockSuspect
from queue_server.i18n import N_, _
from queue_server.web.admin import admin, menu, render_admin, signed_in
from queue_server.web.bodies import Body, parse_body
from queue_server.web.errors import error_response
from queue_server.web.security import csrf_matches, require
from queue_server.web.state import xephang

clock_api = Blueprint("clock_api", __name__, url_prefix="/api/v1")


class ConfirmBody(Body):
    """What the admin saw: the browser's clock, if the page knew it."""

    browser_time: Annotated[AwareDatetime, Field(strict=False)] | None = None


def clock_status() -> ClockStatus:
    """This process's clock judged against the database."""
    queue = xephang().queue
    return queue.clock_guard.status(queue.db, queue.clock.now())


def confirm_clock(actor: str, browser_time: datetime | None) -> ClockStatus:
    queue = xephang().queue
    return queue.clock_guard.confirm(queue.db, queue.clock.now(), actor, browser_time)


@clock_api.get("/clock")
@require(Role.ADMIN)
def read_clock() -> Response:
    return jsonify(clock_status().to_dict())


@clock_api.post("/clock/confirm")
@require(Role.ADMIN)
def confirm() -> Response:
    body = parse_body(ConfirmBody)
    return jsonify(confirm_clock(g.principal.actor, body.browser_time).to_dict())


def clock_banner() -> dict[str, Any] | None:
    """The admin pages' banner while the clock is suspect (here or as stored)."""
    status = clock_status()
    if status.suspicion is not None:
        return {"message": status.suspicion.message()}
    if status.stored.get("suspect"):
        return {"message": _("A server process found its clock suspect: check the clock.")}
    return None


@admin.route("/clock", methods=["GET", "POST"])
def clock_page() -> Any:
    principal = signed_in()
    if isinstance(principal, Response):
        return principal
    errors: list[str] = []
    status_code = 200
    if request.method == "POST":
        if not csrf_matches(request.form.get("csrf_token")):
            errors, status_code = [_("The form has expired; please try again.")], 400
        else:
            confirm_clock(principal.actor, _browser_time(request.form.get("browser_time")))
            return redirect(url_for("admin.clock_page", saved="1"), code=303)
    status = clock_status()
    zone = xephang().settings.center.zone
    html = render_admin(
        "clock.html",
        principal,
        _("Clock"),
        status=status,
        server_local=status.server_time.astimezone(zone).strftime("%d/%m/%Y %H:%M:%S"),
        event_local=(
            status.reference.at.astimezone(zone).strftime("%d/%m/%Y %H:%M:%S")
            if status.reference.at
            else _("none yet")
        ),
        zone=str(zone),
        errors=errors,
        saved=request.args.get("saved"),
    )
    return html, status_code


def _browser_time(raw: str | None) -> datetime | None:
    try:
        moment = datetime.fromisoformat(raw or "")
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


menu("admin.clock_page", N_("Clock"))


def register_clock(app: Flask) -> None:
    """The API, and the 503 answer of a command refused for a suspect clock."""
    app.register_blueprint(clock_api)

    @app.errorhandler(ClockSuspect)
    def _clock_suspect(exc: ClockSuspect) -> Response:
        queue = xephang().queue
        queue.clock_guard.flush(queue.db)  # a refusal inside another module's command
        response = error_response(503, exc.message, headers={"Retry-After": str(exc.retry_after_s)})
        response.set_data(jsonify({"error": exc.message, "reason": "clock"}).get_data())
        return response
