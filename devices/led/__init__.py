"""LED counter boards: numbers above each counter, driven over RS-485 (or virtual).

The server uses :func:`build_board_set` with a :class:`LedConfig` and then calls
``BoardSet.show(counter, "A023")`` / ``BoardSet.clear(counter)``; everything else (one
writer thread per bus, reconnecting, resending the current numbers) happens here.

Names are imported from their modules on first use (:mod:`xephang.devices.lazy`), so that
importing ``xephang.devices.led.config`` loads no driver.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from xephang.devices.lazy import lazy_exports

if TYPE_CHECKING:  # for type checkers; at run time __getattr__ imports on first use
    from xephang.devices.led.board import BusBoard, CounterBoard
    from xephang.devices.led.boardset import BoardSet, build_board_set
    from xephang.devices.led.bus import LedBus
    from xephang.devices.led.config import (
        AsciiOptions,
        BackoffConfig,
        FourByteOptions,
        LedBoardConfig,
        LedBusConfig,
        LedConfig,
        ModbusOptions,
    )
    from xephang.devices.led.digits import LedNumberError, MissingNumberError, NumberTooLargeError
    from xephang.devices.led.protocols import BoardFrame, FrameError, LedProtocol, build_protocol
    from xephang.devices.led.simulator import BoardSimulator
    from xephang.devices.led.status import BoardStatus
    from xephang.devices.led.virtual import VirtualBoard, VirtualBus

__all__ = [
    "AsciiOptions",
    "BackoffConfig",
    "BoardFrame",
    "BoardSet",
    "BoardSimulator",
    "BoardStatus",
    "BusBoard",
    "CounterBoard",
    "FourByteOptions",
    "FrameError",
    "LedBoardConfig",
    "LedBus",
    "LedBusConfig",
    "LedConfig",
    "LedNumberError",
    "LedProtocol",
    "MissingNumberError",
    "ModbusOptions",
    "NumberTooLargeError",
    "VirtualBoard",
    "VirtualBus",
    "build_board_set",
    "build_protocol",
]

__getattr__ = lazy_exports(__name__)
