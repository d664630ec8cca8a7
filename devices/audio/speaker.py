"""Speakers: something that plays an announcement. ``VirtualSpeaker`` records instead."""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from xephang.devices.audio.announcement import Announcement
from xephang.devices.audio.render import RenderedAnnouncement, Renderer
from xephang.i18n import _

HISTORY_LENGTH = 100  # announcements a VirtualSpeaker keeps


@dataclass(frozen=True)
class Played:
    """What a speaker played (or tried to)."""

    text: str
    spoken_text: str
    wav_path: Path
    duration_s: float
    ok: bool
    problem: str = ""
    missing: tuple[str, ...] = ()


class Speaker(Protocol):
    """Plays announcements."""

    def play(self, announcement: Announcement) -> Played: ...


class VirtualSpeaker:
    """Renders announcements like a real speaker and records them instead of playing.

    ``played`` keeps the latest ``history`` announcements; ``count`` counts them all.
    """

    def __init__(self, renderer: Renderer, *, history: int = HISTORY_LENGTH) -> None:
        self.renderer = renderer
        self.played: deque[Played] = deque(maxlen=history)
        self.count = 0
        self._changed = threading.Condition()

    def play(self, announcement: Announcement) -> Played:
        rendered = self.renderer.render(announcement)
        record = _played(rendered, ok=True)
        with self._changed:
            self.played.append(record)
            self.count += 1
            self._changed.notify_all()
        return record

    def wait_for(self, count: int, timeout_s: float = 5.0) -> bool:
        """Wait until at least ``count`` announcements were played (``False`` on timeout)."""
        with self._changed:
            return self._changed.wait_for(lambda: self.count >= count, timeout_s)


class CommandSpeaker:
    """Plays the rendered WAV with a command such as ``aplay -q`` (ALSA) on this machine."""

    def __init__(
        self, renderer: Renderer, command: tuple[str, ...] = ("aplay", "-q"), timeout_s: float = 60
    ) -> None:
        self.renderer = renderer
        self.command = command
        self.timeout_s = timeout_s

    def status(self) -> str:
        if shutil.which(self.command[0]) is None:
            return _("{program} is not installed: announcements cannot be played here").format(
                program=self.command[0]
            )
        return _("{program} is ready").format(program=self.command[0])

    def play(self, announcement: Announcement) -> Played:
        rendered = self.renderer.render(announcement)
        if shutil.which(self.command[0]) is None:
            return _played(rendered, ok=False, problem=self.status())
        try:
            subprocess.run(
                [*self.command, str(rendered.path)],
                check=True,
                capture_output=True,
                timeout=self.timeout_s,
            )
        except subprocess.TimeoutExpired:
            return _played(rendered, ok=False, problem=_("playback did not finish in time"))
        except (subprocess.CalledProcessError, OSError) as exc:
            message = _("playback failed: {error}").format(error=exc)
            return _played(rendered, ok=False, problem=message)
        return _played(rendered, ok=True)


def _played(rendered: RenderedAnnouncement, *, ok: bool, problem: str = "") -> Played:
    return Played(
        text=rendered.text,
        spoken_text=rendered.spoken_text,
        wav_path=rendered.path,
        duration_s=rendered.duration_s,
        ok=ok,
        problem=problem,
        missing=rendered.missing,
    )
