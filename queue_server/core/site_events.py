"""The event of an outreach site's merge (kept apart from :mod:`.events` for size; that
module imports it into the one registry of event types)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from queue_server.core.event_base import DomainEvent


@dataclass(frozen=True, slots=True)
class SiteImported(DomainEvent):
    """An outreach site's export was merged: its session, site code and the rows new
    here per kind (none new: no event, nothing changed)."""

    name: ClassVar[str] = "site_imported"
    session_id: int
    site_code: str
    new: dict[str, int]
