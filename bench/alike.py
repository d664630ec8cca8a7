"""Letters that sound alike: how long the acoustic voice check takes (CPU seconds of this
process, so that other work on the machine does not count), and the closest pairs.

.venv/bin/python bench/alike.py [PACK]      # default: the bundled vi-espeak
"""

from __future__ import annotations

import itertools
import sys
import time

from xephang.devices.audio.alike import clip_frames
from xephang.devices.audio.check import check_pack
from xephang.devices.audio.languages import LANGUAGES
from xephang.devices.audio.likeness import distance, features
from xephang.devices.audio.pack import VoicePack, resolve_pack
from xephang.devices.audio.wavio import read_wav


def main() -> None:
    folder = resolve_pack(sys.argv[1] if len(sys.argv) > 1 else "vi-espeak")
    pack = VoicePack.load(folder)
    clips = {c.text: folder / c.file for c in pack.manifest.clips if not c.text.startswith("_")}
    start = time.process_time()
    frames = {text: features(read_wav(path)) for text, path in clips.items()}
    featured = time.process_time() - start
    print(f"features of {len(frames)} clips:          {featured:.2f} s")
    start = time.process_time()
    gaps = sorted(
        (distance(frames[a], frames[b]), a, b) for a, b in itertools.combinations(frames, 2)
    )
    print(f"every pair of clips ({len(gaps)}):      {time.process_time() - start:.2f} s")
    letters = LANGUAGES[pack.language].letter_names
    clip_frames.cache_clear()
    start = time.process_time()
    problems = check_pack(folder, prefixes=list(letters))
    print(f"check_pack, every letter as prefix: {time.process_time() - start:.2f} s, cold")
    start = time.process_time()
    check_pack(folder, prefixes=list(letters))
    print(f"check_pack again (features cached): {time.process_time() - start:.2f} s")
    two = ["".join(p) for p in itertools.product("ABCDEGHKLMN", repeat=2)]
    start = time.process_time()
    check_pack(folder, prefixes=two)
    print(f"check_pack, {len(two)} two-letter prefixes: {time.process_time() - start:.2f} s")
    print(f"problems: {len(problems)}")
    names = set(letters.values())
    print("closest letter names:")
    for gap, a, b in [g for g in gaps if g[1] in names and g[2] in names][:6]:
        print(f"  {gap:5.2f}  {a} / {b}")
    print("closest clips of the whole pack:")
    for gap, a, b in gaps[:6]:
        print(f"  {gap:5.2f}  {a} / {b}")


if __name__ == "__main__":
    main()
