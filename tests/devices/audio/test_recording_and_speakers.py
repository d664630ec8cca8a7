"""Recording a human pack, speakers and the Voice facade."""

from __future__ import annotations

import threading
import unicodedata
from pathlib import Path

import pytest
from pydantic import ValidationError

from queue_server.i18n import use_language
from xephang.devices.audio.announcement import AnnouncementConfig, Clip, Gap, build_announcement
from xephang.devices.audio.check import check_pack
from xephang.devices.audio.languages import VIETNAMESE
from xephang.devices.audio.pack import PACKS_DIR, PackError, VoicePack
from xephang.devices.audio.recording import phrases_to_record, prepare_pack, recording_sheet
from xephang.devices.audio.render import Renderer
from xephang.devices.audio.speaker import CommandSpeaker, VirtualSpeaker
from xephang.devices.audio.voice import Voice, VoiceConfig
from xephang.devices.audio.wavio import (
    Audio,
    read_wav,
    resample,
    samples,
    silence,
    to_bytes,
    write_wav,
)


def test_phrases_to_record() -> None:
    phrases = phrases_to_record("vi")
    assert phrases[:2] == ["mời công dân có số thứ tự", "đến quầy số"]
    assert set(VIETNAMESE.vocabulary()) <= set(phrases)
    assert len(phrases) == len(set(phrases)) == 48
    extra = phrases_to_record("vi", ["Xin mời {number} tới quầy {counter}"])
    assert {"xin mời", "tới quầy"} <= set(extra)
    sheet = recording_sheet("vi").splitlines()
    assert sheet[0].split()[0] == "mời" and sheet[0].endswith("mời công dân có số thứ tự")
    assert any(line.startswith("mươi.wav ") for line in sheet)


def test_prepare_a_human_pack(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    recorded = ["đến quầy số", "mười", "mươi"]
    for text in recorded:
        clip = read_wav(PACKS_DIR / "vi-espeak" / f"{text}.wav")
        loud = resample(clip, 44100)
        mono = samples(silence(44100, 400) + loud.frames + silence(44100, 700))
        stereo = type(mono)("h", [s for sample in mono for s in (sample, sample)])
        name = unicodedata.normalize("NFD", text)  # as saved by some recorders
        write_wav(raw / f"{name}.wav", Audio(to_bytes(stereo), 44100, channels=2))
    out = tmp_path / "vi-human"
    texts = prepare_pack(raw, out, name="vi-human", lang_code="vi", sample_rate=22050)
    assert sorted(texts) == sorted([*recorded, "_chime"])
    pack = VoicePack.load(out)
    assert pack.sample_rate == 22050
    assert read_wav(out / "mười.wav").duration_s < 0.5
    with use_language("en"):
        problems = check_pack(out)
    not_recorded = [t for t in phrases_to_record("vi") if t not in recorded]
    assert len(problems) == len(not_recorded) == 45
    assert all(p.startswith("missing clip") for p in problems)


def test_virtual_speaker_records(tmp_path: Path) -> None:
    renderer = Renderer(VoicePack.load("vi-espeak"), cache_dir=tmp_path)
    speaker = VirtualSpeaker(renderer)
    announcement = build_announcement("A023", 5)
    worker = threading.Thread(target=speaker.play, args=(announcement,))
    worker.start()
    assert speaker.wait_for(1, timeout_s=10)
    worker.join(timeout=10)
    (played,) = speaker.played
    assert played.text == "Mời công dân có số thứ tự A023 đến quầy số 5"
    assert played.spoken_text == "mời công dân có số thứ tự a hai mươi ba đến quầy số năm"
    audio = read_wav(played.wav_path)
    assert played.duration_s == pytest.approx(audio.duration_s) and played.ok
    assert not speaker.wait_for(2, timeout_s=0.01)


def test_virtual_speaker_keeps_only_the_latest(tmp_path: Path) -> None:
    renderer = Renderer(VoicePack.load("vi-espeak"), cache_dir=tmp_path)
    speaker = VirtualSpeaker(renderer, history=2)
    for counter in (1, 2, 3):
        speaker.play(build_announcement("A1", counter))
    assert speaker.count == 3 and speaker.wait_for(3, timeout_s=0.01)
    assert [played.text[-1] for played in speaker.played] == ["2", "3"]


def test_command_speaker(tmp_path: Path) -> None:
    renderer = Renderer(VoicePack.load("vi-espeak"), cache_dir=tmp_path)
    announcement = build_announcement("B7", 2)
    assert CommandSpeaker(renderer, ("true",)).play(announcement).ok
    failed = CommandSpeaker(renderer, ("false",)).play(announcement)
    assert not failed.ok and failed.problem
    absent = CommandSpeaker(renderer, ("xephang-no-such-player",)).play(announcement)
    assert not absent.ok and "xephang-no-such-player" in absent.problem
    assert absent.wav_path.is_file()


def test_announcement_structure() -> None:
    config = AnnouncementConfig(template="Số {number}, quầy {counter}", chime_gap_ms=0)
    announcement = build_announcement("A15", 3, config)
    assert announcement.items == (
        Clip("vi", "_chime"),
        Clip("vi", "số"),
        Gap(120),
        Clip("vi", "a"),
        Gap(40),
        Clip("vi", "mười"),
        Gap(40),
        Clip("vi", "lăm"),
        Gap(300),
        Clip("vi", "quầy"),
        Gap(120),
        Clip("vi", "ba"),
    )
    assert announcement.display_text == "Số A15, quầy 3"


def test_second_language_and_repeat() -> None:
    config = AnnouncementConfig(second_language="en", repeat=2)
    announcement = build_announcement("A023", 5, config)
    assert announcement.texts["en"] == "Ticket number A023, please go to counter 5"
    keys = [c.key for c in announcement.clips]
    assert keys.count("ticket number") == 2 and keys.count("mời công dân có số thứ tự") == 2
    assert Gap(700) in announcement.items and Gap(1000) in announcement.items
    assert announcement.spoken_text.endswith(
        "ticket number ay twenty three please go to counter five"
    )


@pytest.mark.parametrize(
    "bad",
    [
        {"template": "Mời quầy {counter}"},
        {"language": "fr"},
        {"second_template": "Number {number}"},
        {"repeat": 0},
        {"zero_tens": "le"},
        {"volume": 3},
    ],
)
def test_config_validation(bad: dict) -> None:
    with pytest.raises(ValidationError):
        AnnouncementConfig(**bad)


def test_voice_facade(tmp_path: Path) -> None:
    config = VoiceConfig.model_validate(
        {"announcement": {"second_language": "en", "four": "bốn"}, "cache_dir": str(tmp_path)}
    )
    voice = Voice(config)
    rendered = voice.render("A024", 5)
    assert rendered.path.parent == tmp_path and rendered.missing == ()
    assert "hai mươi bốn" in rendered.spoken_text
    assert voice.status()[:2] == [
        "gói giọng đọc vi-espeak (vi, 16000 Hz)",
        "gói giọng đọc en-espeak (en, 16000 Hz)",
    ]
    with pytest.raises(PackError):
        Voice(VoiceConfig(pack="en-espeak"), cache_dir=tmp_path)
    with pytest.raises(PackError):
        Voice(VoiceConfig(pack=str(tmp_path / "none")), cache_dir=tmp_path)
