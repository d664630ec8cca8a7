"""The queue of one center: its commands and read models behind one object.

Each command is one short transaction that returns domain events (an :class:`Outcome`);
device I/O never happens here: the events are written to the outbox with the change,
and callers hand the outcome's envelopes to the relay after commit.
The commands live in :mod:`~queue_server.core.issuing`, :mod:`~queue_server.core.calling`
and :mod:`~queue_server.core.lifecycle`, the read models in
:mod:`~queue_server.core.queries`; all are functions of a
:class:`~queue_server.core.context.QueueContext`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from queue_server.core import calling, issuing, lifecycle, queries
from queue_server.core.clockguard import ClockSuspect
from queue_server.core.context import Outcome, QueueContext, QueueOptions
from queue_server.core.outbox import recording
from queue_server.core.views import status_label

__all__ = ["Outcome", "Queue", "QueueOptions", "status_label"]

T = TypeVar("T")
P = ParamSpec("P")
C = TypeVar("C", bound=QueueContext)


def guarded(
    command: Callable[Concatenate[C, P], Outcome[T]],
) -> Callable[Concatenate[C, P], Outcome[T]]:
    """``command`` that, when refused for a suspect clock, stores and audits the
    suspicion after its transaction rolled back (docs/outages.md)."""

    @functools.wraps(command)
    def run(ctx: C, /, *args: P.args, **kwargs: P.kwargs) -> Outcome[T]:
        try:
            return command(ctx, *args, **kwargs)
        except ClockSuspect:
            ctx.clock_guard.flush(ctx.db)
            raise

    return run


class Queue(QueueContext):
    """The ticket queue of one center.

    Each method is the module function of the same name, with the queue as its context
    (a function stored on a class is a method: ``queue.issue("HT")`` is
    ``issuing.issue(queue, "HT")``), so signatures and docstrings are written once.
    Each command is wrapped by :func:`~queue_server.core.outbox.recording`: its events
    are written to the outbox in its own transaction, and its outcome's ``envelopes``
    are them, numbered, for the relay.
    """

    # Commands: giving tickets.
    issue = guarded(recording(issuing.issue))
    reprint = recording(issuing.reprint)
    # Commands: a counter's calling.
    call_next = guarded(recording(calling.call_next))
    call_ticket = guarded(recording(calling.call_ticket))
    recall = guarded(recording(calling.recall))
    pause = recording(calling.pause)
    resume = recording(calling.resume)
    # Commands: after the call.
    start_serving = recording(lifecycle.start_serving)
    finish = recording(lifecycle.finish)
    no_show = recording(lifecycle.no_show)
    transfer = recording(lifecycle.transfer)
    cancel = recording(lifecycle.cancel)
    close_day = recording(lifecycle.close_day)
    # Read models.
    ticket = queries.ticket
    ticket_by_number = queries.ticket_by_number
    ticket_by_track_code = queries.ticket_by_track_code
    counter = queries.counter
    waiting_for_counter = queries.waiting_for_counter
    snapshot = queries.snapshot
