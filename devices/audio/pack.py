"""Voice packs: a folder of mono WAV clips, one per word or phrase, plus ``manifest.json``.

A clip's file is its text in NFC with ``.wav`` appended (``mười.wav`` and ``mươi.wav`` are
different clips). Keys starting with ``_`` are not speech (``_chime``).
"""

from __future__ import annotations

import json
import threading
import unicodedata
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from xephang.devices.audio.config import DEFAULT_PACK
from xephang.devices.audio.wavio import Audio, read_wav, resample, to_mono16
from xephang.i18n import _

PACKS_DIR = Path(__file__).with_name("packs")
MANIFEST = "manifest.json"


class PackError(Exception):
    """A voice pack cannot be used; the message is meant for a person."""


def clip_filename(key: str) -> str:
    """File name of the clip for ``key``: its NFC text plus ``.wav``."""
    key = unicodedata.normalize("NFC", key)
    if not key or "/" in key or "\\" in key or key.startswith("."):
        raise ValueError(f"not a usable clip name: {key!r}")
    return f"{key}.wav"


class ClipEntry(BaseModel):
    """One clip: the words it says and its file inside the pack."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    file: str = Field(min_length=5)

    @field_validator("text")
    @classmethod
    def _nfc(cls, value: str) -> str:
        return unicodedata.normalize("NFC", value)


class PackManifest(BaseModel):
    """``manifest.json`` of a voice pack."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    language: str = Field(min_length=2)
    sample_rate: int = Field(ge=8000, le=48000)
    description: str = ""
    source: str = ""
    clips: list[ClipEntry]

    def by_text(self) -> dict[str, ClipEntry]:
        return {clip.text: clip for clip in self.clips}


def resolve_pack(name_or_path: str | Path) -> Path:
    """Folder of a pack given by path or by the name of a bundled pack."""
    path = Path(name_or_path)
    if (path / MANIFEST).is_file():
        return path
    bundled = PACKS_DIR / str(name_or_path)
    if (bundled / MANIFEST).is_file():
        return bundled
    raise PackError(
        _("no voice pack at {path} (a folder with {manifest} is needed)").format(
            path=name_or_path, manifest=MANIFEST
        )
    )


def read_manifest(folder: Path) -> PackManifest:
    """Parse ``folder/manifest.json``; :class:`PackError` says what is wrong."""
    try:
        raw = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return PackManifest.model_validate(raw)
    except FileNotFoundError:
        message = _("{folder}: {manifest} is missing").format(folder=folder, manifest=MANIFEST)
        raise PackError(message) from None
    except json.JSONDecodeError as exc:
        message = _("{path}: not valid JSON ({error})").format(path=folder / MANIFEST, error=exc)
        raise PackError(message) from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise PackError(f"{folder / MANIFEST}: {where}: {first['msg']}") from None


class VoicePack:
    """A loaded pack; clips are read on first use and kept in memory at the pack's rate."""

    def __init__(self, folder: Path, manifest: PackManifest) -> None:
        self.folder = folder
        self.manifest = manifest
        self._entries = manifest.by_text()
        self._audio: dict[str, Audio] = {}
        self._lock = threading.Lock()

    @classmethod
    def load(cls, name_or_path: str | Path = DEFAULT_PACK) -> VoicePack:
        folder = resolve_pack(name_or_path)
        return cls(folder, read_manifest(folder))

    @property
    def name(self) -> str:
        return self.manifest.name

    @property
    def language(self) -> str:
        return self.manifest.language

    @property
    def sample_rate(self) -> int:
        return self.manifest.sample_rate

    def has(self, key: str) -> bool:
        entry = self._entries.get(unicodedata.normalize("NFC", key))
        return entry is not None and (self.folder / entry.file).is_file()

    def clip_path(self, key: str) -> Path | None:
        """Path of the clip for ``key``, or ``None`` if the pack lacks it."""
        entry = self._entries.get(unicodedata.normalize("NFC", key))
        if entry is None or not (self.folder / entry.file).is_file():
            return None
        return self.folder / entry.file

    def audio(self, key: str) -> Audio | None:
        """Mono 16-bit audio of ``key`` at the pack's sample rate, or ``None``."""
        key = unicodedata.normalize("NFC", key)
        with self._lock:
            if key in self._audio:
                return self._audio[key]
        path = self.clip_path(key)
        if path is None:
            return None
        audio = resample(to_mono16(read_wav(path)), self.sample_rate)
        with self._lock:
            self._audio[key] = audio
        return audio
