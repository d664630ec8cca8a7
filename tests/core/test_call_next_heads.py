"""Call-next reads only the heads of the queue's groups on SQLite (two tickets per
(service, category) group): every call must still be the one the policy puts first
over the whole waiting list, with the priority streak counted as over the whole list."""

from __future__ import annotations

import random

from queue_server.core.clock import FrozenClock
from queue_server.core.operations import Queue

CATEGORIES = [None, None, None, "elderly", "disabled", "ethnic_minority", "emergency"]
SERVICES = ["HT", "CT", "CTR", "BTXH", "NCC"]  # counters 2, 3, 4 and 6 share them
COUNTERS = [2, 3, 4, 6]


def test_each_call_is_the_head_of_the_whole_policy_order(queue: Queue, clock: FrozenClock) -> None:
    rng = random.Random(19)
    for _ in range(120):  # long groups: far more than two tickets in each
        queue.issue(rng.choice(SERVICES), rng.choice(CATEGORIES))
        clock.advance(seconds=rng.randint(1, 20))
    calls = transfers = 0
    for _ in range(260):
        action = rng.random()
        if action < 0.25:
            queue.issue(rng.choice(SERVICES), rng.choice(CATEGORIES))
        elif action < 0.32 and queue.counter(2).current is not None:
            to_counter = rng.choice([None, 4])  # to the service, or to one counter of it
            queue.transfer(2, "CT", to_counter=to_counter)
            transfers += 1
        else:
            counter = rng.choice(COUNTERS)
            whole_order = queue.waiting_for_counter(counter)  # every waiting ticket
            called = queue.call_next(counter).value
            expected = whole_order[0].id if whole_order else None
            assert (called.id if called else None) == expected
            calls += 1
        clock.advance(seconds=rng.randint(1, 90))
    assert calls > 150 and transfers > 3
