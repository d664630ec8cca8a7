"""Serial ports (USB–RS-485/RS-232 adapters) and the probe of LED board addresses.

Adapters are listed from ``/dev/serial/by-id`` (names that survive re-plugging); ports
named by the administrator are added (socat ptys, ``/dev/ttyS0``). Only configured
buses and named ports are probed: bytes are never sent to an unknown adapter (it may
be a serial printer).

Modbus boards are asked to *read* their display register (function 03), which changes
nothing on the board; a normal answer or a Modbus exception both prove a unit is
there. The 4-byte and ASCII protocols have no replies: their boards cannot be probed.
"""

from __future__ import annotations

import os
import struct
import time
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import serial

from xephang.devices.led.config import LedBusConfig
from xephang.devices.led.protocols.crc import crc16_modbus_bytes
from xephang.i18n import _

from .model import BoardAnswer, BusProbe, SerialPort

BY_ID = Path("/dev/serial/by-id")
PROBED_ADDRESSES = range(1, 33)
READ_HOLDING_REGISTERS = 0x03


def _port_details() -> dict[str, tuple[str, int | None, int | None]]:
    """device → (description, vendor id, product id), from pyserial's port list."""
    from serial.tools import list_ports

    return {p.device: (p.description or "", p.vid, p.pid) for p in list_ports.comports()}


def serial_ports(named: Iterable[str] = (), by_id: Path = BY_ID) -> list[SerialPort]:
    """The adapters under ``by_id`` and the ``named`` ports that exist."""
    details = _port_details()
    ports: list[SerialPort] = []
    entries = [(str(p), False) for p in sorted(by_id.iterdir())] if by_id.is_dir() else []
    for path, named_port in [*entries, *((str(n), True) for n in named)]:
        if not os.path.exists(path):
            continue
        device = os.path.realpath(path)
        description, vid, pid = details.get(device, ("", None, None))
        ports.append(SerialPort(path, device, description, vid, pid, named=named_port))
    return ports


def modbus_read_request(address: int, register: int) -> bytes:
    """Function 03, one register: ``01 03 00 00 00 01 84 0A`` for unit 1, register 0."""
    body = struct.pack(">BBHH", address, READ_HOLDING_REGISTERS, register, 1)
    return body + crc16_modbus_bytes(body)


def read_modbus_answer(port: serial.Serial, address: int) -> BoardAnswer:
    """What unit ``address`` answered to a function-03 request (within the port timeout)."""
    reply = port.read(5)  # an exception reply is 5 bytes, a normal one 7
    if len(reply) == 5 and reply[0] == address and reply[1] == READ_HOLDING_REGISTERS:
        reply += port.read(2)
    if len(reply) < 5 or reply[0] != address:
        return BoardAnswer(address, False)
    if crc16_modbus_bytes(reply[:-2]) != reply[-2:]:
        return BoardAnswer(address, False, _("garbled reply"))
    if reply[1] == READ_HOLDING_REGISTERS | 0x80:
        return BoardAnswer(address, True, _("Modbus exception {code}").format(code=reply[2]))
    if reply[1] == READ_HOLDING_REGISTERS and len(reply) == 7:
        return BoardAnswer(
            address, True, _("register = {value}").format(value=reply[3] << 8 | reply[4])
        )
    return BoardAnswer(address, False, _("garbled reply"))


def open_bus_port(bus: LedBusConfig, timeout_s: float) -> serial.Serial:
    """``bus.port`` opened with the bus's serial settings (locked when ``exclusive``)."""
    opened = serial.serial_for_url(
        bus.port,
        baudrate=bus.baudrate,
        bytesize=bus.bytesize,
        parity=bus.parity,
        stopbits=bus.stopbits,
        timeout=timeout_s,
        write_timeout=bus.write_timeout_s,
        exclusive=bus.exclusive or None,
    )
    return opened


def probe_bus(
    bus: LedBusConfig,
    addresses: Iterable[int] = PROBED_ADDRESSES,
    timeout_s: float = 0.05,
    configured: bool = True,
) -> BusProbe:
    """Ask each of ``addresses`` on ``bus`` whether a board is there.

    Takes at most ``timeout_s`` per silent address (32 × 50 ms = 1.6 s by default).
    """
    base = BusProbe(
        port=bus.port,
        protocol=bus.protocol,
        baudrate=bus.baudrate,
        bus=bus.name if configured else None,
    )
    if bus.protocol != "modbus":
        return replace(base, replies_possible=False)
    started = time.monotonic()
    try:
        port = open_bus_port(bus, timeout_s)
    except (serial.SerialException, OSError, ValueError) as exc:
        return replace(base, error=port_problem(exc))
    answers: list[BoardAnswer] = []
    with port:
        for address in addresses:
            port.reset_input_buffer()  # a late answer from the last address is not this one's
            port.write(modbus_read_request(address, bus.modbus.display_register))
            port.flush()
            answers.append(read_modbus_answer(port, address))
    return replace(base, answers=answers, seconds=round(time.monotonic() - started, 3))


def port_problem(exc: BaseException) -> str:
    """Why a serial port could not be opened, in words for the administrator."""
    text = str(exc) or type(exc).__name__
    if "lock" in text.lower() or "busy" in text.lower():
        return _("in use by another program (is xephang driving it?): {error}").format(error=text)
    return text
