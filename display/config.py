"""Configuration of the live screens (``[screens]`` in the center's TOML)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ScreensConfig(BaseModel):
    """How the live screens behave (``[screens]`` in the configuration)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    display_open: bool = False  # /display without a token (read-only; LAN you trust)
    highlight_s: int = Field(8, ge=1, le=60)  # how long a new call stays highlighted
    recent_calls: int = Field(6, ge=1, le=20)
    kiosk_timeout_s: int = Field(20, ge=5, le=600)  # back to the start after this
    announce: bool = True  # the hall display speaks each call
    volume: float = Field(1.0, ge=0.0, le=1.0)
