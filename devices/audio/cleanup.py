"""Clean a recorded take for a voice pack: decode a WAV, mono, one rate, trim, level.

Pure Python on the stdlib (``wave``, ``array``). The admin page's browser decodes whatever
it recorded or was given (WebM/Opus, MP3, OGG, WAV) and sends 16-bit PCM WAV; this module
does the rest on the server so every clip of a pack is treated the same way.
"""

from __future__ import annotations

import math
import wave
from array import array

from xephang.devices.audio.wavio import (
    SILENCE_THRESHOLD,
    Audio,
    read_wav,
    resample,
    samples,
    to_bytes,
    to_mono16,
    trim_silence,
)
from xephang.i18n import _

MAX_TAKE_S = 15.0
"""A take longer than this is refused (a clip is one word or one short phrase)."""
TARGET_RMS = 3277
"""Loudness of the speech after levelling: −20 dBFS RMS over the voiced parts."""
PEAK_LIMIT = 29204
"""No sample above −1 dBFS after levelling (the gain is lowered instead)."""
MAX_GAIN = 30.0
"""A very quiet take is raised at most this much (≈ +30 dB), not into pure noise."""
WINDOW_MS = 20
KEEP_MS = 20
"""Silence kept at each end after trimming (the pack check allows 50 ms)."""


class TakeError(ValueError):
    """The take cannot become a clip; the message is meant for a person."""


def decode_wav(data: bytes) -> Audio:
    """The PCM WAV in ``data`` as mono 16-bit audio; :class:`TakeError` if it is not one."""
    try:
        audio = read_wav(data)
    except (wave.Error, EOFError, ValueError) as exc:
        raise TakeError(_("This is not a WAV sound file ({error}).").format(error=exc)) from None
    if audio.sample_width != 2:
        raise TakeError(
            _("The WAV file has {bits}-bit samples; 16-bit is needed.").format(
                bits=8 * audio.sample_width
            )
        )
    if audio.frame_count == 0:
        raise TakeError(_("The recording is empty."))
    if audio.duration_s > MAX_TAKE_S:
        raise TakeError(
            _("The recording lasts {seconds} s; at most {limit} s are allowed.").format(
                seconds=round(audio.duration_s, 1), limit=round(MAX_TAKE_S)
            )
        )
    return to_mono16(audio)


def _window_rms(data: array, start: int, stop: int) -> float:
    values = data[start:stop]
    return math.sqrt(sum(v * v for v in values) / len(values)) if len(values) else 0.0


def speech_threshold(audio: Audio) -> int:
    """Silence level of this take: −40 dBFS, or above the room's noise when it is louder.

    The noise is the quietest tenth of the 20 ms windows; the threshold is four times its RMS,
    but never above a third of the loudest sample (so a poor take keeps its speech).
    """
    data = samples(audio.frames)
    step = max(1, audio.sample_rate * WINDOW_MS // 1000)
    levels = sorted(_window_rms(data, i, i + step) for i in range(0, len(data), step))
    if not levels:
        return SILENCE_THRESHOLD
    noise = levels[len(levels) // 10]
    peak = max(abs(v) for v in data)
    return int(max(SILENCE_THRESHOLD, min(4 * noise, peak / 3)))


def level(audio: Audio, threshold: int) -> Audio:
    """``audio`` scaled so its voiced windows have :data:`TARGET_RMS`, peaks capped."""
    data = samples(audio.frames)
    step = max(1, audio.sample_rate * WINDOW_MS // 1000)
    voiced = [
        rms
        for rms in (_window_rms(data, i, i + step) for i in range(0, len(data), step))
        if rms > threshold
    ]
    peak = max((abs(v) for v in data), default=0)
    if not voiced or peak == 0:
        return audio
    loudness = math.sqrt(sum(r * r for r in voiced) / len(voiced))
    gain = min(TARGET_RMS / loudness, PEAK_LIMIT / peak, MAX_GAIN)
    scaled = array("h", (max(-32768, min(32767, round(v * gain))) for v in data))
    return Audio(to_bytes(scaled), audio.sample_rate)


def clean_take(data: bytes, sample_rate: int) -> Audio:
    """A pack clip from a WAV take: mono, ``sample_rate``, silence trimmed, loudness levelled.

    :class:`TakeError` when the file is not a usable WAV, too long, or has no speech.
    """
    audio = resample(decode_wav(data), sample_rate)
    threshold = speech_threshold(audio)
    trimmed = trim_silence(audio, threshold, keep_ms=KEEP_MS)
    if trimmed.frame_count < sample_rate * 0.05:
        raise TakeError(_("No voice was heard in the recording; speak closer to the microphone."))
    return level(trimmed, threshold)


def peaks(audio: Audio, count: int = 120) -> list[float]:
    """The loudest sample of each of ``count`` equal slices, 0–1, for drawing a waveform."""
    data = samples(audio.frames)
    if not data:
        return []
    size = len(data) / count
    out: list[float] = []
    for index in range(count):
        chunk = data[int(index * size) : max(int((index + 1) * size), int(index * size) + 1)]
        out.append(round(max((abs(v) for v in chunk), default=0) / 32768, 3))
    return out
