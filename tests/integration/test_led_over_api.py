"""Call next through the API → the exact bytes reach the LED bus (socat pty pairs)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from pymodbus.pdu import ModbusPDU
from pymodbus.pdu.register_message import WriteSingleRegisterRequest

from queue_server.auth.tokens import create_token
from queue_server.core.bootstrap import open_queue
from queue_server.runtime import start_app
from queue_server.settings import load_settings
from queue_server.web.state import runtime_of
from xephang.devices.led import VirtualBus, build_protocol
from xephang.devices.led.config import LedBusConfig

from .conftest import center_config, free_port, start, stop, wait_until_serving, xephang

pytestmark = pytest.mark.skipif(shutil.which("socat") is None, reason="socat is not installed")


@dataclass
class Pty:
    process: subprocess.Popen[str]
    bus_end: Path
    board_end: Path


@pytest.fixture
def pty(tmp_path: Path) -> Iterator[Pty]:
    bus_end, board_end = tmp_path / "ttyBus", tmp_path / "ttyBoards"
    process = subprocess.Popen(
        ["socat", "-d", "-d", f"pty,raw,echo=0,link={bus_end}", f"pty,raw,echo=0,link={board_end}"],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    for line in process.stderr:
        if "starting data transfer loop" in line:
            break
    yield Pty(process, bus_end, board_end)
    process.terminate()
    process.wait(timeout=5)


def led_toml(port: Path, protocol: str, worker: str = "embedded") -> str:
    return f"""
[devices]
worker = "{worker}"

[[led.buses]]
name = "rs485"
port = "{port}"
protocol = "{protocol}"
backoff = {{ initial_s = 0.1, max_s = 0.5 }}

[[led.boards]]
counter = 3
bus = "rs485"
address = 3

[voice]
enabled = false
"""


class BoardWire:
    """Reads the boards' end of the pty and decodes frames like a real board."""

    def __init__(self, path: Path, protocol: str) -> None:
        import os

        self.fd = os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        config = LedBusConfig(name="wire", port="virtual", protocol=protocol)  # type: ignore[arg-type]
        self.twin = VirtualBus("wire", build_protocol(config))
        self.raw = b""

    def wait_for(self, address: int, text: str | None, timeout: float = 5.0) -> bool:
        import os
        import select
        import time

        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            board = self.twin.boards.get(address)
            if board is not None and board.text == text:
                return True
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                data = os.read(self.fd, 4096)
                self.raw += data
                self.twin.feed(data)
        board = self.twin.boards.get(address)
        return board is not None and board.text == text

    def close(self) -> None:
        import os

        os.close(self.fd)


EXPECTED = {
    # Modbus RTU, unit 3, write register 0 = 1 (CRC-16/Modbus at the end).
    "modbus": bytes.fromhex("030600000001"),
    # Vendor 4-byte frame: address, high, low, sum.
    "four_byte": bytes([3, 0, 1, 4]),
}


@pytest.mark.parametrize("protocol", ["modbus", "four_byte", "ascii"])
def test_call_next_reaches_the_board(tmp_path: Path, pty: Pty, protocol: str) -> None:
    config = center_config(tmp_path, led_toml(pty.bus_end, protocol))
    settings = load_settings(config)
    queue = open_queue(settings)
    app = start_app(settings, queue=queue, testing=True, devices=True)
    wire = BoardWire(pty.board_end, protocol)
    try:
        client = app.test_client()
        queue.issue("CT")
        secret, _ = create_token(queue.db, "officer", counter=3, clock=queue.clock)
        response = client.post(
            "/api/v1/counters/3/next", headers={"Authorization": f"Bearer {secret}"}
        )
        assert response.status_code == 200
        assert wire.wait_for(3, "C001" if protocol == "ascii" else "1")
        if protocol == "modbus":
            frame = wire.raw[-8:]
            assert frame[:6] == EXPECTED["modbus"]
            request = WriteSingleRegisterRequest()
            request.decode(frame[2:6])
            assert (request.address, request.registers) == (0, [1])
            assert isinstance(request, ModbusPDU)
        elif protocol == "four_byte":
            assert wire.raw.endswith(EXPECTED["four_byte"])
        else:
            assert wire.raw.endswith(b"03C001\r\n")
    finally:
        wire.close()
        runtime_of(app).stop()
        queue.db.dispose()


def test_separate_devices_process_resyncs_after_server_restart(
    tmp_path: Path, pty: Pty, processes: list[subprocess.Popen[str]]
) -> None:
    config = center_config(tmp_path, led_toml(pty.bus_end, "four_byte", worker="external"))
    xephang("init", config=config)
    device = xephang("token", "create", "--role", "device", config=config).stdout.split()[0]
    officer = xephang(
        "token", "create", "--role", "officer", "--counter", "3", config=config
    ).stdout.split()[0]
    port = free_port()
    server = start("run", "--port", str(port), config=config)
    processes.append(server)
    wait_until_serving(port)
    url = f"http://127.0.0.1:{port}"
    devices = start("devices", "--server", url, "--token", device, config=config)
    processes.append(devices)
    assert devices.stdout is not None
    assert "Driving devices" in devices.stdout.readline()
    wire = BoardWire(pty.board_end, "four_byte")
    try:
        xephang("ticket", "issue", "CT", config=config)
        called = requests.post(
            f"{url}/api/v1/counters/3/next",
            headers={"Authorization": f"Bearer {officer}"},
            timeout=10,
        )
        assert called.status_code == 200
        assert wire.wait_for(3, "1")

        stop(server)
        xephang("ticket", "issue", "CT", config=config)
        xephang("counter", "next", "3", config=config)  # C002, unseen by any event
        server = start("run", "--port", str(port), config=config)
        processes.append(server)
        wait_until_serving(port)
        assert wire.wait_for(3, "2", timeout=15), wire.raw.hex()
    finally:
        wire.close()
