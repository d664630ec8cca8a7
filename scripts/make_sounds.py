"""Write the vendored sounds of display/static/sounds/ (run again after changing them).

- ``alert.wav``: the chime staff screens play for a new call for assistance (xephang's
  own synthesised chime, 11,025 Hz mono).
- ``help-coming-<language>.wav``: what the kiosk says after its "I need help" button,
  spoken by espeak-ng (installed from Debian; no download).

Usage: ``.venv/bin/python scripts/make_sounds.py``
"""

from __future__ import annotations

from pathlib import Path

from xephang.devices.audio.chime import synth_chime
from xephang.devices.audio.espeak import Espeak
from xephang.devices.audio.wavio import write_wav

FOLDER = Path(__file__).resolve().parents[1] / "display" / "static" / "sounds"
RATE = 11025
HELP_COMING = {
    "vi": "Đã gọi người hỗ trợ. Xin vui lòng chờ tại đây.",
    "en": "Help is on the way. Please wait here.",
}


def main() -> int:
    FOLDER.mkdir(parents=True, exist_ok=True)
    write_wav(FOLDER / "alert.wav", synth_chime(RATE))
    speaker = Espeak(speed_wpm=130)
    for language, text in HELP_COMING.items():
        audio = speaker.synthesize(text, language, RATE)
        if audio is None:
            raise SystemExit(f"espeak-ng could not speak {language}: {speaker.status()}")
        write_wav(FOLDER / f"help-coming-{language}.wav", audio)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
