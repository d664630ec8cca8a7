"""Rows of the database as the views screens, the API and events carry.

Pure mapping: no database access, names and codes come from the catalogue.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Row

from queue_server.core.catalogue import Catalogue, CounterInfo, ServiceInfo
from queue_server.core.events import CounterView, TicketView
from queue_server.core.models import TicketStatus
from queue_server.i18n import _


def ticket_view(catalogue: Catalogue, row: Row, *, ahead: int = 0) -> TicketView:
    """A ticket row (the columns of ``statements.TICKET_COLUMNS``) as a view."""
    service = catalogue.service_by_id(row.service_id)
    counter = catalogue.counter_by_id(row.counter_id) if row.counter_id else None
    return TicketView(
        id=row.id,
        number=row.number,
        service=service.code,
        service_name=service.name,
        status=row.status,
        issued_at=row.issued_at,
        priority=catalogue.category_by_id(row.priority_id).code if row.priority_id else None,
        emergency=row.emergency,
        counter=counter.number if counter else None,
        called_at=row.called_at,
        recall_count=row.recall_count,
        track_code=row.track_code,
        ahead=ahead,
        estimated_wait_s=row.estimated_wait_s,
        channel=row.channel,
    )


def counter_view(
    catalogue: Catalogue, counter: CounterInfo, status: str, current: TicketView | None
) -> CounterView:
    """A counter with its status and current ticket."""
    codes = tuple(catalogue.service_by_id(sid).code for sid in counter.service_ids)
    return CounterView(
        number=counter.number, name=counter.name, status=status, current=current, services=codes
    )


def service_summary(service: ServiceInfo, waiting: int) -> dict[str, Any]:
    """A service as the snapshot lists it, with the tickets waiting for it."""
    return {
        "code": service.code,
        "prefix": service.prefix,
        "name": service.name,
        "labels": service.labels,
        "icon": service.icon,
        "helpdesk": service.helpdesk,
        "waiting": waiting,
    }


def recent_call(catalogue: Catalogue, row: Row) -> dict[str, Any]:
    """A call or recall of the event log as the snapshot lists it."""
    return {
        "ticket_id": row.id,
        "number": row.number,
        "service": catalogue.service_by_id(row.service_id).code,
        "counter": row.counter_number,
        "counter_name": row.counter_name,
        "recall": row.action == "recall",
        "at": row.at.isoformat(),
    }


def status_label(status: str) -> str:
    """A ticket status in words, in the current language."""
    labels = {
        TicketStatus.WAITING: _("waiting"),
        TicketStatus.CALLED: _("called"),
        TicketStatus.SERVING: _("being served"),
        TicketStatus.DONE: _("done"),
        TicketStatus.NO_SHOW: _("did not come"),
        TicketStatus.CANCELLED: _("cancelled"),
    }
    return labels.get(TicketStatus(status), status)
