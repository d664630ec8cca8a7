"""LED bus figures: encode speed; show() → bytes on the far end of a socat pty pair."""

import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from devices.led import LedBoardConfig, LedBusConfig, LedConfig, VirtualBus, build_board_set
from devices.led.protocols import AsciiLineProtocol, FourByteProtocol, ModbusProtocol

for protocol in (ModbusProtocol(), FourByteProtocol(), AsciiLineProtocol()):
    n = 100_000
    start = time.perf_counter()
    for i in range(n):
        protocol.encode(1, f"A{i % 1000:03d}")
    encode_us = (time.perf_counter() - start) / n * 1e6
    frame = protocol.encode(1, "A023")
    start = time.perf_counter()
    for _ in range(n):
        protocol.decode(frame)
    decode_us = (time.perf_counter() - start) / n * 1e6
    print(f"{protocol.name:9s} encode {encode_us:5.1f} µs  decode {decode_us:5.1f} µs")

directory = Path(tempfile.mkdtemp())
socat = subprocess.Popen(
    ["socat", "-d", "-d", f"pty,raw,echo=0,link={directory}/bus", f"pty,raw,echo=0,link={directory}/boards"],
    stderr=subprocess.PIPE, text=True,
)
for line in socat.stderr:
    if "starting data transfer loop" in line:
        break
import os, select
fd = os.open(directory / "boards", os.O_RDWR | os.O_NOCTTY)
for baud in (9600, 115200):
    config = LedConfig(
        buses=[LedBusConfig(name="b", port=str(directory / "bus"), baudrate=baud)],
        boards=[LedBoardConfig(counter=c, bus="b", address=c) for c in range(1, 9)],
    )
    twin = VirtualBus("t", ModbusProtocol())
    latencies = []
    with build_board_set(config) as boards:
        while len(twin.showing()) < 8:
            select.select([fd], [], [], 1); twin.feed(os.read(fd, 4096))
        for i in range(300):
            counter = i % 8 + 1
            start = time.perf_counter()
            boards.show(counter, f"A{i + 1:03d}")
            while twin.boards[counter].text != str(i + 1):
                select.select([fd], [], [], 1); twin.feed(os.read(fd, 4096))
            latencies.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        for c in range(1, 9):
            boards.show(c, f"B{c}99")
        while any(twin.boards[c].text != f"{c}99" for c in range(1, 9)):
            select.select([fd], [], [], 1); twin.feed(os.read(fd, 4096))
        all8 = (time.perf_counter() - start) * 1000
    q = statistics.quantiles(latencies, n=100)
    print(f"modbus {baud:6d} baud (pty): show→received p50 {q[49]:.2f} ms  p99 {q[98]:.2f} ms; 8 boards at once {all8:.1f} ms")
socat.terminate()
