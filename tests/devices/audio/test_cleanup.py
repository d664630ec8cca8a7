"""A take becomes a clip: mono, the pack's rate, silence trimmed, loudness levelled."""

from __future__ import annotations

import io
import math
import random
import wave

import pytest

from xephang.devices.audio.cleanup import (
    MAX_TAKE_S,
    PEAK_LIMIT,
    TARGET_RMS,
    TakeError,
    clean_take,
    peaks,
)
from xephang.devices.audio.wavio import SILENCE_THRESHOLD, samples, silent_edges


def wav(values: list[int], rate: int = 16000, channels: int = 1, width: int = 2) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(channels)
        writer.setsampwidth(width)
        writer.setframerate(rate)
        writer.writeframes(
            b"".join(v.to_bytes(width, "little", signed=True) * channels for v in values)
        )
    return out.getvalue()


def tone(seconds: float, amplitude: float, rate: int = 16000, hz: float = 300.0) -> list[int]:
    return [
        round(amplitude * math.sin(2 * math.pi * hz * i / rate)) for i in range(int(seconds * rate))
    ]


def rms(values: list[int]) -> float:
    return math.sqrt(sum(v * v for v in values) / len(values))


def test_a_quiet_take_in_a_noisy_room_is_trimmed_and_raised() -> None:
    noise = random.Random(7)
    room = [noise.randint(-500, 500) for _ in range(8000)]  # above −40 dBFS: not "silence"
    speech = [v + noise.randint(-500, 500) for v in tone(0.5, 2000)]
    clip = clean_take(wav([*room, *speech, *room], channels=2), 22050)
    assert clip.sample_rate == 22050 and clip.channels == 1
    assert 0.5 <= clip.duration_s <= 0.58  # the noisy half-seconds around it are gone
    data = list(samples(clip.frames))
    assert abs(rms(data) - TARGET_RMS) / TARGET_RMS < 0.2  # −20 dBFS
    head, tail = silent_edges(clip, SILENCE_THRESHOLD)
    assert head <= 0.05 * 22050 and tail <= 0.05 * 22050  # what the voice check allows


def test_a_loud_take_is_limited_below_full_scale() -> None:
    clip = clean_take(wav([*[0] * 1000, *tone(0.3, 32000), 32767, -32768, *[0] * 1000]), 16000)
    data = samples(clip.frames)
    assert max(abs(v) for v in data) <= PEAK_LIMIT


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"not a wav at all", "This is not a WAV sound file"),
        (wav([0, 1, 2], width=1), "8-bit samples"),
        (wav([]), "The recording is empty."),
        (wav([0] * 4000), "No voice was heard"),
        (wav(tone(MAX_TAKE_S + 0.5, 5000, rate=8000), rate=8000), "at most 15 s"),
    ],
)
def test_bad_takes_are_refused_with_a_reason(body: bytes, message: str) -> None:
    from xephang.i18n import use_language

    with use_language("en"), pytest.raises(TakeError, match=message):
        clean_take(body, 16000)


def test_peaks_follow_the_waveform() -> None:
    clip = clean_take(wav([*[0] * 800, *tone(0.2, 1000), *tone(0.2, 8000), *[0] * 800]), 16000)
    found = peaks(clip, 10)
    assert len(found) == 10
    assert max(found[:4]) < max(found[6:])  # quiet half, then loud half
    assert all(0 <= p <= 1 for p in found)
