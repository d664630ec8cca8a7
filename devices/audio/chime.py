"""A synthesised two-tone "ding-dong" chime, so no recorded chime is needed.

Write one for a human-recorded pack:
``python -m xephang.devices.audio.chime _chime.wav --rate 22050``.
"""

from __future__ import annotations

import argparse
import math
from array import array
from pathlib import Path

from xephang.devices.audio.wavio import Audio, to_bytes, write_wav

TONES = ((784.0, 0.45), (587.33, 0.75))
"""(frequency Hz, seconds) of each tone: G5 then D5."""


def synth_chime(sample_rate: int, volume: float = 0.45) -> Audio:
    """Two decaying sine tones with a soft attack; starts and ends above the silence level."""
    data = array("h")
    peak = 32767 * volume
    for frequency, seconds in TONES:
        count = round(sample_rate * seconds)
        attack = round(sample_rate * 0.004)
        for i in range(count):
            envelope = math.exp(-3.0 * i / count) * min(1.0, (i + 1) / attack)
            # a second harmonic makes it sound like a bell rather than a beep
            t = i / sample_rate
            wave = 0.8 * math.sin(2 * math.pi * frequency * t)
            wave += 0.2 * math.sin(4 * math.pi * frequency * t)
            data.append(round(peak * envelope * wave))
    return Audio(to_bytes(data), sample_rate)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the xephang chime as a mono WAV file.")
    parser.add_argument("output", type=Path)
    parser.add_argument("--rate", type=int, default=16000, help="sample rate in Hz")
    args = parser.parse_args(argv)
    write_wav(args.output, synth_chime(args.rate))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
