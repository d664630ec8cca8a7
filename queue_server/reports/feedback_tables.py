"""The feedback section of a report as a translated table (page, CSV and XLSX)."""

from __future__ import annotations

from queue_server.i18n import N_, _
from queue_server.reports.feedback import FeedbackFigures
from queue_server.reports.tables import Cell, Table

CHANNEL_NAMES = {
    "helpdesk": N_("At the help desk"),
    "track": N_("From the tracking page"),
    "rating": N_("With a 'not satisfied' rating"),
}


def feedback_table(figures: FeedbackFigures) -> Table:
    """Received per kind and channel, then forwarded, answered, on time, overdue, mean days."""
    received = _("Received")
    rows: list[list[Cell]] = [[received, figures.received]]
    rows += [
        [f"{received}: {name}", figures.by_kind.get(code, 0)]
        for code, name in figures.kinds.items()
    ]
    rows += [
        [f"{received}: {_(CHANNEL_NAMES.get(code, code))}", count]
        for code, count in figures.by_channel.items()
    ]
    rows += [
        [_("Forwarded"), figures.forwarded],
        [_("Answered"), figures.answered],
        [_("Answered on time"), figures.answered_on_time],
        [_("Overdue at the end of the period"), figures.overdue],
        [_("Mean days to answer"), figures.mean_days_to_answer],
    ]
    return Table(_("Citizens' feedback"), [_("Item"), _("Count")], rows, key="feedback")
