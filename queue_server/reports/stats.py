"""Summary statistics of durations: mean, median and the nearest-rank 90th percentile."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Durations:
    """Summary of a set of durations in seconds (``None`` when there are none)."""

    count: int
    mean: float | None
    median: float | None
    p90: float | None


def nearest_rank(sorted_values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile: the value at rank ``ceil(fraction × n)`` (1-based).

    It is always one of the observed values: at least ``fraction`` of the values are
    less than or equal to it. For 10 values p90 is the 9th smallest, for 5 the 5th.
    """
    if not sorted_values:
        raise ValueError("no values")
    if not 0 < fraction <= 1:
        raise ValueError("fraction must be in (0, 1]")
    rank = math.ceil(fraction * len(sorted_values))
    return float(sorted_values[rank - 1])


def summarize(seconds: Sequence[float]) -> Durations:
    """Mean, median (middle value, or mean of the two middle ones) and nearest-rank p90."""
    if not seconds:
        return Durations(0, None, None, None)
    ordered = sorted(seconds)
    return Durations(
        count=len(ordered),
        mean=statistics.fmean(ordered),
        median=float(statistics.median(ordered)),
        p90=nearest_rank(ordered, 0.9),
    )
