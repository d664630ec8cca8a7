"""Per-connection limit on ``resync`` (a fresh snapshot on demand).

A screen asks for a snapshot only when it sees a gap in ``seq`` or after a settings
change, a few times an hour. A client that sends ``resync`` in a loop would otherwise
make the server build and send a full snapshot for each frame (2,000 frames made 11 MB).
Each connection gets a small bucket: ``burst`` snapshots at once, then one every
``interval_s`` seconds; a refused ``resync`` is answered with ``retry_after`` instead.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from datetime import datetime

RESYNC_BURST = 5
RESYNC_INTERVAL_S = 2.0
PRUNE_ABOVE = 256  # connections kept before full (idle) buckets are forgotten


class ResyncLimiter:
    """A token bucket per Socket.IO connection (``sid``), on the app's clock."""

    def __init__(
        self,
        now: Callable[[], datetime],
        burst: int = RESYNC_BURST,
        interval_s: float = RESYNC_INTERVAL_S,
    ) -> None:
        self.burst = float(burst)
        self.interval_s = interval_s
        self._now = now
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def hit(self, sid: str) -> int:
        """Take one snapshot for ``sid``: 0 if allowed, else seconds to wait."""
        now = self._now().timestamp()
        with self._lock:
            tokens = self._tokens(sid, now)
            if tokens >= 1.0:
                self._buckets[sid] = (tokens - 1.0, now)
                self._prune(now)
                return 0
            self._buckets[sid] = (tokens, now)
            return max(1, math.ceil((1.0 - tokens) * self.interval_s))

    def _tokens(self, sid: str, now: float) -> float:
        tokens, last = self._buckets.get(sid, (self.burst, now))
        return min(self.burst, tokens + max(0.0, now - last) / self.interval_s)

    def _prune(self, now: float) -> None:
        """Forget buckets that are full again: they behave like new ones."""
        if len(self._buckets) > PRUNE_ABOVE:
            full = [sid for sid in self._buckets if self._tokens(sid, now) >= self.burst]
            for sid in full:
                del self._buckets[sid]
