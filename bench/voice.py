"""Voice layer figures: build, render (cold and cached), espeak-ng fallback.

.venv/bin/python bench/voice.py
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from xephang.devices.audio.announcement import AnnouncementConfig, build_announcement
from xephang.devices.audio.espeak import Espeak
from xephang.devices.audio.pack import VoicePack
from xephang.devices.audio.render import Renderer


def _ms(samples: list[float]) -> str:
    return f"median {statistics.median(samples) * 1000:.2f} ms, max {max(samples) * 1000:.2f} ms"


def main() -> None:
    packs = [VoicePack.load("vi-espeak"), VoicePack.load("en-espeak")]
    config = AnnouncementConfig(second_language="en")
    with tempfile.TemporaryDirectory() as tmp:
        renderer = Renderer(packs, cache_dir=Path(tmp))
        builds, cold, warm = [], [], []
        for n in range(1, 201):
            start = time.perf_counter()
            announcement = build_announcement(f"A{n:03d}", n % 12 + 1, config)
            builds.append(time.perf_counter() - start)
            start = time.perf_counter()
            rendered = renderer.render(announcement)
            cold.append(time.perf_counter() - start)
            start = time.perf_counter()
            renderer.render(announcement)
            warm.append(time.perf_counter() - start)
        print(f"build announcement:      {_ms(builds)}")
        print(f"render (not cached):     {_ms(cold)}  (vi+en, {rendered.duration_s:.1f} s audio)")
        print(f"render (cached):         {_ms(warm)}")
    espeak = Espeak()
    if espeak.available:
        times = []
        for word in ("mười", "hai", "ba", "bốn", "năm"):
            start = time.perf_counter()
            espeak.synthesize(word, "vi", 16000)
            times.append(time.perf_counter() - start)
        print(f"espeak-ng fallback word: {_ms(times)}")
    else:
        print(espeak.status())


if __name__ == "__main__":
    main()
