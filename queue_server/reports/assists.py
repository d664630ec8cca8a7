"""Help records (lượt hỗ trợ) in a report: counts per kind of help × priority category.

One help record is one kind of help given to one citizen (a citizen helped in two ways
counts in two kinds; a ticket counts once per kind). Only counts leave this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select

from queue_server.core.assist_config import DEFAULT_KINDS, HelpKindConfig
from queue_server.core.models import Assist, PriorityCategory


@dataclass
class HelpCounts:
    """Help records of a report's days. ``kinds`` and ``categories`` hold display names in
    the order to show them; ``cells`` maps (kind, category or None) to a count."""

    kinds: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    cells: dict[tuple[str, str | None], int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.cells.values())

    def kind_total(self, kind: str) -> int:
        return sum(n for (k, _c), n in self.cells.items() if k == kind)

    def category_total(self, category: str | None) -> int:
        return sum(n for (_k, c), n in self.cells.items() if c == category)

    @property
    def with_priority(self) -> int:
        """Help records of citizens with any priority category."""
        return self.total - self.category_total(None)

    def as_json(self) -> dict[str, Any]:
        """See docs/reports.md, ``assists``: rows per kind, one count per category."""
        return {
            "total": self.total,
            "with_priority": self.with_priority,
            "categories": list(self.categories),
            "by_kind": [
                {
                    "kind": kind,
                    "total": self.kind_total(kind),
                    "by_category": {c: self.cells.get((kind, c), 0) for c in self.categories},
                    "no_category": self.cells.get((kind, None), 0),
                }
                for kind in self.kinds
            ],
            "by_category": {c: self.category_total(c) for c in self.categories},
            "no_category": self.category_total(None),
        }


def help_counts(
    conn: Connection,
    start: date,
    end: date,
    kinds: Sequence[HelpKindConfig] = DEFAULT_KINDS,
) -> HelpCounts:
    """Count the help records of local days ``start``..``end`` in ``conn``'s transaction.

    Rows: every active kind and every kind with records (a code no longer configured is
    shown as itself); columns: every active category and every category with records."""
    rows = conn.execute(
        select(Assist.kind, PriorityCategory.name, func.count())
        .outerjoin(PriorityCategory, PriorityCategory.id == Assist.priority_id)
        .where(Assist.day >= start, Assist.day <= end)
        .group_by(Assist.kind, PriorityCategory.name)
    ).all()
    names = {kind.code: kind.name for kind in kinds}
    counts = HelpCounts()
    for code, category, count in rows:
        key = (names.get(code, code), category)
        counts.cells[key] = counts.cells.get(key, 0) + int(count)
    seen_kinds = {kind for kind, _category in counts.cells}
    counts.kinds = [k.name for k in kinds if k.active or k.name in seen_kinds]
    counts.kinds += sorted(seen_kinds - set(counts.kinds))
    categories = conn.execute(
        select(PriorityCategory.name, PriorityCategory.active).order_by(
            PriorityCategory.position, PriorityCategory.id
        )
    ).all()
    seen_categories = {category for _kind, category in counts.cells}
    counts.categories = [name for name, active in categories if active or name in seen_categories]
    return counts
