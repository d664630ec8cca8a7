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
    """The queue cannot work now: the database is locked by another process, its disk
    is full, or its file is gone. Nothing was changed; the request may be retried after
    ``retry_after_s``."""

    code = "unavailable"

    def __init__(
        self, message: str, *, reason: str = "unavailable", retry_after_s: int = 30
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.retry_after_s = retry_after_s


class NotAllowed(Rejected):
    """The caller may not do this here (e.g. a counter calling a service it does not
    serve); the message says why."""

    code = "not_allowed"
