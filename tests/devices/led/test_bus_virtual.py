"""The self-healing bus against virtual boards (fast, no hardware)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

import pytest

from queue_server.i18n import use_language
from xephang.devices.led import (
    BackoffConfig,
    BoardSet,
    LedBoardConfig,
    LedBus,
    LedBusConfig,
    LedConfig,
    MissingNumberError,
    VirtualBus,
    build_board_set,
)
from xephang.devices.led.backoff import Backoff
from xephang.devices.led.config import AsciiOptions
from xephang.devices.led.protocols import FourByteProtocol, ModbusProtocol

FAST = BackoffConfig(initial_s=0.01, max_s=0.04)


@pytest.fixture
def lines() -> Iterator[list[LedBus]]:
    started: list[LedBus] = []
    yield started
    for bus in started:
        bus.stop()


def make_bus(
    lines: list[LedBus],
    twin: VirtualBus,
    opener: Any = None,
    on_status: Any = None,
    backoff: BackoffConfig = FAST,
    health_check_s: float = 0.02,
) -> LedBus:
    bus = LedBus(
        twin.name,
        twin.protocol,
        opener or twin.open,
        backoff=backoff,
        health_check_s=health_check_s,
        on_status=on_status,
    )
    for address in (1, 2, 3):
        bus.add_board(address, counter=address * 10)
    lines.append(bus)
    return bus


def test_backoff_doubles_up_to_the_cap() -> None:
    backoff = Backoff(1, 30)
    assert [backoff.next() for _ in range(7)] == [1, 2, 4, 8, 16, 30, 30]
    backoff.reset()
    assert backoff.next() == 1


def test_boards_start_blank_then_show(lines: list[LedBus], recorder: Any) -> None:
    twin = VirtualBus("hall", ModbusProtocol())
    bus = make_bus(lines, twin, on_status=recorder)
    bus.start()
    assert twin.wait_until(lambda b: len(b) == 3 and all(x.frames == 1 for x in b.values()), 5)
    assert twin.showing() == {1: None, 2: None, 3: None}
    bus.show(2, "A023")
    bus.show(3, "B1023", blink=True)
    assert twin.wait_until(lambda b: b[2].text == "23" and b[3].text == "1023", 5)
    assert recorder.wait(lambda s: s[("hall", 3)].showing == "B1023")
    status = bus.status(3)
    assert (status.online, status.counter, status.pending, status.error) == (True, 30, False, None)
    with use_language("en"):
        assert status.describe() == "Online, showing B1023"
    with use_language("vi"):
        assert status.describe() == "Đang hoạt động, hiển thị số B1023"


def test_bad_numbers_fail_in_the_caller_and_the_bus_goes_on(lines: list[LedBus]) -> None:
    twin = VirtualBus("hall", FourByteProtocol())
    bus = make_bus(lines, twin)
    bus.start()
    with pytest.raises(MissingNumberError):
        bus.show(1, "ABC")
    with pytest.raises(KeyError):
        bus.show(9, "A001")
    bus.show(1, "A5")
    assert twin.wait_until(lambda b: 1 in b and b[1].text == "5", 5)
    assert bus.running


def test_unplugged_boards_get_only_their_latest_number(lines: list[LedBus], recorder: Any) -> None:
    twin = VirtualBus("hall", ModbusProtocol())
    bus = make_bus(lines, twin, on_status=recorder)
    bus.start()
    assert twin.wait_until(lambda b: len(b) == 3, 5)
    before = {address: board.frames for address, board in twin.boards.items()}
    twin.unplug()
    assert recorder.wait(lambda s: not any(x.online for x in s.values()))
    for n in range(1, 51):
        bus.show(1, f"A{n:03d}")
        bus.show(2, f"B{n + 100:03d}")
    assert all(status.pending for status in bus.statuses()[:2])
    twin.plug()
    assert twin.wait_until(lambda b: b[1].text == "50" and b[2].text == "150", 5)
    assert recorder.wait(lambda s: all(x.online for x in s.values()))
    after = {address: board.frames for address, board in twin.boards.items()}
    # after the reconnection every board got exactly one frame: its current state
    assert {a: after[a] - before[a] for a in after} == {1: 1, 2: 1, 3: 1}
    assert twin.boards[3].text is None


def test_idle_unplug_is_noticed_and_reported(lines: list[LedBus], recorder: Any) -> None:
    twin = VirtualBus("hall", ModbusProtocol())
    bus = make_bus(lines, twin, on_status=recorder)
    bus.start()
    assert recorder.wait(lambda s: len(s) == 3 and all(x.online for x in s.values()))
    twin.unplug()  # no show: the idle health check must notice
    assert recorder.wait(lambda s: all(not x.online and x.error for x in s.values()))
    status = bus.status(1)
    assert "unplugged" in (status.error or "")
    with use_language("vi"):
        assert status.describe().startswith("Mất kết nối: ")


def test_retries_back_off_and_each_error_is_logged_once(
    lines: list[LedBus], counting_opener: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="xephang.devices.led.bus")
    twin = VirtualBus("hall", ModbusProtocol())
    twin.unplug()
    opener = counting_opener(twin.open)
    bus = make_bus(lines, twin, opener=opener, backoff=BackoffConfig(initial_s=0.02, max_s=0.08))
    bus.start()
    assert opener.wait_for_attempts(6)
    gaps = [b - a for a, b in zip(opener.times, opener.times[1:], strict=False)]
    for gap, expected in zip(gaps, [0.02, 0.04, 0.08, 0.08, 0.08], strict=False):
        assert gap >= expected * 0.9  # waits, never a busy loop
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "unplugged" in warnings[0].getMessage()
    twin.plug()
    assert twin.wait_until(lambda b: len(b) == 3, 5)
    assert bus.connected
    assert any("working again" in r.getMessage() for r in caplog.records)


def test_stop_is_quick_even_during_a_long_backoff(
    lines: list[LedBus], counting_opener: Any
) -> None:
    twin = VirtualBus("hall", ModbusProtocol())
    twin.unplug()
    opener = counting_opener(twin.open)
    bus = make_bus(lines, twin, opener=opener, backoff=BackoffConfig(initial_s=30, max_s=30))
    bus.start()
    assert opener.wait_for_attempts(1)
    started = time.monotonic()
    bus.stop()
    assert time.monotonic() - started < 1.0
    assert not bus.running
    assert len(opener.times) == 1


def test_a_failing_status_callback_does_not_stop_the_bus(lines: list[LedBus]) -> None:
    def broken(_status: object) -> None:
        raise RuntimeError("screen gone")

    twin = VirtualBus("hall", ModbusProtocol())
    bus = make_bus(lines, twin, on_status=broken)
    bus.start()
    bus.show(1, "A777")
    assert twin.wait_until(lambda b: 1 in b and b[1].text == "777", 5)
    assert bus.running


def _board_set(recorder: Any) -> BoardSet:
    config = LedConfig(
        buses=[
            LedBusConfig(name="left", port="virtual", backoff=FAST, health_check_s=0.02),
            LedBusConfig(
                name="right",
                port="virtual",
                protocol="ascii",
                ascii=AsciiOptions(template="{address:02d}{number}{blink}\r\n"),
                backoff=FAST,
                health_check_s=0.02,
            ),
        ],
        boards=[
            LedBoardConfig(counter=1, bus="left", address=1),
            LedBoardConfig(counter=2, bus="left", address=2),
            LedBoardConfig(counter=3, bus="right", address=1),
            LedBoardConfig(counter=3, bus="right", address=2),  # a second board, same counter
        ],
    )
    return build_board_set(config, on_status=recorder)


def test_board_set_by_counter(recorder: Any) -> None:
    boards = _board_set(recorder)
    with boards:
        assert boards.show(1, "A001")
        assert boards.show(3, "C042", blink=True)
        assert not boards.show(7, "A002")  # counter without a board
        left, right = boards.virtual["left"], boards.virtual["right"]
        assert left.wait_until(lambda b: b[1].text == "1", 5)
        assert right.wait_until(
            lambda b: all(b[a].text == "C042" and b[a].blink for a in (1, 2)), 5
        )
        assert boards.clear(3)
        assert right.wait_until(lambda b: all(b[a].text is None for a in (1, 2)), 5)
        assert recorder.wait(lambda s: s[("right", 2)].showing is None and s[("right", 2)].online)
        statuses = boards.statuses()
        assert [(s.bus, s.address, s.counter) for s in statuses] == [
            ("left", 1, 1),
            ("left", 2, 2),
            ("right", 1, 3),
            ("right", 2, 3),
        ]
        assert [e.text for e in right.boards[1].history] == [None, "C042", None]
        assert right.snapshot()[0] == {"address": 1, "text": None, "blink": False}
    assert not any(bus.running for bus in boards.buses.values())


def test_confirmed_modbus_finds_a_silent_board(
    lines: list[LedBus], recorder: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="xephang.devices.led.bus")
    protocol = ModbusProtocol(confirm=True)
    twin = VirtualBus("hall", protocol)
    twin.silent.add(2)  # its cable is cut
    bus = make_bus(lines, twin, on_status=recorder)
    bus.start()
    bus.show(1, "A001")
    bus.show(2, "A002")
    assert recorder.wait(lambda s: s[("hall", 2)].error == "No reply from the board")
    assert recorder.wait(lambda s: s[("hall", 1)].online and s[("hall", 1)].showing == "A001")
    assert bus.connected  # the port itself is fine
    with use_language("vi"):
        assert bus.status(2).describe() == "Mất kết nối: Bảng không phản hồi"
    frame = protocol.encode(2, "A002")
    assert twin.wait_until(lambda _b: twin.received.count(frame) >= 3, 5)  # retried
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == ["LED bus hall: board 2: No reply from the board (will retry)"]
    twin.silent.clear()  # repaired
    assert twin.wait_until(lambda b: 2 in b and b[2].text == "2", 5)
    assert recorder.wait(lambda s: s[("hall", 2)].online and s[("hall", 2)].showing == "A002")
    assert any("board 2 answers again" in r.getMessage() for r in caplog.records)
