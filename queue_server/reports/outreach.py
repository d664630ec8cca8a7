"""Outreach sessions in a report: the tickets that came in from outreach sites.

A ticket counts here when it was imported from a site (``xephang site import``: a row
in ``site_imports``) and its local day is one of the report's days. Those tickets also
count in every other figure of the report (together); this section shows them apart:
per session, per priority category and per service, with what the center served
itself (``center_only``: the report's totals minus the outreach tickets).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from queue_server.core.archive import tickets_between
from queue_server.core.models import PriorityCategory, Service, TicketStatus
from queue_server.core.outreach_models import OutreachSession
from queue_server.core.site_models import SiteImportRow


@dataclass
class Count:
    """Tickets issued and served (done)."""

    issued: int = 0
    served: int = 0

    def add(self, done: bool) -> None:
        self.issued += 1
        self.served += done

    def as_json(self) -> dict[str, int]:
        return {"issued": self.issued, "served": self.served}


@dataclass
class SessionCount:
    """One outreach session's tickets."""

    session_id: int
    site_code: str
    day: date | None
    place: str
    count: Count = field(default_factory=Count)

    def as_json(self) -> dict[str, Any]:
        return {
            "session": self.session_id,
            "site_code": self.site_code,
            "day": self.day.isoformat() if self.day else None,
            "place": self.place,
            **self.count.as_json(),
        }


@dataclass
class OutreachFigures:
    """Outreach tickets of a report's days: per session, category code (None: no
    priority) and service code, each with its display name."""

    sessions: list[SessionCount] = field(default_factory=list)
    by_category: dict[str | None, Count] = field(default_factory=dict)
    by_service: dict[str, Count] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # code → name (services, categories)
    center_issued: int = 0  # every ticket of the report's days (filled by the report)
    center_served: int = 0

    @property
    def total(self) -> Count:
        return Count(
            sum(s.count.issued for s in self.sessions), sum(s.count.served for s in self.sessions)
        )

    def as_json(self) -> dict[str, Any]:
        """Plain JSON (see docs/reports.md, "outreach")."""
        total = self.total
        return {
            "sessions": len(self.sessions),
            **total.as_json(),
            "center_only": {
                "issued": self.center_issued - total.issued,
                "served": self.center_served - total.served,
            },
            "by_session": [s.as_json() for s in self.sessions],
            "by_category": [
                {"category": code, "name": self.names.get(code) if code else None, **c.as_json()}
                for code, c in self.by_category.items()
            ],
            "by_service": [
                {"service": code, "name": self.names.get(code, code), **c.as_json()}
                for code, c in self.by_service.items()
            ],
        }


def outreach_figures(conn: Connection, start: date, end: date) -> OutreachFigures:
    """Count the imported tickets of local days ``start``..``end`` in ``conn``'s
    transaction."""
    tickets = tickets_between(start, end)
    ticket = tickets.c
    rows = conn.execute(
        select(
            SiteImportRow.session_id,
            SiteImportRow.site_code,
            ticket.status,
            Service.code.label("service"),
            Service.name.label("service_name"),
            PriorityCategory.code.label("category"),
            PriorityCategory.name.label("category_name"),
            OutreachSession.day,
            OutreachSession.place,
        )
        .select_from(SiteImportRow)
        .join(tickets, (SiteImportRow.kind == "tickets") & (SiteImportRow.target_id == ticket.id))
        .join(Service, Service.id == ticket.service_id)
        .outerjoin(PriorityCategory, PriorityCategory.id == ticket.priority_id)
        .outerjoin(OutreachSession, OutreachSession.id == SiteImportRow.session_id)
        .order_by(OutreachSession.day, SiteImportRow.session_id, Service.position, Service.code)
    ).all()
    figures = OutreachFigures()
    sessions: dict[int, SessionCount] = {}
    for row in rows:
        done = row.status == TicketStatus.DONE
        session = sessions.get(row.session_id)
        if session is None:
            session = SessionCount(row.session_id, row.site_code, row.day, row.place or "")
            sessions[row.session_id] = session
        session.count.add(done)
        figures.by_service.setdefault(row.service, Count()).add(done)
        figures.by_category.setdefault(row.category, Count()).add(done)
        figures.names[row.service] = row.service_name
        if row.category:
            figures.names[row.category] = row.category_name
    figures.sessions = list(sessions.values())
    return figures
