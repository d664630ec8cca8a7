"""The report as JSON: every figure of the CSV/XLSX, in plain JSON values.

The schema is documented key by key in docs/reports.md ("The JSON report"). Sections
built by other modules (``assists``, ``home_visits``, ``appointments``, ``feedback``,
``assistance_calls``, ``satisfaction``, ``by_category``) come from their own
``as_json()``; this module only puts them together with the period and the totals.
"""

from __future__ import annotations

import json
from typing import Any

from queue_server.reports.compute import Report
from queue_server.reports.periods import Period
from queue_server.reports.tally import Tally

SCHEMA_VERSION = 1


def _rows(groups: dict[Any, Tally], key: str) -> list[dict[str, Any]]:
    return [{key: name, **tally.as_json()} for name, tally in groups.items()]


def period_json(report: Report) -> dict[str, Any]:
    """The report's days: first and last local day, time zone, kind and label."""
    period = Period.of(report.start, report.end)
    return {
        "start": report.start.isoformat(),
        "end": report.end.isoformat(),
        "zone": report.zone,
        "kind": period.kind,
        "label": period.label(),
        "days": period.days,
    }


def totals_json(report: Report) -> dict[str, Any]:
    """The whole period's tickets, with the figures the chairman reports first."""
    figures = report.by_category
    return {
        **report.total.as_json(),
        "vulnerable_issued": report.priority_issued,
        "vulnerable_served": report.priority_served,
        "emergencies": figures.emergencies.issued,
        "helpdesk_issued": figures.helpdesk.issued,
        "help_given": report.help.total,
    }


def report_json(report: Report, center: str, ward: str | None = None) -> dict[str, Any]:
    """The report as one JSON object (``center``: the center's name, ``ward``: the
    People's Committee it reports to, if configured)."""
    document: dict[str, Any] = {
        "schema": SCHEMA_VERSION,
        "center": {"name": center, "ward": ward},
        "period": period_json(report),
        "totals": totals_json(report),
        "by_day": [{"day": d.isoformat(), **t.as_json()} for d, t in report.by_day.items()],
        "by_month": _rows(report.by_month, "month"),
        "by_service": _rows(report.by_service, "service"),
        "by_counter": _rows(report.by_counter, "counter"),
        "by_officer": _rows(report.by_officer, "officer"),
        "by_channel": _rows(report.by_channel, "channel"),
        "arrivals_by_hour": list(report.arrivals_by_hour),
        "assists": report.help.as_json(),
        "satisfaction": report.satisfaction.as_json(),
        "by_category": report.by_category.as_json(),
        # One section per feature, each the ``Report`` field of the same name.
        "home_visits": report.home_visits.as_json(),
        "appointments": report.appointments.as_json(),
        "feedback": report.feedback.as_json(),
        "assistance_calls": report.assistance_calls.as_json(),
        "results": report.results.as_json(),
        "outreach": report.outreach.as_json(),
    }
    return document


def json_bytes(report: Report, center: str, ward: str | None = None) -> bytes:
    """The JSON file's bytes: UTF-8 (Vietnamese as it is), indented, ending in a newline."""
    text = json.dumps(report_json(report, center, ward), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")
