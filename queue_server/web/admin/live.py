"""Apply a settings change to the running server: save, swap, tell screens and devices."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from queue_server.core.context import Outcome
from queue_server.core.outbox import recorded
from queue_server.core.overrides import save_sections
from queue_server.settings import Settings

if TYPE_CHECKING:
    from queue_server.runtime import Runtime

_change_lock = threading.Lock()  # one admin change at a time in this process


def change_settings(state: Runtime, changes: Mapping[str, Any], actor: str) -> Settings:
    """Validate and save ``changes`` (section → value); they take effect at once.

    One transaction saves the overrides, the audit entries, the catalogue tables and
    the ``settings_changed`` event; then the queue forgets its cached catalogue, the
    app's settings are swapped and the event goes to the relay (screens redraw, device
    workers rebuild; other server processes load the new settings when it reaches them).
    Raises the configuration error (naming the field) or ``Rejected``.
    """

    def save() -> Outcome[Settings]:
        new, event = save_sections(
            state.queue.db,
            state.file_settings or state.settings,
            state.settings,
            changes,
            actor=actor,
            now=state.queue.clock.now(),
        )
        return Outcome(new, [event] if event.sections else [])

    with _change_lock:
        outcome = recorded(state.queue.db, save)
        if not outcome.envelopes:
            return outcome.value
        state.settings = outcome.value
        state.queue.reload()
        state.relay.publish(outcome.envelopes)
    return outcome.value
