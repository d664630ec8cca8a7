"""The voice layer in one object: config → packs, espeak fallback, renderer.

``VoiceConfig`` lives in :mod:`xephang.devices.audio.config` (re-exported here).
"""

from __future__ import annotations

from pathlib import Path

from xephang.devices.audio.announcement import (
    Announcement,
    AnnouncementConfig,
    build_announcement,
)
from xephang.devices.audio.config import VoiceConfig
from xephang.devices.audio.espeak import Espeak
from xephang.devices.audio.pack import PackError, VoicePack
from xephang.devices.audio.render import DEFAULT_CACHE_DIR, RenderedAnnouncement, Renderer
from xephang.i18n import _
from xephang.langpack import find_pack

__all__ = ["Voice", "VoiceConfig"]


def _second_pack(spoken: AnnouncementConfig) -> str | Path:
    """A language pack's own clips (``voice/``), else the bundled espeak pack."""
    code = spoken.second_language
    pack = find_pack(code)
    if pack is not None and pack.voice_dir is not None:
        return pack.voice_dir
    return f"{code}-espeak"


class Voice:
    """Builds and renders calls according to a :class:`VoiceConfig`."""

    def __init__(self, config: VoiceConfig | None = None, *, cache_dir: Path | None = None) -> None:
        self.config = config or VoiceConfig()
        spoken = self.config.announcement
        pack = VoicePack.load(self.config.pack)
        if pack.language != spoken.language:
            raise PackError(
                _(
                    "voice pack {pack} speaks {pack_language}, announcements are in {language}"
                ).format(pack=pack.name, pack_language=pack.language, language=spoken.language)
            )
        packs = [pack]
        if spoken.second_language:
            packs.append(VoicePack.load(self.config.second_pack or _second_pack(spoken)))
        self.espeak = Espeak(timeout_s=self.config.espeak_timeout_s)
        folder = cache_dir or (Path(self.config.cache_dir) if self.config.cache_dir else None)
        self.renderer = Renderer(
            packs,
            cache_dir=folder or DEFAULT_CACHE_DIR,
            espeak=self.espeak if self.config.espeak_fallback else None,
            cache_max_files=self.config.cache_max_files,
        )

    def announcement(self, ticket: str, counter: str | int) -> Announcement:
        return build_announcement(ticket, counter, self.config.announcement)

    def render(self, ticket: str, counter: str | int) -> RenderedAnnouncement:
        """The WAV for calling ``ticket`` to ``counter`` (served to the hall display)."""
        return self.renderer.render(self.announcement(ticket, counter))

    def status(self) -> list[str]:
        """Lines for a status page: packs in use and the espeak-ng fallback."""
        lines = [
            _("voice pack {pack} ({language}, {rate} Hz)").format(
                pack=p.name, language=p.language, rate=p.sample_rate
            )
            for p in self.renderer.packs.values()
        ]
        if self.config.espeak_fallback:
            lines.append(self.espeak.status())
        return lines
