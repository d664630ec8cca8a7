"""All boards of a center by counter number, built from :class:`LedConfig`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

import serial

from xephang.devices.led.board import BusBoard
from xephang.devices.led.bus import LedBus, Opener, SerialLike, StatusCallback
from xephang.devices.led.config import LedBusConfig, LedConfig
from xephang.devices.led.protocols import LedProtocol, build_protocol
from xephang.devices.led.status import BoardStatus
from xephang.devices.led.virtual import VirtualBus

MODBUS_MIN_GAP_S = 0.00175  # Modbus RTU: fixed 1.75 ms above 19200 baud


class BoardSet:
    """Counter number → boards. ``show``/``clear`` return False for counters without one."""

    def __init__(
        self,
        buses: Iterable[LedBus],
        boards: Iterable[BusBoard],
        virtual: dict[str, VirtualBus] | None = None,
    ) -> None:
        self.buses = {bus.name: bus for bus in buses}
        self.virtual = virtual or {}
        self._by_counter: dict[int, list[BusBoard]] = {}
        for board in boards:
            if board.counter is not None:
                self._by_counter.setdefault(board.counter, []).append(board)

    def boards(self, counter: int) -> list[BusBoard]:
        return list(self._by_counter.get(counter, []))

    def show(self, counter: int, number: str, blink: bool = False) -> bool:
        """Show ``number`` above ``counter``; raises ``LedNumberError`` if it has no digits."""
        boards = self._by_counter.get(counter, [])
        for board in boards:
            board.show(number, blink)
        return bool(boards)

    def clear(self, counter: int) -> bool:
        boards = self._by_counter.get(counter, [])
        for board in boards:
            board.clear()
        return bool(boards)

    def clear_all(self) -> None:
        for boards in self._by_counter.values():
            for board in boards:
                board.clear()

    def statuses(self) -> list[BoardStatus]:
        return [status for bus in self.buses.values() for status in bus.statuses()]

    def start(self) -> None:
        for bus in self.buses.values():
            bus.start()

    def stop(self) -> None:
        for bus in self.buses.values():
            bus.request_stop()  # ask every bus first so they stop in parallel
        for bus in self.buses.values():
            bus.stop()

    def __enter__(self) -> BoardSet:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def frame_gap_s(bus: LedBusConfig, protocol: LedProtocol) -> float:
    """Silence between frames: ``frame_gap_chars`` character times at the bus speed."""
    if not protocol.frame_gap_chars:
        return 0.0
    parity_bits = 0 if bus.parity == "N" else 1
    bits_per_char = 1 + bus.bytesize + parity_bits + bus.stopbits
    return max(protocol.frame_gap_chars * bits_per_char / bus.baudrate, MODBUS_MIN_GAP_S)


def serial_opener(bus: LedBusConfig) -> Opener:
    """Opens ``bus.port`` (any pyserial URL) with the bus's serial settings."""

    def open_port() -> SerialLike:
        # Every class serial_for_url returns has ``in_waiting``; the stubs say SerialBase.
        return cast(
            SerialLike,
            serial.serial_for_url(
                bus.port,
                baudrate=bus.baudrate,
                bytesize=bus.bytesize,
                parity=bus.parity,
                stopbits=bus.stopbits,
                timeout=bus.timeout_s,
                write_timeout=bus.write_timeout_s,
                exclusive=bus.exclusive or None,
            ),
        )

    return open_port


def build_bus(
    config: LedBusConfig, opener: Opener, on_status: StatusCallback | None = None
) -> LedBus:
    protocol = build_protocol(config)
    return LedBus(
        config.name,
        protocol,
        opener,
        backoff=config.backoff,
        health_check_s=config.health_check_s,
        frame_gap_s=frame_gap_s(config, protocol),
        on_status=on_status,
    )


def build_board_set(config: LedConfig, on_status: StatusCallback | None = None) -> BoardSet:
    """Buses and boards from ``config``; ``port = "virtual"`` gives a :class:`VirtualBus`.

    Call ``start()`` (or use ``with``) to begin writing, ``stop()`` to end.
    """
    buses: list[LedBus] = []
    virtual: dict[str, VirtualBus] = {}
    for bus_config in config.buses:
        if bus_config.virtual:
            addresses = tuple(b.address for b in config.boards if b.bus == bus_config.name)
            twin = VirtualBus(bus_config.name, build_protocol(bus_config), addresses)
            virtual[bus_config.name] = twin
            opener: Opener = twin.open
        else:
            opener = serial_opener(bus_config)
        buses.append(build_bus(bus_config, opener, on_status))
    by_name = {bus.name: bus for bus in buses}
    boards = []
    for board in config.boards:
        by_name[board.bus].add_board(board.address, board.counter)
        boards.append(BusBoard(by_name[board.bus], board.address, board.counter))
    return BoardSet(buses, boards, virtual)
