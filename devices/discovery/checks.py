"""Proving a device before the day starts: a test ticket, and "888" on one board.

Both open the device directly, so they are for devices no running worker drives (a
worker holds its serial ports locked: the board check then says the port is in use).
The admin page sends the same checks through the worker that drives the device.
"""

from __future__ import annotations

from dataclasses import dataclass

import serial

from xephang.devices.led.config import LedBusConfig
from xephang.devices.led.digits import LedNumberError
from xephang.devices.led.protocols import build_protocol
from xephang.i18n import _

from .serial_ports import open_bus_port, port_problem

TEST_NUMBER = "888"


@dataclass(frozen=True)
class BoardCheck:
    """What showing a number on one board gave."""

    ok: bool
    confirmed: bool
    """The board answered (Modbus echo); False: sent, look at the board."""
    message: str


def show_on_board(
    bus: LedBusConfig, address: int, number: str = TEST_NUMBER, timeout_s: float = 0.3
) -> BoardCheck:
    """Send ``number`` to board ``address`` on ``bus`` and read its echo if it gives one."""
    protocol = build_protocol(bus)
    try:
        frame = protocol.encode(address, number)
    except (ValueError, LedNumberError) as exc:
        return BoardCheck(False, False, str(exc))
    try:
        port = open_bus_port(bus, timeout_s)
    except (serial.SerialException, OSError, ValueError) as exc:
        return BoardCheck(False, False, port_problem(exc))
    with port:
        port.reset_input_buffer()
        port.write(frame)
        port.flush()
        echo = port.read(len(frame)) if bus.protocol == "modbus" else b""
    where = {"number": number, "address": address, "port": bus.port}
    if echo == frame:
        return BoardCheck(True, True, _("Board {address} confirmed {number}.").format(**where))
    if bus.protocol == "modbus":
        return BoardCheck(
            True,
            False,
            _(
                "Sent {number} to board {address} on {port}; it did not answer: look at the board."
            ).format(**where),
        )
    return BoardCheck(
        True,
        False,
        _(
            "Sent {number} to board {address} on {port}; this protocol has no replies: "
            "look at the board."
        ).format(**where),
    )
