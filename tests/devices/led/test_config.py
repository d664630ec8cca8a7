"""LED configuration models: TOML in, clear errors out."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from pydantic import ValidationError

from xephang.devices.led import LedBusConfig, LedConfig, build_protocol
from xephang.devices.led.protocols import AsciiLineProtocol, FourByteProtocol, ModbusProtocol

TOML = r"""
[[led.buses]]
name = "rs485-1"
port = "/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10K1234-if00-port0"
baudrate = 19200
parity = "E"
protocol = "modbus"
modbus = { display_register = 3, clear_value = 65535, blink_mask = 32768 }
backoff = { initial_s = 0.5, max_s = 10 }

[[led.buses]]
name = "arduino"
port = "socket://127.0.0.1:7001"
protocol = "ascii"
ascii = { template = "{address:02d}{number}\r\n" }

[[led.buses]]
name = "demo"
port = "virtual"
protocol = "four_byte"

[[led.boards]]
counter = 1
bus = "rs485-1"
address = 1

[[led.boards]]
counter = 2
bus = "arduino"
address = 2

[[led.boards]]
counter = 3
bus = "demo"
address = 0
"""


def test_toml_example_loads() -> None:
    config = LedConfig.model_validate(tomllib.loads(TOML)["led"])
    modbus, arduino, demo = config.buses
    assert (modbus.baudrate, modbus.parity, modbus.stopbits) == (19200, "E", 1)
    assert modbus.backoff.initial_s == 0.5
    protocol = build_protocol(modbus)
    assert isinstance(protocol, ModbusProtocol)
    assert protocol.encode(1, "A1", blink=True)[2:6] == bytes.fromhex("0003 8001")
    assert isinstance(build_protocol(arduino), AsciiLineProtocol)
    assert build_protocol(arduino).encode(2, "B007") == b"02B007\r\n"
    assert isinstance(build_protocol(demo), FourByteProtocol)
    assert demo.virtual and not modbus.virtual
    assert [b.counter for b in config.boards] == [1, 2, 3]


def test_defaults_are_modbus_9600_8n1() -> None:
    bus = LedBusConfig(name="b", port="/dev/ttyUSB0")
    assert (bus.protocol, bus.baudrate, bus.bytesize, bus.parity, bus.stopbits) == (
        "modbus",
        9600,
        8,
        "N",
        1,
    )
    assert (bus.backoff.initial_s, bus.backoff.max_s) == (1.0, 30.0)


def _config(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "buses": [{"name": "b", "port": "/dev/ttyUSB0"}],
        "boards": [{"counter": 1, "bus": "b", "address": 1}],
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"boards": [{"counter": 1, "bus": "x", "address": 1}]}, "unknown bus 'x'"),
        ({"boards": [{"counter": 1, "bus": "b", "address": 0}]}, "1–247"),
        (
            {
                "boards": [
                    {"counter": 1, "bus": "b", "address": 4},
                    {"counter": 2, "bus": "b", "address": 4},
                ]
            },
            "address 4 on 'b' is taken",
        ),
        (
            {"buses": [{"name": "b", "port": "/dev/a"}, {"name": "b", "port": "/dev/b"}]},
            "bus names must be unique",
        ),
        (
            {"buses": [{"name": "a", "port": "/dev/x"}, {"name": "b", "port": "/dev/x"}]},
            "same port",
        ),
        ({"buses": [{"name": "b", "port": "/dev/x", "speed": 9600}]}, "Extra inputs"),
        ({"buses": [{"name": "b", "port": "/dev/x", "parity": "X"}]}, "parity"),
        ({"buses": [{"name": "b", "port": "/dev/x", "stopbits": 3}]}, "stopbits"),
        (
            {"buses": [{"name": "b", "port": "/dev/x", "backoff": {"initial_s": 5, "max_s": 1}}]},
            "max_s",
        ),
        (
            {
                "buses": [
                    {
                        "name": "b",
                        "port": "/dev/x",
                        "protocol": "ascii",
                        "ascii": {"template": "{number}\n"},
                    }
                ]
            },
            "address",
        ),
        (
            {"buses": [{"name": "b", "port": "/dev/x", "modbus": {"blink_mask": 3}}]},
            "blink_mask",
        ),
    ],
)
def test_bad_configurations_are_explained(overrides: dict[str, object], problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        LedConfig.model_validate(_config(**overrides))


def test_models_are_frozen() -> None:
    bus = LedBusConfig(name="b", port="virtual")
    with pytest.raises(ValidationError):
        bus.port = "/dev/ttyUSB0"  # type: ignore[misc]


def test_examples_in_the_documentation_are_valid() -> None:
    docs = Path(__file__).parents[3] / "docs" / "led-boards.md"
    blocks = re.findall(r"```toml\n(.*?)```", docs.read_text(encoding="utf-8"), re.DOTALL)
    examples = [tomllib.loads(block)["led"] for block in blocks if "[[led.buses]]" in block]
    assert examples
    for example in examples:
        config = LedConfig.model_validate(example)
        assert config.buses and config.boards


def test_the_package_serves_every_name_it_lists() -> None:
    import xephang.devices.led
    from xephang.devices.lazy import exported_names

    assert sorted(exported_names("xephang.devices.led")) == sorted(xephang.devices.led.__all__)
    for name in xephang.devices.led.__all__:
        assert getattr(xephang.devices.led, name) is not None
