"""The satisfaction sections of a report as translated tables (CSV and XLSX)."""

from __future__ import annotations

from collections.abc import Sequence

from queue_server.core.rating_config import ReasonConfig
from queue_server.core.ratings import AT_COUNTER, FROM_TRACKING, ScoreTally
from queue_server.i18n import _, current_language
from queue_server.reports.satisfaction import Satisfaction
from queue_server.reports.tables import Cell, Table


def _reason_labels(satisfaction: Satisfaction, reasons: Sequence[ReasonConfig]) -> dict[str, str]:
    """Configured reasons in order, then codes found in ratings but no longer configured."""
    language = current_language()
    labels = {reason.code: reason.label(language) for reason in reasons}
    for code in sorted(satisfaction.total.reasons):
        labels.setdefault(code, code)
    return labels


def _counts(tally: ScoreTally) -> list[Cell]:
    return [
        tally.count,
        tally.very_satisfied,
        tally.satisfied,
        tally.not_satisfied,
        tally.percent_satisfied,
    ]


def _count_headers() -> list[str]:
    return [
        _("Ratings"),
        _("Very satisfied"),
        _("Satisfied"),
        _("Not satisfied"),
        _("% satisfied"),
    ]


def _grouped(
    title: str, first: str, groups: dict[str, ScoreTally], labels: dict[str, str]
) -> Table:
    headers = [first, *_count_headers(), *labels.values()]
    rows = [
        [name, *_counts(tally), *(tally.reasons[code] for code in labels)]
        for name, tally in groups.items()
    ]
    return Table(title, headers, rows)


def satisfaction_tables(
    satisfaction: Satisfaction, served: int, reasons: Sequence[ReasonConfig]
) -> list[Table]:
    """Summary, per counter, per officer, per service, and the reasons for
    "not satisfied". ``served`` is the report's served tickets (the share rated)."""
    total = satisfaction.total
    labels = _reason_labels(satisfaction, reasons)
    share = round(100 * total.count / served, 1) if served else None
    summary = Table(
        _("Satisfaction"),
        [_("Item"), _("Value")],
        [
            [_("Ratings"), total.count],
            [_("Very satisfied"), total.very_satisfied],
            [_("Satisfied"), total.satisfied],
            [_("Not satisfied"), total.not_satisfied],
            [_("% satisfied"), total.percent_satisfied],
            [_("Rated at the counter"), satisfaction.by_channel[AT_COUNTER]],
            [_("Rated from the tracking page"), satisfaction.by_channel[FROM_TRACKING]],
            [_("Served tickets rated (%)"), share],
        ],
    )
    not_recorded = _("(not recorded)")
    officers = {name or not_recorded: t for name, t in satisfaction.by_officer.items()}
    return [
        summary,
        _grouped(_("Satisfaction by counter"), _("Counter"), satisfaction.by_counter, labels),
        _grouped(_("Satisfaction by officer"), _("Officer"), officers, labels),
        _grouped(_("Satisfaction by service"), _("Service"), satisfaction.by_service, labels),
        Table(
            _("Reasons for not satisfied"),
            [_("Reason"), _("Ratings")],
            [[label, total.reasons[code]] for code, label in labels.items()],
        ),
    ]
