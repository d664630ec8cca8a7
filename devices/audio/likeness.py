"""How alike two spoken clips sound, compared by their sound, never by their file names.

Each clip becomes a sequence of spectral envelopes (MFCC-like: 20 ms frames every 10 ms at
8 kHz, 16 mel bands from 150 to 3800 Hz, cepstral coefficients 1–10, so loudness does not
count). Two sequences are aligned with dynamic time warping (DTW), so a slower or faster
take of the same word still lines up. The distance of two clips is the largest of three
mean DTW costs: the whole clips, their first 80 ms and their last 80 ms (where the
consonants that tell "bê" from "pê" or "e" from "ép" are). Pure Python, no NumPy.

Calibrated on espeak-ng's Vietnamese voice (docs/voice.md, "Letters that sound alike"):
a one-syllable name at 150 and at 130 or 170 words per minute is 0.1–2.9 apart (but "quy"
3.9–4.1, two-syllable names 1.9–4.8); the closest different letter names (tê/đê, e/ép) are
3.45 and 3.66 apart; the old dê/giê pair was 0.01.
"""

from __future__ import annotations

import cmath
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from xephang.devices.audio.wavio import Audio, samples, to_mono16

CONFUSABLE_BELOW = 3.2
"""Two clips closer than this sound alike (old dê/giê: 0.01; bundled tê/đê: 3.45)."""

RATE = 8000
FFT_SIZE = 256
FRAME = 160  # 20 ms
HOP = 80  # 10 ms
BANDS = 16
COEFFICIENTS = 10
EDGE_FRAMES = 8  # the first and last 80 ms

Frames = list[list[float]]


def _mel(hz: float) -> float:
    return 2595 * math.log10(1 + hz / 700)


def _hz(mel: float) -> float:
    return 700 * (10 ** (mel / 2595) - 1)


def _filterbank() -> list[list[tuple[int, float]]]:
    low, high = _mel(150), _mel(3800)
    edges = [_hz(low + (high - low) * i / (BANDS + 1)) * FFT_SIZE / RATE for i in range(BANDS + 2)]
    bank = []
    for left, centre, right in zip(edges, edges[1:], edges[2:], strict=False):
        bank.append(
            [
                (k, (k - left) / (centre - left) if k <= centre else (right - k) / (right - centre))
                for k in range(FFT_SIZE // 2 + 1)
                if left < k < right
            ]
        )
    return bank


_BANK = _filterbank()
_DCT = [
    [math.cos(math.pi * q * (b + 0.5) / BANDS) for b in range(BANDS)]
    for q in range(1, COEFFICIENTS + 1)
]
_WINDOW = [0.54 - 0.46 * math.cos(2 * math.pi * i / (FRAME - 1)) for i in range(FRAME)]
_BITS = FFT_SIZE.bit_length() - 1
_REVERSED = [int(f"{i:0{_BITS}b}"[::-1], 2) for i in range(FFT_SIZE)]
_TWIDDLES = {
    size: [cmath.exp(-2j * math.pi * k / size) for k in range(size // 2)]
    for size in (2**p for p in range(1, _BITS + 1))
}


def _power_spectrum(frame: list[float]) -> list[float]:
    """|FFT|² of ``frame`` zero-padded to FFT_SIZE (iterative radix-2)."""
    padded = frame + [0.0] * (FFT_SIZE - len(frame))
    a: list[complex] = [complex(padded[j]) for j in _REVERSED]
    size = 2
    while size <= FFT_SIZE:
        half = size // 2
        twiddles = _TWIDDLES[size]
        for start in range(0, FFT_SIZE, size):
            for k in range(half):
                u, v = a[start + k], a[start + k + half] * twiddles[k]
                a[start + k], a[start + k + half] = u + v, u - v
        size *= 2
    return [z.real * z.real + z.imag * z.imag for z in a[: FFT_SIZE // 2 + 1]]


def _at_8khz(audio: Audio) -> list[float]:
    """Mono samples at 8 kHz: a moving average against aliasing, then linear interpolation."""
    data: Sequence[float] = samples(to_mono16(audio).frames)
    width = max(1, round(audio.sample_rate / RATE))
    if width > 1:
        data = [sum(data[i : i + width]) / width for i in range(len(data) - width + 1)]
    step = audio.sample_rate / RATE
    out = []
    for i in range(int((len(data) - 1) / step)):
        position = i * step
        left = int(position)
        out.append(data[left] + (data[left + 1] - data[left]) * (position - left))
    return out


def features(audio: Audio) -> Frames:
    """Spectral-envelope frames of a clip (see the module's docstring)."""
    x = _at_8khz(audio)
    if not x:
        return [[0.0] * COEFFICIENTS]
    emphasised = [x[0]] + [x[i] - 0.97 * x[i - 1] for i in range(1, len(x))]
    frames: Frames = []
    for start in range(0, max(1, len(emphasised) - FRAME + 1), HOP):
        chunk = emphasised[start : start + FRAME]
        power = _power_spectrum([s * w for s, w in zip(chunk, _WINDOW, strict=False)])
        bands = [math.log(sum(power[k] * w for k, w in band) + 1e3) for band in _BANK]
        frames.append([sum(c * b for c, b in zip(row, bands, strict=True)) for row in _DCT])
    return frames


def dtw_cost(a: Frames, b: Frames) -> float:
    """Mean Euclidean frame distance along the best alignment of ``a`` and ``b``."""
    previous = [0.0] + [math.inf] * len(b)
    for frame in a:
        current = [math.inf] * (len(b) + 1)
        for j, other in enumerate(b, start=1):
            step = math.dist(frame, other)
            current[j] = step + min(previous[j], current[j - 1], previous[j - 1])
        previous = current
    return previous[-1] / (len(a) + len(b))


def distance(a: Frames, b: Frames, enough: float = math.inf) -> float:
    """How far apart two clips' frames sound: the worst of start, end and whole.

    Stops at the first part at least ``enough`` apart (the short edges first) and returns
    that part's cost: when only "closer than a threshold?" matters, most pairs take 1/8
    of the time.
    """
    k = EDGE_FRAMES
    worst = 0.0
    for first, second in ((a[:k], b[:k]), (a[-k:], b[-k:]), (a, b)):
        worst = max(worst, dtw_cost(first, second))
        if worst >= enough:
            break
    return worst


def join(parts: Sequence[Frames]) -> Frames:
    """Frames of clips said one after the other (a two-letter prefix)."""
    return [frame for part in parts for frame in part]


@dataclass(frozen=True, slots=True)
class AlikePair:
    """Two things (letters, prefixes) whose spoken forms are closer than the threshold."""

    first: str
    second: str
    distance: float


def alike_pairs(
    spoken: Mapping[str, Frames], threshold: float = CONFUSABLE_BELOW
) -> list[AlikePair]:
    """Every pair of ``spoken`` (name → frames) closer than ``threshold``, closest first."""
    found = [
        AlikePair(first, second, round(gap, 2))
        for first, second in itertools.combinations(spoken, 2)
        if (gap := distance(spoken[first], spoken[second], threshold)) < threshold
    ]
    return sorted(found, key=lambda pair: pair.distance)
