"""The common vendor frame ``[address, high, low, sum]``: 999 on board 5 is ``05 03 E7 EF``."""

from __future__ import annotations

from xephang.devices.led.digits import Overflow, numeric_value
from xephang.devices.led.protocols.base import BoardFrame, FixedLengthProtocol, FrameError


class FourByteProtocol(FixedLengthProtocol):
    """Big-endian 16-bit number with an 8-bit additive checksum; no blinking."""

    name = "four_byte"
    frame_length = 4
    frame_gap_chars = 3.5

    def __init__(
        self, clear_value: int = 0, digits: int = 4, overflow: Overflow = "last_digits"
    ) -> None:
        if not 0 <= clear_value <= 0xFFFF:
            raise ValueError("clear_value must fit in 16 bits")
        if not 1 <= digits <= 4:
            raise ValueError("the 4-byte frame holds at most 4 decimal digits")
        self.clear_value = clear_value
        self.digits = digits
        self.overflow: Overflow = overflow

    def check_address(self, address: int) -> None:
        if not 0 <= address <= 255:
            raise ValueError(f"board address must be 0–255 (got {address})")

    def encode(self, address: int, number: str | None, blink: bool = False) -> bytes:
        self.check_address(address)
        value = (
            self.clear_value
            if number is None
            else numeric_value(number, self.digits, self.overflow)
        )
        high, low = value >> 8, value & 0xFF
        return bytes((address, high, low, (address + high + low) & 0xFF))

    def decode(self, frame: bytes) -> BoardFrame:
        if len(frame) != self.frame_length:
            raise FrameError(f"a frame has 4 bytes (got {len(frame)})")
        address, high, low, checksum = frame
        if (address + high + low) & 0xFF != checksum:
            raise FrameError("checksum mismatch")
        value = high << 8 | low
        return BoardFrame(address, None if value == self.clear_value else str(value))
