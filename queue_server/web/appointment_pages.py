"""Appointment pages: the citizen's booking page (phone-sized, linked from the tracking
page) and the printable slip (giấy hẹn); the facts the kiosk and help desk pages need.

Neither page asks for a name or a phone number. The slip is shown to whoever holds its
code (like the tracking page to whoever holds the ticket's), within a per-address rate.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, make_response, request

from queue_server.core.errors import NotFound
from queue_server.web.appointments import appointment_data, appointments_service
from queue_server.web.ratelimit import RateLimiter
from queue_server.web.screen_render import render_screen
from queue_server.web.state import xephang

appointment_pages = Blueprint("appointment_pages", __name__)

SLIP_LIMITER_KEY = "xephang_slip_limiter"
SLIP_RATE_PER_MINUTE = 30


@appointment_pages.get("/appointments/book")
def book_page() -> str:
    """The citizen's own booking: service, day, time; then the slip."""
    return render_screen("book", **appointment_data())


@appointment_pages.get("/appointments/slip/<code>")
def slip_page(code: str) -> Response:
    """The printable slip of an appointment (whoever holds the code)."""
    limiter = current_app.extensions.get(SLIP_LIMITER_KEY)
    if limiter is None:
        limiter = RateLimiter(SLIP_RATE_PER_MINUTE, xephang().queue.clock.now)
        current_app.extensions[SLIP_LIMITER_KEY] = limiter
    if limiter.hit(request.remote_addr or "-"):
        return make_response(render_screen("slip", appointment=None), 429)
    try:
        found = appointments_service().find(code[:20])
    except NotFound:
        return make_response(render_screen("slip", appointment=None), 404)
    zone = xephang().queue.options.zone
    start, end = found.slot_start.astimezone(zone), found.slot_end.astimezone(zone)
    slip = found.to_dict() | {"date": f"{start:%d/%m/%Y}", "time": f"{start:%H:%M}–{end:%H:%M}"}
    return make_response(render_screen("slip", appointment=slip))
