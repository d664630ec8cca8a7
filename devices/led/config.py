"""Configuration of LED buses and boards (pydantic, embeddable in the server's TOML).

Example::

    [[led.buses]]
    name = "rs485-1"
    port = "/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10K1234-if00-port0"
    baudrate = 9600
    protocol = "modbus"
    modbus = { display_register = 0, clear_value = 0 }

    [[led.boards]]
    counter = 1
    bus = "rs485-1"
    address = 1
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from xephang.devices.led.digits import Overflow
from xephang.devices.led.protocols import build_protocol

VIRTUAL_PORT = "virtual"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModbusOptions(_Model):
    """Modbus RTU function 06: the number goes into one holding register."""

    display_register: int = Field(0, ge=0, le=0xFFFF, description="holding register address")
    clear_value: int = Field(0, ge=0, le=0xFFFF, description="written to blank the board")
    blink_mask: int = Field(0, ge=0, le=0xFFFF, description="bit OR-ed in to blink; 0: none")
    digits: int = Field(4, ge=1, le=4)
    overflow: Overflow = "last_digits"
    confirm: bool = Field(False, description="read each unit's echo; silent units go offline")


class AsciiOptions(_Model):
    """One text line per show; fields {address} {number} {digits} {value} {blink}."""

    template: str = "{address:02d}{number}\r\n"
    clear_template: str | None = None
    digits: int = Field(4, ge=1, le=9)
    overflow: Overflow = "last_digits"
    encoding: str = "ascii"


class FourByteOptions(_Model):
    """The vendor frame [address, high, low, sum]."""

    clear_value: int = Field(0, ge=0, le=0xFFFF)
    digits: int = Field(4, ge=1, le=4)
    overflow: Overflow = "last_digits"


class BackoffConfig(_Model):
    """Waits between reconnection attempts: initial, doubled each time, up to max."""

    initial_s: float = Field(1.0, gt=0)
    max_s: float = Field(30.0, gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> BackoffConfig:
        if self.max_s < self.initial_s:
            raise ValueError("'max_s' must not be smaller than 'initial_s'")
        return self


class LedBusConfig(_Model):
    """One serial line (one port) shared by several boards, told apart by address."""

    name: str = Field(min_length=1)
    port: str = Field(
        min_length=1,
        description='pyserial URL (/dev/serial/by-id/…, socket://host:port, loop://) or "virtual"',
    )
    baudrate: int = Field(9600, gt=0)
    bytesize: Literal[5, 6, 7, 8] = 8
    parity: Literal["N", "E", "O", "M", "S"] = "N"
    stopbits: float = Field(1, description="1, 1.5 or 2")
    timeout_s: float = Field(0.2, gt=0, description="read timeout")
    write_timeout_s: float = Field(1.0, gt=0)
    exclusive: bool = Field(True, description="lock the port against other programs")
    protocol: Literal["modbus", "ascii", "four_byte"] = "modbus"
    modbus: ModbusOptions = ModbusOptions()
    ascii: AsciiOptions = AsciiOptions()
    four_byte: FourByteOptions = FourByteOptions()
    backoff: BackoffConfig = BackoffConfig()
    health_check_s: float = Field(1.0, gt=0, description="how often an idle port is checked")

    @property
    def virtual(self) -> bool:
        return self.port == VIRTUAL_PORT

    @field_validator("stopbits")
    @classmethod
    def _known_stopbits(cls, value: float) -> float:
        if value not in (1, 1.5, 2):
            raise ValueError("stopbits must be 1, 1.5 or 2")
        return value

    @model_validator(mode="after")
    def _protocol_options(self) -> LedBusConfig:
        build_protocol(self)  # raises ValueError on inconsistent options
        return self


class LedBoardConfig(_Model):
    """The board above a counter: which bus it hangs on and its address there."""

    counter: int = Field(ge=1)
    bus: str = Field(min_length=1)
    address: int = Field(ge=0, le=255)


class LedConfig(_Model):
    """All LED buses and boards of a center."""

    buses: list[LedBusConfig] = []
    boards: list[LedBoardConfig] = []

    @field_validator("buses")
    @classmethod
    def _unique_names(cls, buses: list[LedBusConfig]) -> list[LedBusConfig]:
        names = [bus.name for bus in buses]
        if duplicates := sorted({name for name in names if names.count(name) > 1}):
            raise ValueError(f"bus names must be unique (repeated: {', '.join(duplicates)})")
        ports = [bus.port for bus in buses if not bus.virtual]
        if repeated := sorted({port for port in ports if ports.count(port) > 1}):
            raise ValueError(f"two buses use the same port: {', '.join(repeated)}")
        return buses

    @model_validator(mode="after")
    def _boards_fit_buses(self) -> LedConfig:
        buses = {bus.name: bus for bus in self.buses}
        taken: set[tuple[str, int]] = set()
        for index, board in enumerate(self.boards):
            where = f"boards[{index}]"
            if board.bus not in buses:
                raise ValueError(f"{where}: unknown bus {board.bus!r}")
            try:
                build_protocol(buses[board.bus]).check_address(board.address)
            except ValueError as exc:
                raise ValueError(f"{where}: {exc}") from exc
            if (board.bus, board.address) in taken:
                raise ValueError(f"{where}: address {board.address} on {board.bus!r} is taken")
            taken.add((board.bus, board.address))
        return self
