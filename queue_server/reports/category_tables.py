"""The priority-category sections of a report as translated tables: per category (with
the "all priority categories" row of vulnerable citizens), category × service, and
satisfaction per category."""

from __future__ import annotations

from queue_server.core.ratings import ScoreTally
from queue_server.i18n import _
from queue_server.reports.categories import CategoryFigures, CategoryRow
from queue_server.reports.compute import Report
from queue_server.reports.tables import Cell, Table, minutes
from queue_server.reports.tally import Tally


def _labelled_rows(figures: CategoryFigures) -> list[tuple[str, CategoryRow | None]]:
    """Ordinary categories, the all-priority row (``None``), then the emergency
    categories (not vulnerable citizens) — the order of every category table."""
    rows: list[tuple[str, CategoryRow | None]] = [
        (row.info.name, row) for row in figures.vulnerable_rows if row.info
    ]
    rows.append((_("All priority categories (vulnerable citizens)"), None))
    rows += [(row.info.name, row) for row in figures.emergency_rows if row.info]
    return rows


def _percent_satisfied(tally: ScoreTally | None) -> float | None:
    return None if tally is None else tally.percent_satisfied


def priority_table(report: Report) -> Table:
    """Per category: issued, served, no-show, issued by the help desk, mean wait and %
    satisfied; the row of all (ordinary) categories; emergencies; no category."""
    figures = report.by_category
    ratings = report.satisfaction.by_category
    vulnerable_ratings = ScoreTally()
    for category in figures.vulnerable_rows:
        scores = ratings.get(category.info.name if category.info else None)
        if scores is not None:
            _add_scores(vulnerable_ratings, scores)

    def cells(label: str, tally: Tally, helpdesk: int, scores: ScoreTally | None) -> list[Cell]:
        counts: list[Cell] = [tally.issued, tally.served, tally.no_show, helpdesk]
        return [label, *counts, minutes(tally.wait.mean), _percent_satisfied(scores)]

    rows: list[list[Cell]] = []
    for label, row in _labelled_rows(figures):
        if row is None:
            rows.append(
                cells(label, figures.vulnerable, figures.vulnerable_helpdesk, vulnerable_ratings)
            )
        else:
            rows.append(cells(label, row.tally, row.helpdesk, ratings.get(label)))
    none = figures.no_category
    rows.append(cells(_("No priority category"), none.tally, none.helpdesk, ratings.get(None)))
    headers = [
        _("Priority category"),
        _("Tickets issued"),
        _("Served"),
        _("No-show"),
        _("Issued by the help desk"),
        _("Mean wait (min)"),
        _("% satisfied"),
    ]
    return Table(_("Priority categories"), headers, rows, key="priority")


def _add_scores(target: ScoreTally, source: ScoreTally) -> None:
    target.very_satisfied += source.very_satisfied
    target.satisfied += source.satisfied
    target.not_satisfied += source.not_satisfied
    target.reasons.update(source.reasons)


def category_service_table(report: Report) -> Table:
    """Tickets issued per priority category (rows) × service (columns), with totals."""
    figures = report.by_category
    services = figures.services

    def counts(label: str, by_service: dict[str, Tally], total: int) -> list[Cell]:
        found = [by_service[s].issued if s in by_service else 0 for s in services]
        return [label, *found, total]

    rows: list[list[Cell]] = []
    for label, row in _labelled_rows(figures):
        if row is None:
            merged: dict[str, Tally] = {}
            for vulnerable in figures.vulnerable_rows:
                for service, tally in vulnerable.by_service.items():
                    merged.setdefault(service, Tally()).merge(tally)
            rows.append(counts(label, merged, figures.vulnerable.issued))
        else:
            rows.append(counts(label, row.by_service, row.tally.issued))
    none = figures.no_category
    rows.append(counts(_("No priority category"), none.by_service, none.tally.issued))
    rows.append([_("Total"), *(t.issued for t in report.by_service.values()), report.total.issued])
    headers = [_("Priority category"), *services, _("Total")]
    return Table(_("Tickets per priority category and service"), headers, rows, key="by_category")


def category_satisfaction_table(report: Report) -> Table:
    """Ratings per priority category of the rated ticket."""
    rows: list[list[Cell]] = []
    for name, tally in report.satisfaction.by_category.items():
        label = _("No priority category") if name is None else name
        counts: list[Cell] = [tally.count, tally.very_satisfied, tally.satisfied]
        rows.append([label, *counts, tally.not_satisfied, tally.percent_satisfied])
    headers = [
        _("Priority category"),
        _("Ratings"),
        _("Very satisfied"),
        _("Satisfied"),
        _("Not satisfied"),
        _("% satisfied"),
    ]
    return Table(
        _("Satisfaction by priority category"), headers, rows, key="satisfaction_by_category"
    )
