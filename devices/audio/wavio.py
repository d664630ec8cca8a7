"""Mono 16-bit PCM WAV helpers on the stdlib ``wave`` and ``array`` modules."""

from __future__ import annotations

import io
import sys
import wave
from array import array
from dataclasses import dataclass
from pathlib import Path

SAMPLE_WIDTH = 2
SILENCE_THRESHOLD = 328
"""Samples with an absolute value at or below this (−40 dBFS) count as silence."""


@dataclass(frozen=True)
class Audio:
    """Raw little-endian 16-bit frames with their format."""

    frames: bytes
    sample_rate: int
    channels: int = 1
    sample_width: int = SAMPLE_WIDTH

    @property
    def frame_count(self) -> int:
        return len(self.frames) // (self.channels * self.sample_width)

    @property
    def duration_s(self) -> float:
        return self.frame_count / self.sample_rate


def read_wav(source: Path | bytes) -> Audio:
    """Read a PCM WAV file, or a WAV file's bytes (``wave.Error`` / ``EOFError`` if it is
    not one)."""
    opened = io.BytesIO(source) if isinstance(source, bytes) else str(source)
    with wave.open(opened, "rb") as reader:
        return Audio(
            frames=reader.readframes(reader.getnframes()),
            sample_rate=reader.getframerate(),
            channels=reader.getnchannels(),
            sample_width=reader.getsampwidth(),
        )


def write_wav(path: Path, audio: Audio) -> None:
    """Write ``audio`` as a PCM WAV file."""
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(audio.channels)
        writer.setsampwidth(audio.sample_width)
        writer.setframerate(audio.sample_rate)
        writer.writeframes(audio.frames)


def samples(frames: bytes) -> array:
    """16-bit little-endian frames as a mutable array of ints."""
    data = array("h")
    data.frombytes(frames)
    if sys.byteorder == "big":
        data.byteswap()
    return data


def to_bytes(data: array) -> bytes:
    """Inverse of :func:`samples`."""
    if sys.byteorder == "big":
        data = array("h", data)
        data.byteswap()
    return data.tobytes()


def silence(sample_rate: int, ms: int) -> bytes:
    """``ms`` milliseconds of mono 16-bit silence."""
    return bytes(SAMPLE_WIDTH * round(sample_rate * ms / 1000))


def silent_edges(audio: Audio, threshold: int = SILENCE_THRESHOLD) -> tuple[int, int]:
    """Frames of silence at the start and at the end of mono ``audio``."""
    data = samples(audio.frames)
    start = next((i for i, s in enumerate(data) if abs(s) > threshold), len(data))
    if start == len(data):
        return len(data), len(data)
    end = next(i for i in range(len(data) - 1, -1, -1) if abs(data[i]) > threshold)
    return start, len(data) - 1 - end


def trim_silence(audio: Audio, threshold: int = SILENCE_THRESHOLD, keep_ms: int = 5) -> Audio:
    """``audio`` without silence at both ends, keeping ``keep_ms`` of it on each side."""
    data = samples(audio.frames)
    head, tail = silent_edges(audio, threshold)
    if head >= len(data):
        return Audio(b"", audio.sample_rate)
    keep = round(audio.sample_rate * keep_ms / 1000)
    start = max(0, head - keep)
    stop = min(len(data), len(data) - tail + keep)
    return Audio(to_bytes(data[start:stop]), audio.sample_rate)


def resample(audio: Audio, sample_rate: int) -> Audio:
    """Linear-interpolation resampling of mono ``audio`` (good enough for speech clips)."""
    if audio.sample_rate == sample_rate or not audio.frames:
        return Audio(audio.frames, sample_rate)
    source = samples(audio.frames)
    count = max(1, round(len(source) * sample_rate / audio.sample_rate))
    step = audio.sample_rate / sample_rate
    last = len(source) - 1
    out = array("h", bytes(SAMPLE_WIDTH * count))
    for i in range(count):
        position = i * step
        left = int(position)
        if left >= last:
            out[i] = source[last]
            continue
        fraction = position - left
        out[i] = round(source[left] + (source[left + 1] - source[left]) * fraction)
    return Audio(to_bytes(out), sample_rate)


def to_mono16(audio: Audio) -> Audio:
    """Down-mix to mono 16-bit (averaging channels); other sample widths raise ValueError."""
    if audio.sample_width != SAMPLE_WIDTH:
        raise ValueError(f"only 16-bit PCM is supported (got {8 * audio.sample_width}-bit)")
    if audio.channels == 1:
        return audio
    data = samples(audio.frames)
    n = audio.channels
    mono = array("h", (sum(data[i : i + n]) // n for i in range(0, len(data), n)))
    return Audio(to_bytes(mono), audio.sample_rate)
