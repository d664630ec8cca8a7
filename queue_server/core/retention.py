"""How long records stay where: the live tables, the archive, personal data.

These sections of the configuration belong to the domain: ``[archive]``,
``[privacy]`` and ``[maintenance]`` (see docs/configuration.md).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ArchiveConfig(_Model):
    """Tickets of days older than ``keep_days`` move to the archive tables."""

    keep_days: int = Field(7, ge=1, le=3650)


class PrivacyConfig(_Model):
    """Phone numbers given for a callback are deleted after ``contact_days``; the phone
    number and address of a home visit ``visit_days`` after the visit was closed."""

    contact_days: int = Field(30, ge=1, le=365)
    visit_days: int = Field(30, ge=1, le=365)


class MaintenanceConfig(_Model):
    """The daily maintenance run by the server: close the day, archive, purge."""

    enabled: bool = True
    hour: int = Field(2, ge=0, le=23)  # local hour; a missed run is made at start-up
