"""What every LED board protocol provides: bytes out (encode) and bytes back (decode)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from xephang.i18n import N_

NO_REPLY = N_("No reply from the board")
WRONG_REPLY = N_("Wrong reply from the board")


class FrameError(ValueError):
    """Bytes that are not a valid frame of the protocol."""


@dataclass(frozen=True)
class BoardFrame:
    """What one frame tells a board to do."""

    address: int
    text: str | None
    """What the board shows, e.g. ``"23"``; ``None`` means blank (cleared)."""
    blink: bool = False


class LedProtocol(ABC):
    """A wire format for numbers on counter boards."""

    name: str
    supports_blink: bool = False
    frame_gap_chars: float = 0.0
    """Silence (in character times) a board needs between two frames."""

    @abstractmethod
    def check_address(self, address: int) -> None:
        """Raise ``ValueError`` if ``address`` is not usable with this protocol."""

    @abstractmethod
    def encode(self, address: int, number: str | None, blink: bool = False) -> bytes:
        """The bytes that make board ``address`` show ``number`` (``None``: clear it).

        Raises :class:`~xephang.devices.led.digits.LedNumberError` if ``number`` cannot be shown.
        """

    @abstractmethod
    def decode(self, frame: bytes) -> BoardFrame:
        """Read back one complete frame; raises :class:`FrameError` if it is not one."""

    @abstractmethod
    def split(self, buffer: bytes) -> tuple[list[bytes], int]:
        """Cut complete frames from the start of a byte stream.

        Returns the frames and how many bytes of ``buffer`` were used (frames plus any
        garbage skipped); the rest is an incomplete frame waiting for more bytes.
        """

    def expected_reply(self, frame: bytes) -> bytes:
        """What a board answers to ``frame`` (``b""``: boards do not answer)."""
        return b""

    def check_reply(self, frame: bytes, reply: bytes) -> None:
        """Raise :class:`FrameError` unless ``reply`` is the expected answer to ``frame``."""
        expected = self.expected_reply(frame)
        if reply != expected:
            raise FrameError(NO_REPLY if not reply else WRONG_REPLY)


class FixedLengthProtocol(LedProtocol):
    """A protocol whose frames all have the same length and can be checked alone."""

    frame_length: int

    def split(self, buffer: bytes) -> tuple[list[bytes], int]:
        frames: list[bytes] = []
        start = 0
        while len(buffer) - start >= self.frame_length:
            candidate = bytes(buffer[start : start + self.frame_length])
            try:
                self.decode(candidate)
            except FrameError:
                start += 1  # hunt for the next frame start
                continue
            frames.append(candidate)
            start += self.frame_length
        return frames, start
