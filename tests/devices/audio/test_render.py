"""Rendering: exact concatenation, caching, espeak-ng fallback."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from queue_server.i18n import use_language
from xephang.devices.audio.announcement import AnnouncementConfig, Clip, Gap, build_announcement
from xephang.devices.audio.espeak import Espeak
from xephang.devices.audio.pack import VoicePack
from xephang.devices.audio.render import Renderer
from xephang.devices.audio.wavio import read_wav, resample, write_wav

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng absent")


def _expected_frames(renderer: Renderer, items: tuple[Clip | Gap, ...]) -> int:
    total = 0
    for item in items:
        if isinstance(item, Gap):
            total += round(renderer.sample_rate * item.ms / 1000)
        else:
            pack = renderer.packs[item.language]
            audio = pack.audio(item.key)
            assert audio is not None
            total += resample(audio, renderer.sample_rate).frame_count
    return total


@pytest.mark.parametrize(
    "config",
    [
        AnnouncementConfig(),
        AnnouncementConfig(second_language="en", repeat=2, word_gap_ms=13, pause_ms=77),
        AnnouncementConfig(chime=False, word_gap_ms=0, phrase_gap_ms=0),
    ],
)
def test_length_is_exactly_clips_plus_gaps(tmp_path: Path, config: AnnouncementConfig) -> None:
    renderer = Renderer(
        [VoicePack.load("vi-espeak"), VoicePack.load("en-espeak")], cache_dir=tmp_path
    )
    announcement = build_announcement("B105", 7, config)
    rendered = renderer.render(announcement)
    expected = _expected_frames(renderer, announcement.items)
    audio = read_wav(rendered.path)
    assert audio.frame_count == rendered.frame_count == expected
    assert (audio.channels, audio.sample_rate) == (1, 16000)
    assert rendered.duration_s == pytest.approx(expected / 16000)
    assert rendered.missing == () and rendered.synthesized == ()


def test_mixed_sample_rates_are_resampled(tmp_path: Path, pack_copy: Path) -> None:
    manifest = json.loads((pack_copy / "manifest.json").read_text(encoding="utf-8"))
    for clip in manifest["clips"]:
        path = pack_copy / clip["file"]
        write_wav(path, resample(read_wav(path), 22050))
    manifest["sample_rate"] = 22050
    (pack_copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    renderer = Renderer(
        [VoicePack.load(pack_copy), VoicePack.load("en-espeak")], cache_dir=tmp_path / "c"
    )
    announcement = build_announcement("A1", 2, AnnouncementConfig(second_language="en"))
    rendered = renderer.render(announcement)
    assert rendered.sample_rate == 22050
    assert read_wav(rendered.path).frame_count == _expected_frames(renderer, announcement.items)


def test_cache_by_content_and_eviction(tmp_path: Path) -> None:
    renderer = Renderer(VoicePack.load("vi-espeak"), cache_dir=tmp_path, cache_max_files=10)
    first = renderer.render(build_announcement("A023", 5))
    content = first.path.read_bytes()
    os.chmod(first.path, stat.S_IRUSR)  # a re-render would have to replace the file
    again = renderer.render(build_announcement("A023", "5"))
    assert again.path == first.path and again.frame_count == first.frame_count
    assert again.path.read_bytes() == content
    assert renderer.render(build_announcement("A024", 5)).path != first.path
    for n in range(12):
        renderer.render(build_announcement(f"C{n}", 1))
    assert len(list(tmp_path.glob("*.wav"))) == 10


def _drop_clip(pack: Path, text: str) -> None:
    manifest = json.loads((pack / "manifest.json").read_text(encoding="utf-8"))
    manifest["clips"] = [c for c in manifest["clips"] if c["text"] != text]
    (pack / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (pack / f"{text}.wav").unlink()


def test_missing_clip_without_fallback_is_reported(tmp_path: Path, pack_copy: Path) -> None:
    _drop_clip(pack_copy, "ba")
    renderer = Renderer(VoicePack.load(pack_copy), cache_dir=tmp_path / "c")
    rendered = renderer.render(build_announcement("A023", 5))
    assert rendered.missing == ("ba",)
    assert rendered.path.name.startswith("incomplete-")
    assert renderer.render(build_announcement("A023", 5)).missing == ("ba",)


def test_absent_espeak_is_a_clear_status(tmp_path: Path, pack_copy: Path) -> None:
    _drop_clip(pack_copy, "ba")
    espeak = Espeak("xephang-no-such-espeak")
    renderer = Renderer(VoicePack.load(pack_copy), cache_dir=tmp_path / "c", espeak=espeak)
    assert renderer.render(build_announcement("A023", 5)).missing == ("ba",)
    assert not espeak.available
    with use_language("en"):
        assert "not installed" in espeak.status()
    with use_language("vi"):
        assert espeak.status().startswith("Chưa cài espeak-ng")


@needs_espeak
def test_espeak_fills_a_missing_word(tmp_path: Path, pack_copy: Path) -> None:
    _drop_clip(pack_copy, "ba")
    renderer = Renderer(VoicePack.load(pack_copy), cache_dir=tmp_path / "c", espeak=Espeak())
    rendered = renderer.render(build_announcement("A023", 5))
    assert rendered.missing == () and rendered.synthesized == ("ba",)
    synthesized = renderer.espeak.synthesize("ba", "vi", 16000)  # type: ignore[union-attr]
    assert synthesized is not None and synthesized.frame_count > 1000
    without = _expected_frames(
        renderer,
        tuple(
            i
            for i in build_announcement("A023", 5).items
            if not (isinstance(i, Clip) and i.key == "ba")
        ),
    )
    assert rendered.frame_count == without + synthesized.frame_count


def test_espeak_timeout(tmp_path: Path) -> None:
    hanging = tmp_path / "fake-espeak"
    hanging.write_text("#!/bin/sh\nexec sleep 30\n")
    hanging.chmod(0o755)
    espeak = Espeak(str(hanging), timeout_s=0.3)
    assert espeak.synthesize("ba", "vi", 16000) is None
    with use_language("en"):
        assert "no answer within 0.3 s" in espeak.status()


def test_failing_espeak(tmp_path: Path) -> None:
    broken = tmp_path / "fake-espeak"
    broken.write_text("#!/bin/sh\nexit 3\n")
    broken.chmod(0o755)
    espeak = Espeak(str(broken))
    assert espeak.synthesize("ba", "vi", 16000) is None
    with use_language("en"):
        assert espeak.status().startswith("espeak-ng failed")
