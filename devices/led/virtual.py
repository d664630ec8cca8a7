"""Virtual boards: decode the very bytes a real bus would carry and remember the result.

A :class:`VirtualBus` stands in for the cable and its boards. Its :meth:`open` is an
opener for :class:`~xephang.devices.led.bus.LedBus`; :meth:`unplug` / :meth:`plug` simulate a
pulled USB adapter. :meth:`feed` also accepts bytes read from a real port.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from serial import SerialException

from xephang.devices.led.protocols import BoardFrame, LedProtocol

HISTORY_LENGTH = 50


@dataclass(frozen=True)
class ShownEntry:
    """One thing a board was told to show."""

    at: float
    text: str | None
    blink: bool


@dataclass
class VirtualBoard:
    """What a board at ``address`` currently shows, and what it showed before."""

    address: int
    text: str | None = None
    blink: bool = False
    frames: int = 0
    history: deque[ShownEntry] = field(default_factory=lambda: deque(maxlen=HISTORY_LENGTH))

    def apply(self, frame: BoardFrame, at: float) -> None:
        self.text, self.blink = frame.text, frame.blink
        self.frames += 1
        self.history.append(ShownEntry(at, frame.text, frame.blink))

    def snapshot(self) -> dict[str, object]:
        """Plain data for a web page."""
        return {"address": self.address, "text": self.text, "blink": self.blink}


class VirtualBus:
    """Boards on a simulated line, decoding with ``protocol``."""

    def __init__(self, name: str, protocol: LedProtocol, addresses: tuple[int, ...] = ()) -> None:
        self.name = name
        self.protocol = protocol
        self.boards: dict[int, VirtualBoard] = {a: VirtualBoard(a) for a in addresses}
        self.plugged = True
        self.silent: set[int] = set()
        """Addresses that ignore frames (a broken board or a cut stub)."""
        self.received = bytearray()
        self.replies = bytearray()
        self._buffer = bytearray()
        self._cond = threading.Condition()
        self._listeners: list[Callable[[VirtualBoard], None]] = []

    def open(self) -> VirtualPort:
        """An opener for :class:`~xephang.devices.led.bus.LedBus`; fails while unplugged."""
        if not self.plugged:
            raise SerialException(f"virtual bus {self.name!r} is unplugged")
        return VirtualPort(self)

    def unplug(self) -> None:
        self.plugged = False

    def plug(self) -> None:
        self.plugged = True

    def on_change(self, listener: Callable[[VirtualBoard], None]) -> None:
        """Call ``listener`` (from the writing thread) after each decoded frame."""
        self._listeners.append(listener)

    def feed(self, data: bytes) -> list[BoardFrame]:
        """Take bytes off the line; complete frames update the boards."""
        now = time.time()
        with self._cond:
            self.received += data
            self._buffer += data
            frames, used = self.protocol.split(bytes(self._buffer))
            del self._buffer[:used]
            decoded = []
            changed = []
            for raw in frames:
                frame = self.protocol.decode(raw)
                if frame.address in self.silent:
                    continue
                decoded.append(frame)
                board = self.boards.setdefault(frame.address, VirtualBoard(frame.address))
                board.apply(frame, now)
                changed.append(board)
                self.replies += self.protocol.expected_reply(raw)
            self._cond.notify_all()
        for board in changed:
            for listener in self._listeners:
                listener(board)
        return decoded

    def take_replies(self, size: int) -> bytes:
        """Up to ``size`` bytes the boards answered (what the bus reads back)."""
        with self._cond:
            data = bytes(self.replies[:size])
            del self.replies[:size]
        return data

    def showing(self) -> dict[int, str | None]:
        """Address → text currently shown."""
        with self._cond:
            return {address: board.text for address, board in sorted(self.boards.items())}

    def snapshot(self) -> list[dict[str, object]]:
        with self._cond:
            return [board.snapshot() for _, board in sorted(self.boards.items())]

    def wait_until(
        self, predicate: Callable[[dict[int, VirtualBoard]], bool], timeout: float
    ) -> bool:
        """Block until ``predicate(boards)`` holds (True) or ``timeout`` passes (False)."""
        with self._cond:
            return self._cond.wait_for(lambda: predicate(self.boards), timeout)


class VirtualPort:
    """The serial-port side of a :class:`VirtualBus` (what ``LedBus`` writes to)."""

    def __init__(self, bus: VirtualBus) -> None:
        self._bus = bus
        self.is_open = True

    def _check(self) -> None:
        if not self.is_open:
            raise SerialException("port is closed")
        if not self._bus.plugged:
            raise SerialException(f"virtual bus {self._bus.name!r} was unplugged")

    @property
    def in_waiting(self) -> int:
        self._check()
        return len(self._bus.replies)

    def write(self, data: bytes, /) -> int:
        self._check()
        self._bus.feed(bytes(data))
        return len(data)

    def flush(self) -> None:
        self._check()

    def read(self, size: int = 1, /) -> bytes:
        """Answers of the boards (no waiting: they answer as soon as they are written to)."""
        self._check()
        return self._bus.take_replies(size)

    def close(self) -> None:
        self.is_open = False
