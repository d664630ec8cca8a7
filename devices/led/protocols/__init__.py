"""LED board wire protocols and the factory that builds one from a bus config."""

from __future__ import annotations

from typing import TYPE_CHECKING

from xephang.devices.led.protocols.ascii_line import AsciiLineProtocol
from xephang.devices.led.protocols.base import BoardFrame, FrameError, LedProtocol
from xephang.devices.led.protocols.four_byte import FourByteProtocol
from xephang.devices.led.protocols.modbus import ModbusProtocol

if TYPE_CHECKING:
    from xephang.devices.led.config import LedBusConfig


def build_protocol(bus: LedBusConfig) -> LedProtocol:
    """The protocol named by ``bus.protocol`` with its options."""
    if bus.protocol == "modbus":
        return ModbusProtocol(**bus.modbus.model_dump())
    if bus.protocol == "ascii":
        return AsciiLineProtocol(**bus.ascii.model_dump())
    return FourByteProtocol(**bus.four_byte.model_dump())


__all__ = [
    "AsciiLineProtocol",
    "BoardFrame",
    "FourByteProtocol",
    "FrameError",
    "LedProtocol",
    "ModbusProtocol",
    "build_protocol",
]
