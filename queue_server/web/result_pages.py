"""The printable result slip (``/result-slip/<code>``): holding the code is the key.

A small page sized for A5 paper (or a receipt printer's roll): the center, the service,
the ready date, the code as text and as a QR code (a kiosk's scanner types it), what to
bring. The officer's console opens it after giving a slip; the citizen's tracking page
links to it. Nothing here needs a sign-in, and the page is never indexed or cached.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import qrcode
import qrcode.image.svg
from flask import Blueprint, Response, make_response
from markupsafe import Markup

from queue_server.core.errors import NotFound
from queue_server.core.results import SlipView
from queue_server.web.results import result_slips
from queue_server.web.screen_render import render_screen
from queue_server.web.state import xephang

result_pages = Blueprint("result_pages", __name__)


def qr_svg(text: str) -> Markup:
    """``text`` as an inline SVG QR code (no file, no network)."""
    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    image = code.make_image(image_factory=qrcode.image.svg.SvgPathImage)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode("utf-8")
    svg = svg[svg.index("<svg") :]  # without the XML declaration
    return Markup(svg.replace("<svg ", '<svg role="img" aria-hidden="true" ', 1))


def slip_data(slip: SlipView) -> dict[str, Any]:
    """What the slip and the tracking page show of a slip (its holder's view)."""
    return {
        "code": slip.display_code,
        "service_name": slip.service_name,
        "number": slip.number,
        "ready_on": slip.ready_on.isoformat(),
        "ready": _day_text(slip.ready_on),
        "promised": _day_text(slip.promised_on),
        "postponed": slip.postponements > 0,
        "collected": slip.collect_ticket_id is not None,
        "issued": _day_text(slip.issued_at.astimezone(xephang().queue.options.zone).date()),
    }


def _day_text(day: date) -> str:
    return day.strftime("%d/%m/%Y")


@result_pages.get("/result-slip/<code>")
def slip_page(code: str) -> Response:
    try:
        slip = result_slips().find(code[:40])
    except NotFound:
        response = make_response(render_screen("result_slip", missing=True), 404)
    else:
        settings = xephang().settings
        receiving = next((s for s in settings.services if s.results and s.active), None)
        page = render_screen(
            "result_slip",
            missing=False,
            slip=slip_data(slip),
            qr=qr_svg(slip.display_code),
            bring=settings.results.bring,
            receiving=receiving.name if receiving else "",
        )
        response = make_response(page)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
