"""What the app keeps in ``app.extensions["xephang"]``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app

from queue_server.bus import EventBus
from queue_server.core.operations import Queue
from queue_server.settings import Settings
from queue_server.web.metrics import Metrics
from queue_server.web.ratelimit import RateLimiter

DeviceCheck = Callable[[], bool | dict[str, Any]]


@dataclass
class XephangState:
    """The queue, the bus and the helpers every request uses."""

    settings: Settings
    queue: Queue
    bus: EventBus
    issue_limiter: RateLimiter
    metrics: Metrics
    # name → callable returning True/False or {"ok": bool, ...}; filled by the device layer.
    device_status: dict[str, DeviceCheck] = field(default_factory=dict)
    socketio: Any = None
    # The settings as the TOML file has them; ``settings`` adds the admin pages' changes.
    file_settings: Settings | None = None


def xephang() -> XephangState:
    """The state of the current app."""
    return current_app.extensions["xephang"]
