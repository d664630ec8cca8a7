"""The app's one typed way to its :class:`~queue_server.runtime.Runtime`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app

if TYPE_CHECKING:
    from queue_server.runtime import Runtime

DeviceCheck = Callable[[], bool | dict[str, Any]]

EXTENSION = "xephang"  # the only key xephang keeps in ``app.extensions``


def runtime_of(app: Flask) -> Runtime:
    """The runtime ``app`` was built on (``create_app``)."""
    return app.extensions[EXTENSION]


def xephang() -> Runtime:
    """The runtime of the current app (in a request or socket handler)."""
    return runtime_of(current_app)
