"""A socat pty pair with a pymodbus RTU server answering as unit 3 on its far end."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pymodbus.exceptions import NoSuchIdException
from pymodbus.server import ModbusSerialServer
from pymodbus.simulator import DataType, SimData, SimDevice

BOARD_ADDRESS = 3
REGISTER_VALUE = 42


@dataclass
class ModbusLine:
    """``port``: the end xephang opens; a pymodbus server is unit 3 on the other."""

    port: Path
    socat: subprocess.Popen[str]


class _OnlyConfiguredUnits:
    """pymodbus 3.16's datastore answers every unit id (with a "device failure"
    exception); a real RS-485 line is silent for absent units, so they raise
    ``NoSuchIdException`` here and ``ignore_missing_devices`` keeps the server quiet."""

    def __init__(self, core: Any) -> None:
        self.core = core

    def __getattr__(self, name: str) -> Any:
        return getattr(self.core, name)

    async def async_getValues(self, device_id: int, *args: Any) -> Any:
        if device_id not in self.core.devices:
            raise NoSuchIdException(f"unit {device_id}")
        return await self.core.async_getValues(device_id, *args)

    async def async_setValues(self, device_id: int, *args: Any) -> Any:
        if device_id not in self.core.devices:
            raise NoSuchIdException(f"unit {device_id}")
        return await self.core.async_setValues(device_id, *args)


def start_socat(directory: Path) -> tuple[subprocess.Popen[str], Path, Path]:
    bus_end, board_end = directory / "ttyBus", directory / "ttyBoards"
    process = subprocess.Popen(
        ["socat", "-d", "-d", f"pty,raw,echo=0,link={bus_end}", f"pty,raw,echo=0,link={board_end}"],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    for line in process.stderr:  # socat reports each pty, then starts its loop
        if "starting data transfer loop" in line:
            break
    assert bus_end.exists() and board_end.exists(), f"socat did not start ({process.poll()})"
    return process, bus_end, board_end


@pytest.fixture(scope="module")
def modbus_line(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModbusLine]:
    if shutil.which("socat") is None:
        pytest.fail("socat is not installed (scripts/system-deps.sh)")
    process, bus_end, board_end = start_socat(tmp_path_factory.mktemp("rs485"))
    loop = asyncio.new_event_loop()
    listening = threading.Event()
    stop = asyncio.Event()

    async def serve() -> None:
        device = SimDevice(
            id=BOARD_ADDRESS,
            simdata=[SimData(0, count=4, values=REGISTER_VALUE, datatype=DataType.REGISTERS)],
        )
        server = ModbusSerialServer(
            device, port=str(board_end), baudrate=9600, ignore_missing_devices=True
        )
        server.context = _OnlyConfiguredUnits(server.context)  # type: ignore[assignment]
        await server.listen()
        listening.set()
        await stop.wait()
        await server.shutdown()

    thread = threading.Thread(target=lambda: loop.run_until_complete(serve()), daemon=True)
    thread.start()
    assert listening.wait(10), "the pymodbus server did not start"
    yield ModbusLine(bus_end, process)
    loop.call_soon_threadsafe(stop.set)
    thread.join(10)
    process.terminate()
    process.wait(10)
    assert process.stderr is not None
    process.stderr.close()
