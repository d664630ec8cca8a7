"""Apply a settings change to the running server: save, swap, tell screens and devices."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from queue_server.core.overrides import save_sections
from queue_server.settings import Settings

if TYPE_CHECKING:
    from queue_server.runtime import Runtime

_change_lock = threading.Lock()  # one admin change at a time in this process


def change_settings(state: Runtime, changes: Mapping[str, Any], actor: str) -> Settings:
    """Validate and save ``changes`` (section → value); they take effect at once.

    One transaction saves the overrides, the audit entries and the catalogue tables;
    then the queue forgets its cached catalogue, the app's settings are swapped and
    ``settings_changed`` goes on the bus (screens redraw, device workers rebuild).
    Raises the configuration error (naming the field) or ``Rejected``.
    """
    with _change_lock:
        new, event = save_sections(
            state.queue.db,
            state.file_settings or state.settings,
            state.settings,
            changes,
            actor=actor,
            now=state.queue.clock.now(),
        )
        if not event.sections:
            return new
        state.settings = new
        state.queue.reload()
        state.bus.publish([event])
    return new
