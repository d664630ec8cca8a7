"""Configuration of voice announcements (pydantic, the ``[voice]`` table of the TOML).

Imports pydantic and the announcement rules only: the server's configuration loads it
without the renderer, the voice packs or espeak-ng.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from xephang.devices.audio.announcement import AnnouncementConfig

DEFAULT_PACK = "vi-espeak"


class VoiceConfig(BaseModel):
    """Voice announcements: which packs speak, fallback, cache, and what is said."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    pack: str = DEFAULT_PACK
    second_pack: str | None = None
    espeak_fallback: bool = True
    espeak_timeout_s: float = Field(5.0, gt=0, le=60)
    cache_dir: str | None = None
    cache_max_files: int = Field(500, ge=10, le=100_000)
    announcement: AnnouncementConfig = Field(default_factory=AnnouncementConfig)
