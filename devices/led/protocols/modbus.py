"""Modbus RTU "write single holding register" (function 06): one register per board.

1023 on unit 1, register 0 is ``01 06 00 00 03 FF C9 7A``.
"""

from __future__ import annotations

import struct

from xephang.devices.led.digits import Overflow, numeric_value
from xephang.devices.led.protocols.base import BoardFrame, FixedLengthProtocol, FrameError
from xephang.devices.led.protocols.crc import crc16_modbus_bytes

WRITE_SINGLE_REGISTER = 0x06


class ModbusProtocol(FixedLengthProtocol):
    """Writes the number (or ``clear_value``) into ``display_register`` of each unit."""

    name = "modbus"
    frame_length = 8
    frame_gap_chars = 3.5

    def __init__(
        self,
        display_register: int = 0,
        clear_value: int = 0,
        blink_mask: int = 0,
        digits: int = 4,
        overflow: Overflow = "last_digits",
        confirm: bool = False,
    ) -> None:
        if not 0 <= display_register <= 0xFFFF or not 0 <= clear_value <= 0xFFFF:
            raise ValueError("register and clear_value must fit in 16 bits")
        if not 1 <= digits <= 4:
            raise ValueError("a Modbus register holds at most 4 decimal digits")
        if blink_mask and (blink_mask & (blink_mask - 1) or blink_mask <= 10**digits - 1):
            raise ValueError("blink_mask must be one bit above the largest number")
        self.register = display_register
        self.clear_value = clear_value
        self.blink_mask = blink_mask
        self.digits = digits
        self.overflow: Overflow = overflow
        self.supports_blink = bool(blink_mask)
        self.confirm = confirm

    def check_address(self, address: int) -> None:
        if not 1 <= address <= 247:
            raise ValueError(f"Modbus unit address must be 1–247 (got {address})")

    def encode(self, address: int, number: str | None, blink: bool = False) -> bytes:
        self.check_address(address)
        if number is None:
            value = self.clear_value
        else:
            value = numeric_value(number, self.digits, self.overflow)
            if blink:
                value |= self.blink_mask
        body = struct.pack(">BBHH", address, WRITE_SINGLE_REGISTER, self.register, value)
        return body + crc16_modbus_bytes(body)

    def decode(self, frame: bytes) -> BoardFrame:
        if len(frame) != self.frame_length:
            raise FrameError(f"a function 06 frame has 8 bytes (got {len(frame)})")
        if crc16_modbus_bytes(frame[:6]) != frame[6:]:
            raise FrameError("CRC mismatch")
        address, function, register, value = struct.unpack(">BBHH", frame[:6])
        if function != WRITE_SINGLE_REGISTER:
            raise FrameError(f"function {function} is not 06 (write single register)")
        if register != self.register:
            raise FrameError(f"register {register} is not the display register")
        if value == self.clear_value:
            return BoardFrame(address, None)
        blink = bool(value & self.blink_mask)
        return BoardFrame(address, str(value & ~self.blink_mask & 0xFFFF), blink)

    def expected_reply(self, frame: bytes) -> bytes:
        """A unit answers function 06 by echoing the request (read only with ``confirm``)."""
        return frame if self.confirm else b""
