"""Placeholder report sections for features built on other branches.

Appointments get their own figures
module; until they are merged, ``Report`` holds these empty sections so that the JSON
report always has every key. Each ``as_json()`` returns the section's structure with no
records (documented in docs/reports.md as "no records"). The integrator replaces each
class with the real one of the same field name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def _no_records() -> dict[str, Any]:
    return {"total": 0, "by_category": {}}


@dataclass
class Appointments:
    """Appointments (lịch hẹn): none recorded yet."""

    def as_json(self) -> dict[str, Any]:
        return _no_records()
