"""The committed default packs cover everything an announcement can say."""

from __future__ import annotations

import string
import unicodedata
from pathlib import Path

import pytest

from xephang.devices.audio.announcement import CHIME, AnnouncementConfig, build_announcement
from xephang.devices.audio.check import check_pack
from xephang.devices.audio.languages import ENGLISH, VIETNAMESE, code_to_words
from xephang.devices.audio.numbers_vi import number_to_words
from xephang.devices.audio.pack import PACKS_DIR, VoicePack, read_manifest
from xephang.devices.audio.wavio import read_wav


@pytest.fixture(scope="module")
def vi_pack() -> VoicePack:
    return VoicePack.load("vi-espeak")


def test_every_number_maps_to_existing_clips(vi_pack: VoicePack) -> None:
    present = {word for word in VIETNAMESE.vocabulary() if vi_pack.clip_path(word)}
    for zero_tens in ("linh", "lẻ"):
        for four in ("tư", "bốn"):
            for n in range(10000):
                missing = set(number_to_words(n, zero_tens=zero_tens, four=four)) - present
                assert not missing, (n, missing)


@pytest.mark.parametrize("letter", [*string.ascii_uppercase, "Đ"])
def test_every_prefix_letter_has_a_clip(vi_pack: VoicePack, letter: str) -> None:
    (name,) = code_to_words(letter)
    path = vi_pack.clip_path(name)
    assert path is not None and path.is_file()


def test_default_announcements_have_every_clip(vi_pack: VoicePack) -> None:
    en_pack = VoicePack.load("en-espeak")
    config = AnnouncementConfig(second_language="en")
    for ticket in ("A001", "Z999", "AB023", "Đ105"):
        for clip in build_announcement(ticket, 12, config).clips:
            pack = vi_pack if clip.language == "vi" else en_pack
            assert pack.clip_path(clip.key) is not None, clip


def test_similar_words_are_distinct_files(vi_pack: VoicePack) -> None:
    pairs = [("mười", "mươi"), ("một", "mốt"), ("năm", "lăm"), ("tư", "bốn")]
    for first, second in pairs:
        a, b = vi_pack.clip_path(first), vi_pack.clip_path(second)
        assert a is not None and b is not None and a != b
        assert a.read_bytes() != b.read_bytes()


@pytest.mark.parametrize("name", ["vi-espeak", "en-espeak"])
def test_bundled_packs_pass_the_check(name: str) -> None:
    assert check_pack(PACKS_DIR / name) == []


def test_pack_format_and_size() -> None:
    folder = PACKS_DIR / "vi-espeak"
    manifest = read_manifest(folder)
    assert manifest.language == "vi" and manifest.sample_rate == 16000
    total = 0
    for file in folder.iterdir():
        assert unicodedata.is_normalized("NFC", file.name)
        total += file.stat().st_size
        if file.suffix == ".wav":
            audio = read_wav(file)
            assert (audio.channels, audio.sample_width) == (1, 2)
    assert total < 1_000_000
    assert CHIME in manifest.by_text()
    all_packs = sum(f.stat().st_size for f in PACKS_DIR.rglob("*") if f.is_file())
    assert all_packs < 2_000_000


def test_english_pack_covers_english_vocabulary() -> None:
    pack = VoicePack.load(Path(PACKS_DIR / "en-espeak"))
    assert all(pack.has(word) for word in ENGLISH.vocabulary())
