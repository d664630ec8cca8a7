"""The queue of one center: its commands and read models behind one object.

Each command is one short transaction that returns domain events (an :class:`Outcome`);
device I/O never happens here: callers publish the returned events after commit.
The commands live in :mod:`~queue_server.core.issuing`, :mod:`~queue_server.core.calling`
and :mod:`~queue_server.core.lifecycle`, the read models in
:mod:`~queue_server.core.queries`; all are functions of a
:class:`~queue_server.core.context.QueueContext`.
"""

from __future__ import annotations

from queue_server.core import calling, issuing, lifecycle, queries
from queue_server.core.context import Outcome, QueueContext, QueueOptions
from queue_server.core.views import status_label

__all__ = ["Outcome", "Queue", "QueueOptions", "status_label"]


class Queue(QueueContext):
    """The ticket queue of one center.

    Each method is the module function of the same name, with the queue as its context
    (a function stored on a class is a method: ``queue.issue("HT")`` is
    ``issuing.issue(queue, "HT")``), so signatures and docstrings are written once.
    """

    # Commands: giving tickets.
    issue = issuing.issue
    reprint = issuing.reprint
    # Commands: a counter's calling.
    call_next = calling.call_next
    call_ticket = calling.call_ticket
    recall = calling.recall
    pause = calling.pause
    resume = calling.resume
    # Commands: after the call.
    start_serving = lifecycle.start_serving
    finish = lifecycle.finish
    no_show = lifecycle.no_show
    transfer = lifecycle.transfer
    cancel = lifecycle.cancel
    close_day = lifecycle.close_day
    # Read models.
    ticket = queries.ticket
    ticket_by_number = queries.ticket_by_number
    ticket_by_track_code = queries.ticket_by_track_code
    counter = queries.counter
    waiting_for_counter = queries.waiting_for_counter
    snapshot = queries.snapshot
