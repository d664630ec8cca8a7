"""The printable A4 list of a day's home visits (``/visits/print?day=YYYY-MM-DD``).

With the help desk's list it is the only place that shows a visit's phone number and
address: to signed-in help desk staff and admins (every visit of the day) and to
officers (their own visits). The manager reads counts in the reports, not this list.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, render_template, request

from queue_server.auth.roles import Role
from queue_server.core.visit_queries import VisitFilter, VisitView
from queue_server.core.visits import HomeVisits
from queue_server.web.dates import ISO_DAY
from queue_server.web.security import signed_in
from queue_server.web.state import xephang
from xephang.display.texts import texts

visit_pages = Blueprint("visit_pages", __name__)


@visit_pages.get("/visits/print")
def print_visits() -> str | Response | tuple[str, int]:
    principal = signed_in(Role.HELPDESK, Role.OFFICER)
    if isinstance(principal, Response):
        return principal
    state = xephang()
    raw = request.args.get("day", "")
    day = state.queue.today()
    valid = raw == "" or raw == "today" or bool(ISO_DAY.fullmatch(raw))
    if valid and raw not in ("", "today"):
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            valid = False
    mine = principal.id if principal.role == Role.OFFICER else None
    found = HomeVisits(state.queue).find(VisitFilter(day=day, officer_id=mine), with_contact=True)
    language = state.settings.center.language
    page = render_template(
        "screens/visits_print.html",
        t=texts("visits_print", language),
        lang=language,
        center=state.settings.center.name,
        day=day,
        rows=[_row(visit) for visit in found if visit.status != "cancelled"],
        user=principal.name,
    )
    response = Response(page, status=200 if valid else 400, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"  # personal data: never kept by a cache
    return response


def _row(visit: VisitView) -> dict[str, Any]:
    contact = visit.contact or {}
    place = ", ".join(part for part in (contact.get("address"), contact.get("hamlet")) if part)
    return {
        "id": visit.id,
        "window": f"{visit.window_start or ''}–{visit.window_end or ''}",
        "service": visit.service_name,
        "category": visit.category_name or "",
        "place": place,
        "phone": contact.get("phone"),
        "officers": ", ".join(officer["name"] for officer in visit.officers),
        "status": visit.status,
    }
