"""Turn a ticket or appointment slip event into what the printer prints."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from queue_server.core.appointment_views import shown_code
from queue_server.settings import Settings
from xephang.devices.printer import SlipPrintout, TicketPrintout


def printout_for(
    ticket: dict[str, Any], settings: Settings, public_url: str | None = None
) -> TicketPrintout:
    """The printout of a ticket (as in a ``ticket_issued`` payload). The QR code points to
    ``center.public_url`` if set, else to ``public_url`` (the address the kiosk used)."""
    service = next((s for s in settings.services if s.code == ticket["service"]), None)
    second = settings.center.second_language
    category = next((p for p in settings.priorities if p.code == ticket.get("priority")), None)
    issued = datetime.fromisoformat(ticket["issued_at"]).astimezone(settings.center.zone)
    base_url = (settings.center.public_url or public_url or "").rstrip("/")
    return TicketPrintout(
        center_name=settings.center.name,
        number=ticket["number"],
        service_name=service.name if service else ticket["service_name"],
        service_name_alt=service.labels.get(second) if service and second else None,
        priority_label=category.name if category else None,
        issued_at=issued,
        ahead=int(ticket.get("ahead", 0)),
        estimated_wait_s=ticket.get("estimated_wait_s"),
        track_url=f"{base_url}/track/{ticket['track_code']}"
        if base_url and ticket.get("track_code")
        else None,
        language=settings.center.language,
        second_language=second,
    )


def slip_printout_for(
    data: dict[str, Any], settings: Settings, public_url: str | None = None
) -> SlipPrintout:
    """The appointment slip of a ``slip_print_requested`` device payload. The QR code
    points to the slip's page under ``center.public_url`` if set, else ``public_url``."""
    service = next((s for s in settings.services if s.code == data["service"]), None)
    zone = settings.center.zone
    base_url = (settings.center.public_url or public_url or "").rstrip("/")
    code = str(data["appointment_code"])
    return SlipPrintout(
        center_name=settings.center.name,
        service_name=service.name if service else str(data.get("service_name") or ""),
        slot_start=datetime.fromisoformat(data["slot_start"]).astimezone(zone),
        slot_end=datetime.fromisoformat(data["slot_end"]).astimezone(zone),
        code_shown=shown_code(code),
        bring=str(data.get("bring") or ""),
        slip_url=f"{base_url}/appointments/slip/{code}" if base_url else None,
        language=settings.center.language,
    )
