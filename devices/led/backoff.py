"""Exponential back-off: initial, ×2 each failure, capped."""

from __future__ import annotations


class Backoff:
    """``next()`` gives 1, 2, 4 … max seconds; ``reset()`` after a success."""

    def __init__(self, initial_s: float, max_s: float) -> None:
        self.initial_s = initial_s
        self.max_s = max_s
        self._next = initial_s

    def next(self) -> float:
        delay = self._next
        self._next = min(self._next * 2, self.max_s)
        return delay

    def reset(self) -> None:
        self._next = self.initial_s
