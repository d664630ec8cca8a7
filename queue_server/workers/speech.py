"""The device worker's loudspeaker queue: calls played one at a time, in order, bounded.

One thread takes calls from a bounded queue and plays each to its end before the next,
so two calls never overlap on this machine's speaker. When the speaker falls behind
(``limit`` calls already waiting), the oldest waiting call is dropped: by the time it
would be heard the citizen has read it on the display, and the newest call matters most.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable

from xephang.devices.audio.speaker import Played

log = logging.getLogger(__name__)

SPEECH_QUEUE_LIMIT = 10  # calls waiting for the speaker; older ones are dropped
Call = tuple[str, int | str]  # (ticket number, counter)


class SpeechQueue:
    """Plays calls with ``play`` on one thread; ``spoken`` keeps what was played."""

    def __init__(
        self,
        play: Callable[[Call], Played | None],
        spoken: deque[Played],
        *,
        limit: int = SPEECH_QUEUE_LIMIT,
    ) -> None:
        self.play = play
        self.spoken = spoken
        self.limit = limit
        self.dropped = 0  # calls dropped because too many were waiting
        self._waiting: deque[Call] = deque()
        self._changed = threading.Condition()
        self._stopped = False
        self._thread: threading.Thread | None = None

    def start(self) -> SpeechQueue:
        self._thread = threading.Thread(target=self._run, name="xephang-speech", daemon=True)
        self._thread.start()
        return self

    def put(self, call: Call) -> None:
        """Queue ``call``; never blocks (drops the oldest waiting call when full)."""
        with self._changed:
            if len(self._waiting) >= self.limit:
                old = self._waiting.popleft()
                self.dropped += 1
                log.warning("speaker behind: call %s to counter %s not played", *old)
            self._waiting.append(call)
            self._changed.notify_all()

    def waiting(self) -> int:
        with self._changed:
            return len(self._waiting)

    def stop(self, timeout: float = 5) -> None:
        """Stop after the call being played (waiting calls are not played)."""
        with self._changed:
            self._stopped = True
            self._waiting.clear()
            self._changed.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=timeout)

    def _next(self) -> Call | None:
        with self._changed:
            self._changed.wait_for(lambda: self._stopped or bool(self._waiting))
            return None if self._stopped else self._waiting.popleft()

    def _run(self) -> None:
        while (call := self._next()) is not None:
            try:
                played = self.play(call)
            except Exception:
                log.exception("announcement failed")
                continue
            if played is None:
                continue
            if not played.ok:
                log.warning("announcement not played: %s", played.problem)
            self.spoken.append(played)
