"""Voice packs recorded on the admin page: a draft folder per pack, published when complete.

``<data>/voice/drafts/<name>/`` is a pack folder in the making (clips, ``manifest.json``
kept up to date, and ``draft.json`` saying where each clip came from). Publishing checks it
with :func:`~xephang.devices.audio.check.check_pack` and copies it to
``<data>/voice/packs/<name>-<time>/``: a new folder each time, so rendered calls cached
for an earlier version are never served for the new one.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from xephang.devices.audio.announcement import CHIME, AnnouncementConfig, build_announcement
from xephang.devices.audio.check import check_pack
from xephang.devices.audio.chime import synth_chime
from xephang.devices.audio.cleanup import clean_take, peaks
from xephang.devices.audio.languages import language
from xephang.devices.audio.pack import MANIFEST, VoicePack, clip_filename
from xephang.devices.audio.recording import required_clips, write_manifest
from xephang.devices.audio.render import Renderer
from xephang.devices.audio.wavio import Audio, read_wav, to_mono16, write_wav
from xephang.i18n import _

DRAFTS_DIR = Path("voice") / "drafts"
PACKS_DIR = Path("voice") / "packs"
DRAFT_FILE = "draft.json"
NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
SAMPLE_RATE = 22050
SOURCES = ("microphone", "upload", "copied", "synthesised")


class DraftError(Exception):
    """The draft cannot do this; the message is meant for a person."""


@dataclass(frozen=True)
class ClipState:
    """One clip the pack needs, as the admin page shows it."""

    text: str
    group: str  # "chime", "phrase", "number" or "letter"
    source: str | None  # one of SOURCES, None while missing
    duration_s: float
    peaks: list[float]


def clip_groups(lang_code: str, templates: Iterable[str] = ()) -> list[tuple[str, str]]:
    """Every clip a pack needs (:func:`required_clips`, in order) with its group."""
    lang = language(lang_code)
    numbers, letters = set(lang.number_words), set(lang.letter_names.values())
    out: list[tuple[str, str]] = []
    for text in required_clips(lang_code, templates):
        if text == CHIME:
            group = "chime"
        elif text in numbers:
            group = "number"
        elif text in letters:
            group = "letter"
        else:
            group = "phrase"
        out.append((text, group))
    return out


def draft_names(data_dir: Path) -> list[str]:
    """Names of the drafts in ``data_dir``, sorted."""
    root = data_dir / DRAFTS_DIR
    return sorted(p.name for p in root.glob("*") if (p / DRAFT_FILE).is_file())


class Draft:
    """A draft pack folder and where each of its clips came from."""

    def __init__(self, folder: Path, info: dict[str, object]) -> None:
        self.folder = folder
        self.name = str(info["name"])
        self.language = str(info["language"])
        self.sample_rate = int(info["sample_rate"])  # type: ignore[call-overload]
        sources = info.get("sources")
        self.sources: dict[str, str] = dict(sources) if isinstance(sources, dict) else {}

    @classmethod
    def create(
        cls,
        data_dir: Path,
        name: str,
        lang_code: str,
        *,
        copy_from: VoicePack | None = None,
        templates: Iterable[str] = (),
    ) -> Draft:
        """A new draft with the chime, and the clips of ``copy_from`` when given."""
        if not NAME.match(name):
            raise DraftError(
                _(
                    "Use 1 to 40 small letters a–z, digits and dashes for the name, e.g. {example}."
                ).format(example="vi-phuong-1")
            )
        language(lang_code)
        folder = data_dir / DRAFTS_DIR / name
        if folder.exists():
            raise DraftError(_("A draft named {name} exists already.").format(name=name))
        folder.mkdir(parents=True)
        rate = copy_from.sample_rate if copy_from is not None else SAMPLE_RATE
        draft = cls(folder, {"name": name, "language": lang_code, "sample_rate": rate})
        write_wav(folder / clip_filename(CHIME), synth_chime(rate))
        draft.sources[CHIME] = "synthesised"
        if copy_from is not None:  # same rate: the files as they are
            for text, _group in clip_groups(lang_code, templates):
                source = copy_from.clip_path(text)
                if source is not None and text != CHIME:
                    shutil.copyfile(source, folder / clip_filename(text))
                    draft.sources[text] = "copied"
        draft._save()
        return draft

    @classmethod
    def open(cls, data_dir: Path, name: str) -> Draft:
        """The draft ``name``; :class:`DraftError` if there is none."""
        folder = data_dir / DRAFTS_DIR / name
        if not NAME.match(name) or not (folder / DRAFT_FILE).is_file():
            raise DraftError(_("There is no draft named {name}.").format(name=name))
        return cls(folder, json.loads((folder / DRAFT_FILE).read_text(encoding="utf-8")))

    def _save(self) -> None:
        """Write ``draft.json`` and a manifest listing the clips on disk."""
        texts = [t for t in self.sources if (self.folder / clip_filename(t)).is_file()]
        write_manifest(
            self.folder,
            name=self.name,
            lang_code=self.language,
            sample_rate=self.sample_rate,
            texts=texts,
            source=_("recorded on the admin page"),
        )
        info = {
            "name": self.name,
            "language": self.language,
            "sample_rate": self.sample_rate,
            "sources": self.sources,
        }
        temporary = self.folder / f"{DRAFT_FILE}.tmp"
        temporary.write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
        temporary.replace(self.folder / DRAFT_FILE)

    def clip_path(self, text: str) -> Path | None:
        """The clip's file, or ``None`` if the draft lacks it."""
        text = unicodedata.normalize("NFC", text)
        if text not in self.sources:
            return None
        path = self.folder / clip_filename(text)
        return path if path.is_file() else None

    def put_take(self, text: str, wav: bytes, source: str, templates: Iterable[str] = ()) -> Audio:
        """Clean the take (``TakeError``) and keep it as the clip for ``text``."""
        text = unicodedata.normalize("NFC", text)
        if text not in dict(clip_groups(self.language, templates)):
            raise DraftError(_("The pack does not need a clip saying {text!r}.").format(text=text))
        if source not in SOURCES[:2]:
            raise DraftError(_("Unknown source of a recording: {source}").format(source=source))
        audio = clean_take(wav, self.sample_rate)
        target = self.folder / clip_filename(text)
        temporary = target.with_name(f".{target.name}.tmp")
        write_wav(temporary, audio)
        temporary.replace(target)
        self.sources[text] = source
        self._save()
        return audio

    def clips(self, templates: Iterable[str] = ()) -> list[ClipState]:
        """Every clip the pack needs, with its source, length and waveform."""
        states: list[ClipState] = []
        for text, group in clip_groups(self.language, templates):
            path = self.clip_path(text)
            if path is None:
                states.append(ClipState(text, group, None, 0.0, []))
                continue
            audio = to_mono16(read_wav(path))
            states.append(
                ClipState(
                    text, group, self.sources[text], round(audio.duration_s, 2), peaks(audio, 60)
                )
            )
        return states

    def problems(self, templates: Iterable[str] = ()) -> list[str]:
        """What the voice check finds in the draft (empty: ready to publish)."""
        return check_pack(self.folder, templates=list(templates))

    def sample_call(
        self, config: AnnouncementConfig, ticket: str, counter: str
    ) -> tuple[bytes, list[str]]:
        """A call assembled from the draft's clips only (no espeak-ng): WAV bytes and the
        words it lacks. ``ValueError`` for a ticket or counter that cannot be read."""
        spoken = config.model_copy(update={"second_language": None, "second_template": None})
        announcement = build_announcement(ticket, counter, spoken)
        pack = VoicePack.load(self.folder)
        with tempfile.TemporaryDirectory(prefix="xephang-sample-") as scratch:
            rendered = Renderer(pack, cache_dir=Path(scratch)).render(announcement)
            return rendered.path.read_bytes(), list(rendered.missing)

    def publish(self, data_dir: Path, templates: Iterable[str], now: datetime) -> Path:
        """Copy the checked draft to a new folder under ``voice/packs`` and return it.

        :class:`DraftError` with the check's findings (one per line) if it is not ready.
        """
        templates = list(templates)
        problems = self.problems(templates)
        if problems:
            raise DraftError("\n".join(problems))
        root = data_dir / PACKS_DIR
        root.mkdir(parents=True, exist_ok=True)
        stem = f"{self.name}-{now.strftime('%Y%m%d-%H%M%S')}"
        target, suffix = root / stem, 1
        while target.exists():
            suffix += 1
            target = root / f"{stem}-{suffix}"
        staging = root / f".{target.name}.tmp"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        for file in [self.folder / MANIFEST, *self.folder.glob("*.wav")]:
            shutil.copy2(file, staging / file.name)
        problems = check_pack(staging, templates=templates)
        if problems:  # changed while copying: keep nothing half-done
            shutil.rmtree(staging)
            raise DraftError("\n".join(problems))
        staging.rename(target)
        return target
