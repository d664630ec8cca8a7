"""Group names in a report: a counter's name, with its number when counters share it."""

from __future__ import annotations

from collections import Counter as Counts
from typing import TypeVar

T = TypeVar("T")


def by_counter_name(groups: dict[tuple[int, str], T]) -> dict[str, T]:
    """``{(number, name): tally}`` keyed by name in counter order. A name that two
    counters share gets the number in front (as on the admin pages), so that neither
    counter's figures hide the other's."""
    names = Counts(name for _number, name in groups)
    return {
        (name if names[name] == 1 else f"{number} · {name}"): groups[(number, name)]
        for number, name in sorted(groups)
    }
