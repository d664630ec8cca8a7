"""Render an announcement: its clips and gaps joined into one WAV file, cached by content."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from xephang.devices.audio.announcement import CHIME, Announcement, Clip, Gap
from xephang.devices.audio.chime import synth_chime
from xephang.devices.audio.espeak import Espeak
from xephang.devices.audio.languages import LANGUAGES
from xephang.devices.audio.pack import VoicePack
from xephang.devices.audio.wavio import Audio, read_wav, resample, silence, write_wav

DEFAULT_CACHE_DIR = Path(tempfile.gettempdir()) / "xephang-voice-cache"


@dataclass(frozen=True)
class RenderedAnnouncement:
    """A rendered call: the WAV file and what went into it."""

    path: Path
    text: str
    spoken_text: str
    sample_rate: int
    frame_count: int
    missing: tuple[str, ...] = ()
    synthesized: tuple[str, ...] = ()

    @property
    def duration_s(self) -> float:
        return self.frame_count / self.sample_rate


class Renderer:
    """Joins pack clips (espeak-ng for missing words) into WAV files in ``cache_dir``."""

    def __init__(
        self,
        packs: VoicePack | Iterable[VoicePack],
        *,
        cache_dir: Path = DEFAULT_CACHE_DIR,
        espeak: Espeak | None = None,
        cache_max_files: int = 500,
    ) -> None:
        pack_list = [packs] if isinstance(packs, VoicePack) else list(packs)
        if not pack_list:
            raise ValueError("a renderer needs at least one voice pack")
        self.packs: Mapping[str, VoicePack] = {p.language: p for p in pack_list}
        self.sample_rate = pack_list[0].sample_rate
        self.cache_dir = Path(cache_dir)
        self.espeak = espeak
        self.cache_max_files = cache_max_files
        self._fingerprint = json.dumps(
            [[p.name, p.language, p.sample_rate, str(p.folder)] for p in pack_list]
        )
        self._chime: Audio | None = None
        self._lock = threading.Lock()

    def clip_audio(self, clip: Clip) -> tuple[Audio | None, bool]:
        """Audio of ``clip`` at the output rate and whether espeak-ng made it."""
        pack = self.packs.get(clip.language)
        if pack is not None:
            audio = pack.audio(clip.key)
            if audio is not None:
                return resample(audio, self.sample_rate), False
        if clip.key == CHIME:
            with self._lock:
                if self._chime is None:
                    self._chime = synth_chime(self.sample_rate)
                return self._chime, False
        if self.espeak is None or clip.language not in LANGUAGES:
            return None, False
        lang = LANGUAGES[clip.language]
        text = lang.espeak_text.get(clip.key, clip.key)
        audio = self.espeak.synthesize(text, lang.espeak_voice, self.sample_rate)
        return audio, audio is not None

    def cache_key(self, announcement: Announcement) -> str:
        """Same clips, gaps and packs give the same key (and the same file)."""
        items = [[i.language, i.key] if isinstance(i, Clip) else i.ms for i in announcement.items]
        blob = json.dumps([self._fingerprint, self.sample_rate, items], ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]

    def render(self, announcement: Announcement) -> RenderedAnnouncement:
        """The WAV of ``announcement``, from the cache when it was rendered before."""
        path = self.cache_dir / f"{self.cache_key(announcement)}.wav"
        if path.is_file():
            os.utime(path)
            return RenderedAnnouncement(
                path=path,
                text=announcement.display_text,
                spoken_text=announcement.spoken_text,
                sample_rate=self.sample_rate,
                frame_count=read_wav(path).frame_count,
            )
        parts: list[bytes] = []
        missing: list[str] = []
        synthesized: list[str] = []
        for item in announcement.items:
            if isinstance(item, Gap):
                parts.append(silence(self.sample_rate, item.ms))
                continue
            audio, by_espeak = self.clip_audio(item)
            if audio is None:
                missing.append(item.key)
                continue
            if by_espeak:
                synthesized.append(item.key)
            parts.append(audio.frames)
        frames = b"".join(parts)
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        target = path if not missing else self.cache_dir / f"incomplete-{path.name}"
        temporary = target.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        write_wav(temporary, Audio(frames, self.sample_rate))
        os.replace(temporary, target)
        self._evict()
        return RenderedAnnouncement(
            path=target,
            text=announcement.display_text,
            spoken_text=announcement.spoken_text,
            sample_rate=self.sample_rate,
            frame_count=len(frames) // 2,
            missing=tuple(dict.fromkeys(missing)),
            synthesized=tuple(dict.fromkeys(synthesized)),
        )

    def _evict(self) -> None:
        dated: list[tuple[int, Path]] = []
        for file in self.cache_dir.glob("*.wav"):
            try:
                dated.append((file.stat().st_mtime_ns, file))
            except FileNotFoundError:
                continue
        dated.sort()
        for _mtime, old in dated[: max(0, len(dated) - self.cache_max_files)]:
            old.unlink(missing_ok=True)
