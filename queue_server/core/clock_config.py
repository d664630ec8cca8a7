"""The clock guard's settings (``[clock]``; docs/outages.md): no database imports."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ClockConfig(BaseModel):
    """When the server's clock is suspect (docs/outages.md)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    back_tolerance_s: int = Field(120, ge=0, le=86_400)  # behind the last event by more
    forward_days: int = Field(10, ge=1, le=3_650)  # ahead of the last event by more
