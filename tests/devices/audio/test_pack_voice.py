"""A language pack with voice clips repeats the call in its language (docs/languages.md):
its phrases from its own clips, the ticket and counter read with Vietnamese rules and
clips. A pack without clips cannot be a spoken language."""

from __future__ import annotations

import json
import math
from array import array
from collections.abc import Iterator
from pathlib import Path

import pytest

from xephang import langpack
from xephang.devices.audio.announcement import AnnouncementConfig, Clip
from xephang.devices.audio.config import VoiceConfig
from xephang.devices.audio.languages import code_to_words
from xephang.devices.audio.voice import Voice
from xephang.devices.audio.wavio import Audio, read_wav, to_bytes, write_wav

PHRASES = ("thov tus naj npawb", "mus rau rooj")
TEMPLATE = "Thov tus naj npawb {number}, mus rau rooj {counter}"


def _tone(hz: float, ms: int, rate: int = 16000) -> Audio:
    count = rate * ms // 1000
    data = array("h", (round(8000 * math.sin(2 * math.pi * hz * i / rate)) for i in range(count)))
    return Audio(to_bytes(data), rate)


def _pack(base: Path, code: str, *, voice: bool) -> Path:
    folder = base / code
    folder.mkdir(parents=True)
    lines = [f'code = "{code}"', 'name = "Test"', 'status = "example"']
    if voice:
        lines += ["[voice]", f'template = "{TEMPLATE}"', 'numbers = "vi"']
        clips = folder / "voice"
        clips.mkdir()
        entries = []
        for index, phrase in enumerate(PHRASES):
            write_wav(clips / f"{phrase}.wav", _tone(300 + 200 * index, 250 + 50 * index))
            entries.append({"text": phrase, "file": f"{phrase}.wav"})
        manifest: dict[str, object] = {
            "name": f"{code}-test",
            "language": code,
            "sample_rate": 16000,
        }
        manifest["clips"] = entries
        (clips / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (folder / "language.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture
def packs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    base = tmp_path / "languages"
    _pack(base, "tsv", voice=True)
    _pack(base, "tsn", voice=False)
    monkeypatch.setenv(langpack.ENV_DIRS, str(base))
    langpack.forget()
    yield base
    monkeypatch.delenv(langpack.ENV_DIRS)
    langpack.forget()


def test_the_call_is_repeated_with_the_packs_clips(packs: Path, tmp_path: Path) -> None:
    spoken = AnnouncementConfig(second_language="tsv", chime=False)
    voice = Voice(VoiceConfig(announcement=spoken), cache_dir=tmp_path / "cache")
    announcement = voice.announcement("A12", 3)
    second = announcement.items[announcement.items.index(Clip("tsv", PHRASES[0])) :]
    clips = [item for item in second if isinstance(item, Clip)]
    assert clips == [
        Clip("tsv", "thov tus naj npawb"),
        *[Clip("vi", word) for word in code_to_words("A12")],
        Clip("tsv", "mus rau rooj"),
        *[Clip("vi", word) for word in code_to_words("3")],
    ]
    assert announcement.texts["tsv"] == "Thov tus naj npawb A12, mus rau rooj 3"
    rendered = voice.render("A12", 3)
    assert rendered.missing == () and rendered.synthesized == ()
    frames = read_wav(rendered.path).frames
    for phrase in PHRASES:  # each recorded clip is in the call, sample for sample
        assert read_wav(packs / "tsv" / "voice" / f"{phrase}.wav").frames in frames


def test_a_pack_without_clips_is_not_spoken(packs: Path) -> None:
    with pytest.raises(ValueError, match="voice/ clips"):
        AnnouncementConfig(second_language="tsn")
