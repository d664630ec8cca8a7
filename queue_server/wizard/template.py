"""The ward template: the services, counters and priority categories a new center starts
from.

They are the demo center's (``config/demo.toml``): one place for the common procedures of a
ward center (the fields of procedures of the plans in docs) and the priority categories of
the plans, so that the demo and a real center start from the same list.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from queue_server.cli.context import DEMO_CONFIG


@dataclass(frozen=True)
class WardTemplate:
    """Plain TOML tables, as in center.toml."""

    services: list[dict[str, Any]]
    counters: list[dict[str, Any]]
    priorities: list[dict[str, Any]]

    def service(self, code: str) -> dict[str, Any] | None:
        return next((s for s in self.services if s["code"] == code), None)

    def counter(self, number: int) -> dict[str, Any] | None:
        return next((c for c in self.counters if c["number"] == number), None)

    def priority(self, code: str) -> dict[str, Any] | None:
        return next((p for p in self.priorities if p["code"] == code), None)


def ward_template(path: Path = DEMO_CONFIG) -> WardTemplate:
    """The template read from ``path`` (the demo center by default)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return WardTemplate(
        services=[s for s in data["services"] if s.get("active", True)],
        counters=[c for c in data["counters"] if c.get("active", True)],
        priorities=[p for p in data.get("priorities", []) if p.get("active", True)],
    )
