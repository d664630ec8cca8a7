"""Letters and prefixes that sound alike, found by their sound (issue #18).

``old_pack/`` holds the default pack's old "dê" and "giê" clips (espeak-ng said both as
z'e: D and G were announced identically).
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from pathlib import Path

import pytest

from queue_server.i18n import use_language
from xephang.devices.audio.alike import alike_letters, alike_prefixes
from xephang.devices.audio.check import check_pack
from xephang.devices.audio.letters import LETTER_NAMES_EN, LETTER_NAMES_VI
from xephang.devices.audio.likeness import (
    CONFUSABLE_BELOW,
    FFT_SIZE,
    RATE,
    _power_spectrum,
    distance,
    features,
)
from xephang.devices.audio.pack import PACKS_DIR
from xephang.devices.audio.wavio import read_wav, resample, to_mono16, trim_silence, write_wav

OLD = Path(__file__).with_name("old_pack")


@pytest.fixture
def old_pack(pack_copy: Path) -> Path:
    """The default pack as it was: G said with the old "giê" clip, D with the old "dê"."""
    shutil.copy(OLD / "dê.wav", pack_copy / "dê.wav")
    shutil.copy(OLD / "giê.wav", pack_copy / "gờ.wav")
    return pack_copy


def test_the_old_pack_fails_the_voice_check(old_pack: Path) -> None:
    with use_language("en"):
        problems = check_pack(old_pack, prefixes=["A", "D", "G", "DA", "GA"])
    assert problems == [
        "letters D and G sound alike (dê.wav and gờ.wav are 0.01 apart, under 3.2): "
        "give them names that sound different",
        "prefixes D and G sound alike in this pack (0.01 apart, under 3.2): change one of them",
        "prefixes DA and GA sound alike in this pack (0.01 apart, under 3.2): change one of them",
    ]
    with use_language("vi"):
        (vietnamese,) = check_pack(old_pack)[:1]
    assert vietnamese.startswith("chữ D và chữ G đọc nghe giống nhau")


@pytest.mark.parametrize("name", ["vi-espeak", "en-espeak"])
def test_every_pair_of_letters_in_the_new_packs_sounds_different(name: str) -> None:
    """Every pair of letter clips (and so of one-letter prefixes) is compared, none alike."""
    every = [*LETTER_NAMES_VI] if name == "vi-espeak" else [*LETTER_NAMES_EN]
    assert check_pack(PACKS_DIR / name, prefixes=every) == []


def test_no_two_letters_share_a_name() -> None:
    for names in (LETTER_NAMES_VI, LETTER_NAMES_EN):
        assert len(set(names.values())) == len(names)
    assert LETTER_NAMES_VI["G"] == "gờ" and LETTER_NAMES_VI["Đ"] == "đê"
    assert (LETTER_NAMES_VI["I"], LETTER_NAMES_VI["Y"]) == ("i-ngắn", "i-dài")


def _espeak(text: str, speed: int, folder: Path) -> Path:
    raw = folder / "raw.wav"
    command = ["espeak-ng", "-v", "vi", "-s", str(speed), "-w", str(raw), "--stdin"]
    subprocess.run(command, input=text.encode(), check=True, capture_output=True, timeout=30)
    out = folder / f"{text}-{speed}.wav"
    write_wav(out, trim_silence(resample(to_mono16(read_wav(raw)), 16000)))
    return out


def test_the_same_word_in_another_take_is_found(pack_copy: Path, tmp_path: Path) -> None:
    """Not by file: G recorded as a faster "dê" (a center reading the old sheet) is caught."""
    shutil.copy(_espeak("dê", 170, tmp_path), pack_copy / "gờ.wav")
    ((first, second),) = [(p.first, p.second) for p in alike_letters(pack_copy)]
    assert (first, second) == ("D", "G")
    shutil.copy(pack_copy / "ca.wav", pack_copy / "a.wav")  # one clip for two letters
    found = {(p.first, p.second): p.distance for p in alike_letters(pack_copy)}
    assert found[("A", "K")] == 0.0 and ("D", "G") in found


def test_prefixes_compare_position_by_position_and_by_length(old_pack: Path) -> None:
    pairs = [(p.first, p.second) for p in alike_prefixes(old_pack, ["DA", "GA", "GK", "B"])]
    assert pairs == [("DA", "GA")]
    # a prefix that only adds a trailing "a" to another is heard as it: "ca a" and "ca"
    assert [(p.first, p.second) for p in alike_prefixes(PACKS_DIR / "vi-espeak", ["K", "KA"])] == [
        ("K", "KA")
    ]
    assert alike_prefixes(old_pack, ["D", "Ω", "G"])[0].second == "G"  # unsayable: left out
    assert alike_prefixes(old_pack / "nowhere", ["D", "G"]) == []


def test_measure_ranks_same_word_below_minimal_pairs(tmp_path: Path) -> None:
    pack = PACKS_DIR / "vi-espeak"
    te, de = features(read_wav(pack / "tê.wav")), features(read_wav(pack / "đê.wav"))
    slower = features(read_wav(_espeak("tê", 130, tmp_path)))
    assert distance(te, slower) < CONFUSABLE_BELOW < distance(te, de)
    assert distance(te, te) == 0.0


def test_spectrum_of_a_sine_peaks_at_its_frequency() -> None:
    bin_ = 32  # 1000 Hz at 8 kHz with 256 points
    sine = [math.sin(2 * math.pi * bin_ * i / FFT_SIZE) for i in range(FFT_SIZE)]
    power = _power_spectrum(sine)
    assert max(range(len(power)), key=power.__getitem__) == bin_ == 1000 * FFT_SIZE // RATE
    assert power[bin_] == pytest.approx((FFT_SIZE / 2) ** 2)


def test_manifests_list_the_new_names() -> None:
    for name, clip in (("vi-espeak", "gờ"), ("vi-espeak", "i-ngắn"), ("en-espeak", "crossed-dee")):
        manifest = json.loads((PACKS_DIR / name / "manifest.json").read_text("utf-8"))
        assert {"text": clip, "file": f"{clip}.wav"} in manifest["clips"]
    assert not (PACKS_DIR / "vi-espeak" / "giê.wav").exists()
