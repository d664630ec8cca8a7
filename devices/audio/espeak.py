"""espeak-ng as a last resort for words a voice pack lacks (robotic, but better than silence).

Text goes to espeak-ng as words on stdin, never as digits (the ``vi`` voice misreads digit
strings). Absent espeak-ng is not an error: :meth:`Espeak.synthesize` returns ``None`` and
:meth:`Espeak.status` says why.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import threading
import wave
from pathlib import Path

from xephang.devices.audio.wavio import Audio, read_wav, resample, to_mono16, trim_silence
from xephang.i18n import _

DEFAULT_SPEED_WPM = 150


class Espeak:
    """Runs espeak-ng in a subprocess with a timeout; results are cached in memory."""

    def __init__(
        self,
        executable: str = "espeak-ng",
        *,
        timeout_s: float = 5.0,
        speed_wpm: int = DEFAULT_SPEED_WPM,
    ) -> None:
        self.executable = executable
        self.timeout_s = timeout_s
        self.speed_wpm = speed_wpm
        self._failure: str | None = None
        self._timed_out_after: float | None = None
        self._cache: dict[tuple[str, str, int], Audio] = {}
        self._lock = threading.Lock()

    @property
    def last_error(self) -> str | None:
        """Why the last synthesis failed (in the current language), or ``None``."""
        if self._timed_out_after is not None:
            return _("no answer within {seconds} s").format(seconds=self._timed_out_after)
        return self._failure

    @property
    def path(self) -> str | None:
        return shutil.which(self.executable)

    @property
    def available(self) -> bool:
        return self.path is not None

    def status(self) -> str:
        """One line for a person: ready, missing, or the last failure."""
        if not self.available:
            return _("espeak-ng is not installed: words missing from the voice pack are skipped")
        if self.last_error:
            return _("espeak-ng failed: {error}").format(error=self.last_error)
        return _("espeak-ng is ready to speak words missing from the voice pack")

    def synthesize(self, text: str, voice: str, sample_rate: int) -> Audio | None:
        """Trimmed mono audio of ``text`` at ``sample_rate``, or ``None`` if espeak-ng cannot."""
        key = (voice, text, sample_rate)
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        executable = self.path
        if executable is None:
            return None
        with tempfile.TemporaryDirectory(prefix="xephang-espeak-") as tmp:
            out = Path(tmp) / "out.wav"
            command = [executable, "-v", voice, "-s", str(self.speed_wpm), "-w", str(out)]
            command.append("--stdin")
            try:
                subprocess.run(
                    command,
                    input=text.encode("utf-8"),
                    capture_output=True,
                    timeout=self.timeout_s,
                    check=True,
                )
                audio = to_mono16(read_wav(out))
            except subprocess.TimeoutExpired:
                self._failure, self._timed_out_after = None, self.timeout_s
                return None
            except (
                subprocess.CalledProcessError,
                OSError,
                EOFError,
                ValueError,
                wave.Error,
            ) as exc:
                self._failure, self._timed_out_after = str(exc), None
                return None
        audio = resample(trim_silence(audio), sample_rate)
        self._failure = self._timed_out_after = None
        with self._lock:
            self._cache[key] = audio
        return audio
