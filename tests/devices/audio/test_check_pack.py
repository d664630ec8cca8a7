"""check_pack finds what is wrong with broken packs built in tmp_path."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from queue_server.i18n import use_language
from xephang.devices.audio.check import check_message, check_pack
from xephang.devices.audio.wavio import (
    Audio,
    read_wav,
    resample,
    samples,
    silence,
    to_bytes,
    write_wav,
)


def _problems(pack: Path, **kwargs: object) -> list[str]:
    with use_language("en"):
        return check_pack(pack, **kwargs)  # type: ignore[arg-type]


def _edit_manifest(pack: Path, change: object) -> None:
    manifest = json.loads((pack / "manifest.json").read_text(encoding="utf-8"))
    change(manifest)  # type: ignore[operator]
    (pack / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")


def test_copy_is_clean(pack_copy: Path) -> None:
    assert _problems(pack_copy) == []


def test_missing_file(pack_copy: Path) -> None:
    (pack_copy / "mười.wav").unlink()
    assert _problems(pack_copy) == ["missing clip mười.wav (says 'mười')"]


def test_clip_not_in_manifest(pack_copy: Path) -> None:
    _edit_manifest(
        pack_copy, lambda m: m.update(clips=[c for c in m["clips"] if c["text"] != "mươi"])
    )
    assert _problems(pack_copy) == [
        "missing clip mươi.wav (says 'mươi')",
        "mươi.wav: not listed in manifest.json",
    ]


def test_wrong_sample_rate(pack_copy: Path) -> None:
    path = pack_copy / "một.wav"
    write_wav(path, resample(read_wav(path), 22050))
    assert _problems(pack_copy) == ["một.wav: sample rate 22050 Hz, the pack is 16000 Hz"]


def test_untrimmed_silence(pack_copy: Path) -> None:
    head = pack_copy / "hai.wav"
    audio = read_wav(head)
    write_wav(head, Audio(silence(16000, 200) + audio.frames, 16000))
    tail = pack_copy / "ba.wav"
    audio = read_wav(tail)
    write_wav(tail, Audio(audio.frames + silence(16000, 120), 16000))
    problems = _problems(pack_copy)
    assert len(problems) == 2
    assert problems[0].startswith("ba.wav: 12") and "silence at the end" in problems[0]
    assert problems[1].startswith("hai.wav: 20") and "silence at the start" in problems[1]
    assert _problems(pack_copy, trim_tolerance_ms=250) == []


def test_stereo_and_silent_clips(pack_copy: Path) -> None:
    mono = samples(read_wav(pack_copy / "bảy.wav").frames)
    stereo = [s for sample in mono for s in (sample, sample)]
    write_wav(pack_copy / "bảy.wav", Audio(to_bytes(type(mono)("h", stereo)), 16000, channels=2))
    write_wav(pack_copy / "tám.wav", Audio(silence(16000, 300), 16000))
    (pack_copy / "sáu.wav").write_bytes(b"not a wave file")
    problems = _problems(pack_copy)
    assert "bảy.wav: 2 channels, clips must be mono" in problems
    assert "tám.wav: the clip is silent" in problems
    assert any(p.startswith("sáu.wav: not a readable PCM WAV file") for p in problems)


def test_names_and_duplicates(pack_copy: Path) -> None:
    nfd = unicodedata.normalize("NFD", "extra-mười.wav")
    (pack_copy / nfd).write_bytes((pack_copy / "mười.wav").read_bytes())

    def duplicate(manifest: dict) -> None:
        manifest["clips"].append({"text": "một", "file": "mốt.wav"})

    _edit_manifest(pack_copy, duplicate)
    problems = _problems(pack_copy)
    assert "manifest.json: 'một' is listed 2 times" in problems
    assert "mốt.wav: a clip saying 'một' must be named một.wav" in problems
    assert f"{nfd}: file name is not NFC-normalised" in problems
    assert f"{nfd}: not listed in manifest.json" in problems


def test_template_phrases_are_required(pack_copy: Path) -> None:
    problems = _problems(pack_copy, templates=["Xin mời số {number}, đến quầy số {counter}"])
    assert problems == ["missing clip xin mời số.wav (says 'xin mời số')"]


def test_bad_manifests(tmp_path: Path, pack_copy: Path) -> None:
    assert _problems(tmp_path / "nowhere") == [f"{tmp_path / 'nowhere'}: no such folder"]
    assert _problems(tmp_path) == [f"{tmp_path}: manifest.json is missing"]
    (pack_copy / "manifest.json").write_text("{", "utf-8")
    assert _problems(pack_copy)[0].startswith(f"{pack_copy / 'manifest.json'}: not valid JSON")
    (pack_copy / "manifest.json").write_text('{"name": "x"}', "utf-8")
    assert _problems(pack_copy)[0].startswith(f"{pack_copy / 'manifest.json'}: language")


def test_unknown_language(pack_copy: Path) -> None:
    _edit_manifest(pack_copy, lambda m: m.update(language="km"))
    assert _problems(pack_copy) == [
        "manifest.json: no reading rules for language 'km' (known: en, vi)"
    ]


def test_message_in_vietnamese(pack_copy: Path) -> None:
    (pack_copy / "mười.wav").unlink()
    with use_language("vi"):
        problems = check_pack(pack_copy)
        assert problems == ["thiếu đoạn ghi âm mười.wav (đọc là 'mười')"]
        assert check_message("P", problems).splitlines()[0] == "Gói giọng đọc P có 1 lỗi:"
        assert check_message("P", []) == "Gói giọng đọc P đầy đủ."
