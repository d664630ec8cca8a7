"""Bare upgrades are closed spread out, so a reopening flood cannot come back in a burst."""

from __future__ import annotations

import time

from flask import Flask
from flask_socketio import SocketIO

from queue_server.web.join_guard import MAX_CLOSES_PER_SWEEP, JoinGuard


def test_deadlines_are_spread_between_half_and_all_of_the_timeout() -> None:
    guard = JoinGuard(SocketIO(Flask(__name__), async_mode="threading"), timeout_s=10.0)
    guard._sweeping = True  # no sweep task: only the deadlines are looked at
    before = time.monotonic()
    for n in range(500):
        guard.watch(f"sid-{n}")
    after = time.monotonic()
    waits = sorted(deadline - before for deadline in guard._deadlines.values())
    assert waits[0] >= 5.0 and waits[-1] <= 10.0 + (after - before)
    assert waits[-1] - waits[0] > 2.5  # spread, not one instant
    assert MAX_CLOSES_PER_SWEEP <= 50  # closes are paced (see docs/benchmarks.md)
