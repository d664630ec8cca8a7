"""The outreach section of a report as a translated table (CSV, XLSX, web page)."""

from __future__ import annotations

from queue_server.i18n import _
from queue_server.reports.compute import Report
from queue_server.reports.tables import Cell, Table


def outreach_table(report: Report) -> Table:
    """Tickets from outreach sites: per session, per service, per priority category,
    their total and what the center served itself (the report's other figures count both)."""
    figures = report.outreach
    rows: list[list[Cell]] = []
    for session in figures.sessions:
        label = f"{session.site_code} · {session.place}".strip(" ·")
        rows.append([_("Session"), label, session.day, session.count.issued, session.count.served])
    for code, count in figures.by_service.items():
        rows.append([_("Service"), figures.names.get(code, code), None, count.issued, count.served])
    for category, count in figures.by_category.items():
        name = figures.names.get(category, category) if category else _("No priority category")
        rows.append([_("Priority category"), name, None, count.issued, count.served])
    total = figures.total
    rows.append([_("Total"), _("Outreach sessions: {count}").format(count=len(figures.sessions)),
                 None, total.issued, total.served])  # fmt: skip
    center = (figures.center_issued - total.issued, figures.center_served - total.served)
    rows.append([_("Total"), _("At the center"), None, *center])
    headers = [_("Group"), _("Name"), _("Day"), _("Tickets issued"), _("Served")]
    return Table(_("Outreach sessions"), headers, rows, key="outreach")
