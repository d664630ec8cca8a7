"""Errors raised by queue operations; messages are translated for people."""

from __future__ import annotations


class QueueError(Exception):
    """Base class. ``message`` is already translated; ``code`` is for machines."""

    code = "queue_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(QueueError):
    """An unknown service, counter, category or ticket."""

    code = "not_found"


class InvalidState(QueueError):
    """The operation does not fit the current state (e.g. recall with nobody called)."""

    code = "invalid_state"


class Rejected(QueueError):
    """The request is understood but not allowed (e.g. an inactive service)."""

    code = "rejected"


class Unavailable(QueueError):
    """The queue cannot work now (e.g. its database file is gone); try again later."""

    code = "unavailable"
