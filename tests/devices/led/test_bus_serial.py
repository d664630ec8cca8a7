"""Buses on real serial ports: socat pty pairs (unplug = kill socat) and pyserial loop://."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import serial
from pymodbus.framer import FramerRTU
from pymodbus.pdu import DecodePDU
from pymodbus.pdu.register_message import WriteSingleRegisterRequest

from xephang.devices.led import (
    BackoffConfig,
    LedBoardConfig,
    LedBusConfig,
    LedConfig,
    VirtualBus,
    build_board_set,
    build_protocol,
)
from xephang.devices.led.boardset import build_bus, frame_gap_s, serial_opener
from xephang.devices.led.simulator import BoardSimulator

FAST = BackoffConfig(initial_s=0.02, max_s=0.1)


def bus_config(port: str | Path, protocol: str = "modbus", **options: Any) -> LedBusConfig:
    return LedBusConfig(
        name="rs485",
        port=str(port),
        protocol=protocol,  # type: ignore[arg-type]
        backoff=FAST,
        health_check_s=0.02,
        **options,
    )


def board_config(bus: LedBusConfig, addresses: dict[int, int]) -> LedConfig:
    """``addresses``: counter → address."""
    boards = [LedBoardConfig(counter=c, bus=bus.name, address=a) for c, a in addresses.items()]
    return LedConfig(buses=[bus], boards=boards)


def modbus_requests(*frames: bytes) -> list[tuple[int, int, int]]:
    """(unit, register, value) of each function-06 frame, parsed by pymodbus.

    pymodbus' RTU framer takes one frame per read (it relies on the silence between
    frames), so each frame is handed over on its own.
    """
    framer = FramerRTU(DecodePDU(is_server=True))
    found = []
    for frame in frames:
        used, pdu = framer.handleFrame(frame, 0, 0)
        assert used == len(frame)
        assert isinstance(pdu, WriteSingleRegisterRequest), frame.hex(" ")
        found.append((pdu.dev_id, pdu.address, pdu.registers[0]))
    return found


@pytest.mark.parametrize(
    ("protocol", "options", "address", "number", "expected"),
    [
        ("modbus", {}, 1, "1023", "01 06 00 00 03 FF C9 7A"),
        ("modbus", {"modbus": {"display_register": 2}}, 3, "A023", "03 06 00 02 00 17 69 E6"),
        ("four_byte", {}, 5, "B999", "05 03 E7 EF"),
        ("ascii", {}, 1, "A023", "30 31 41 30 32 33 0D 0A"),
    ],
)
def test_show_sends_the_exact_bytes(
    socat: Callable[[], Any],
    protocol: str,
    options: dict[str, Any],
    address: int,
    number: str,
    expected: str,
) -> None:
    pair = socat()
    boards_end = pair.board_reader()
    bus = bus_config(pair.bus_end, protocol, **options)
    clear = build_protocol(bus).encode(address, None)
    with build_board_set(board_config(bus, {4: address})) as boards:
        assert boards_end.read_exactly(len(clear)) == clear  # blank at start
        boards.show(4, number)
        frame = boards_end.read_exactly(len(bytes.fromhex(expected)))
    assert frame == bytes.fromhex(expected)
    if protocol == "modbus":
        register = options.get("modbus", {}).get("display_register", 0)
        assert modbus_requests(clear, frame) == [
            (address, register, 0),
            (address, register, int("".join(c for c in number if c.isdigit()))),
        ]


def test_modbus_frames_are_separated_by_silence() -> None:
    bus = bus_config("loop://", baudrate=9600)
    assert frame_gap_s(bus, build_protocol(bus)) == pytest.approx(3.5 * 10 / 9600)
    fast = bus_config("loop://", baudrate=115200)
    assert frame_gap_s(fast, build_protocol(fast)) == pytest.approx(0.00175)


def test_loop_url_bus_reports_boards_online(recorder: Any) -> None:
    bus = bus_config("loop://")
    with build_board_set(board_config(bus, {1: 1, 2: 2}), on_status=recorder) as boards:
        boards.show(2, "A023")
        assert recorder.wait(lambda s: s[("rs485", 2)].online and s[("rs485", 2)].showing == "A023")
        assert recorder.wait(lambda s: s[("rs485", 1)].online)


def test_unplug_and_replug(
    socat: Callable[[], Any],
    recorder: Any,
    counting_opener: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="xephang.devices.led.bus")
    pair = socat()
    reader = pair.board_reader()
    config = bus_config(pair.bus_end)
    twin = VirtualBus("twin", build_protocol(config))
    opener = counting_opener(serial_opener(config))
    bus = build_bus(config, opener, on_status=recorder)
    for address in (1, 2, 3):
        bus.add_board(address, counter=address)
    bus.start()
    try:
        bus.show(1, "A001")
        bus.show(2, "B002")
        bus.show(3, "C003")
        wanted = {1: "1", 2: "2", 3: "3"}
        assert reader.feed_until(twin, lambda b: twin.showing() == wanted)

        pair.unplug()
        assert recorder.wait(lambda s: all(not x.online and x.error for x in s.values()))
        assert bus.running
        attempts = len(opener.times)
        bus.show(2, "B020")  # while unplugged: only the latest state counts
        bus.show(2, "B200")
        bus.clear(3)
        assert opener.wait_for_attempts(attempts + 3)  # retrying, not crashed
        warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) == len(set(warnings)) >= 1  # each distinct error once
        assert any("Input/output error" in w or "No such file" in w for w in warnings)

        replugged = socat()  # new ptys, same link paths (like a udev symlink)
        assert replugged.ptys != pair.ptys or replugged.process.pid != pair.process.pid
        reader = replugged.board_reader()
        fresh = VirtualBus("fresh", build_protocol(config))  # a board's memory after power-up
        expected = {1: "1", 2: "200", 3: None}
        assert reader.feed_until(fresh, lambda b: fresh.showing() == expected, timeout=5.0)
        assert {a: b.frames for a, b in fresh.boards.items()} == {1: 1, 2: 1, 3: 1}
        assert recorder.wait(lambda s: all(x.online and not x.pending for x in s.values()))
        assert any("working again" in r.getMessage() for r in caplog.records)
    finally:
        bus.stop()
    assert not bus.running


def test_loop_url_echo_confirms_modbus_writes(recorder: Any) -> None:
    bus = bus_config("loop://", modbus={"confirm": True}, timeout_s=0.05)
    with build_board_set(board_config(bus, {1: 7}), on_status=recorder) as boards:
        boards.show(1, "A023")
        assert recorder.wait(lambda s: s[("rs485", 7)].showing == "A023")
        assert bus.modbus.confirm and boards.statuses()[0].online


def test_confirmed_modbus_over_a_real_port(socat: Callable[[], Any], recorder: Any) -> None:
    pair = socat()
    bus = bus_config(pair.bus_end, modbus={"confirm": True}, timeout_s=0.05)
    protocol = build_protocol(bus)
    twin = VirtualBus("far end", protocol)
    twin.silent.add(2)
    port = serial.serial_for_url(str(pair.board_end), timeout=0.02)  # before the bus writes
    simulator = BoardSimulator(twin, port).start()
    try:
        with build_board_set(board_config(bus, {1: 1, 2: 2}), on_status=recorder) as boards:
            boards.show(1, "A023")
            boards.show(2, "B045")
            assert recorder.wait(lambda s: s[("rs485", 1)].online and s[("rs485", 1)].showing)
            assert recorder.wait(lambda s: s[("rs485", 2)].error == "No reply from the board")
            assert boards.buses["rs485"].connected
            assert twin.showing() == {1: "23"}
            twin.silent.clear()  # board 2 repaired: the retry gets through
            assert recorder.wait(lambda s: s[("rs485", 2)].online)
            assert twin.wait_until(lambda b: 2 in b and b[2].text == "45", 5)
    finally:
        simulator.stop()


def _recv_until(conn: socket.socket, twin: VirtualBus, wanted: dict[int, str | None]) -> bool:
    """Decode what arrives on ``conn`` until the boards show ``wanted`` (5 s at most)."""
    conn.settimeout(5.0)
    while twin.showing() != wanted:
        data = conn.recv(4096)
        if not data:
            return False
        twin.feed(data)
    return True


def test_ethernet_converter_over_tcp_reconnects(recorder: Any) -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.settimeout(5.0)
        host, port = server.getsockname()[:2]
        bus = bus_config(f"socket://{host}:{port}", protocol="four_byte")
        with build_board_set(board_config(bus, {1: 1, 2: 2}), on_status=recorder) as boards:
            boards.show(1, "A011")
            conn, _ = server.accept()
            with conn:
                assert _recv_until(conn, VirtualBus("a", build_protocol(bus)), {1: "11", 2: None})
            # converter closed the connection: noticed while idle, boards reported offline
            assert recorder.wait(lambda s: not any(x.online for x in s.values()))
            boards.show(2, "B022")
            conn, _ = server.accept()  # the bus dials again
            with conn:
                twin = VirtualBus("b", build_protocol(bus))
                assert _recv_until(conn, twin, {1: "11", 2: "22"})
                assert recorder.wait(lambda s: all(x.online for x in s.values()))
