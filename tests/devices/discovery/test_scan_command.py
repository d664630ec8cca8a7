"""``xephang devices scan`` finds the virtual printer, a Modbus board at address 3 on a
socat pair (a pymodbus server) and the fake network printer; then proves them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
import serial
from click.testing import CliRunner

from queue_server.cli.main import main
from queue_server.installation_config import KioskConfig
from xephang.devices.discovery import probe_bus
from xephang.devices.led.config import LedBusConfig, LedConfig
from xephang.devices.printer.fake_network import FakeNetworkPrinter

from .conftest import BOARD_ADDRESS, REGISTER_VALUE, ModbusLine

REPO = Path(__file__).resolve().parents[3]
PROBE_TIMEOUT = 0.1
"""Per address; the default 50 ms is measured in bench/discovery.py. The unit's answer
comes from a thread of this (busy) test process, so it is given more room here."""


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo configuration: a virtual printer (kiosk-1) and a virtual LED bus."""
    folder = tmp_path_factory.mktemp("scan")
    text = (REPO / "config" / "demo.toml").read_text(encoding="utf-8")
    text = text.replace('data_dir = "../var/demo"', f'data_dir = "{folder / "data"}"')
    path = folder / "center.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeNetworkPrinter]:
    with FakeNetworkPrinter(width=576) as printer:
        yield printer


def run(*args: str, lang: str = "vi") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XEPHANG_LANG": lang}
    command = [sys.executable, "-m", "queue_server.cli", "devices", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)


def invoke(*args: str, lang: str = "vi") -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["devices", *args], env={"XEPHANG_LANG": lang})
    return result.exit_code, result.stdout, result.stderr


def test_scan_finds_the_twin_the_board_and_the_network_printer(
    config: Path, modbus_line: ModbusLine, fake: FakeNetworkPrinter
) -> None:
    result = run(
        "scan",
        "--config", str(config),
        "--network", "127.0.0.1/32",
        "--network-port", str(fake.port),
        "--port", str(modbus_line.port),
        "--timeout", str(PROBE_TIMEOUT),
        "--format", "json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["network_printers"] == [
        {"host": "127.0.0.1", "port": fake.port, "escpos": True, "status_byte": 0x12}
    ]
    assert fake.status_queries == [1]  # asked DLE EOT 1, nothing printed
    assert {"kind": "printer", "name": "kiosk-1"} in found["twins"]
    assert [p["path"] for p in found["serial_ports"] if p["named"]] == [str(modbus_line.port)]
    (bus,) = found["buses"]
    assert bus["found"] == [BOARD_ADDRESS]
    assert bus["protocol"] == "modbus" and bus["bus"] is None and bus["error"] is None
    assert len(bus["answers"]) == 32
    assert bus["seconds"] < 32 * PROBE_TIMEOUT + 2.0  # bounded: 31 silent addresses

    snippet = tomllib.loads(found["snippet"])
    (kiosk,) = snippet["kiosks"]
    assert KioskConfig.model_validate(kiosk).printer.port == fake.port  # type: ignore[union-attr]
    led = LedConfig.model_validate(snippet["led"])
    assert [(b.bus, b.address) for b in led.boards] == [("rs485", BOARD_ADDRESS)]
    assert led.buses[0].port == str(modbus_line.port)


def test_scan_speaks_vietnamese(
    config: Path, modbus_line: ModbusLine, fake: FakeNetworkPrinter
) -> None:
    code, out, _err = invoke(
        "scan",
        "--config", str(config),
        "--network", "127.0.0.1/32",
        "--network-port", str(fake.port),
        "--port", str(modbus_line.port),
        "--timeout", str(PROBE_TIMEOUT),
    )  # fmt: skip
    assert code == 0
    assert f"Bảng {BOARD_ADDRESS} trả lời (thanh ghi = {REGISTER_VALUE})" in out
    assert "Không có trả lời từ các địa chỉ 1–2, 4–32" in out
    assert f"127.0.0.1:{fake.port}" in out and "Máy in ESC/POS" in out
    assert "máy in ảo: kiosk-1" in out
    assert "[[led.boards]]" in out


def test_a_network_too_large_or_public_is_refused(config: Path) -> None:
    for network, words in [("10.0.0.0/16", "quá lớn"), ("8.8.8.0/24", "không phải mạng nội bộ")]:
        code, _out, err = invoke("scan", "--config", str(config), "--network", network)
        assert code == 2
        assert words in err


def test_show_888_on_board_3_and_read_it_back(config: Path, modbus_line: ModbusLine) -> None:
    code, out, err = invoke("show-board", "3", "--port", str(modbus_line.port))
    assert code == 0, err
    assert out.strip() == "Bảng 3 đã xác nhận 888."
    bus = LedBusConfig(name="check", port=str(modbus_line.port))
    (answer,) = probe_bus(bus, [BOARD_ADDRESS], timeout_s=0.5).answers
    assert answer.answered and answer.detail == "thanh ghi = 888"  # the unit holds it now
    code, out, _err = invoke("show-board", "3", "--port", str(modbus_line.port), "--number", "7")
    assert code == 0  # leave it as the other tests expect it
    assert probe_bus(bus, [BOARD_ADDRESS], timeout_s=0.5).answers[0].detail == "thanh ghi = 7"


def test_a_port_in_use_is_reported_not_fought_for(modbus_line: ModbusLine) -> None:
    bus = LedBusConfig(name="rs485", port=str(modbus_line.port))
    with serial.Serial(str(modbus_line.port), exclusive=True):  # a running worker holds it
        probe = probe_bus(bus, timeout_s=0.05)
        code, _out, err = invoke("show-board", "3", "--port", str(modbus_line.port))
    assert probe.error is not None and "Could not exclusively lock port" in probe.error
    assert probe.answers == []
    assert code == 1 and "đang được chương trình khác dùng" in err


def test_boards_that_never_answer_are_not_probed() -> None:
    bus = LedBusConfig(name="rs485", port="/dev/does-not-matter", protocol="four_byte")
    probe = probe_bus(bus)
    assert probe.replies_possible is False and probe.answers == [] and probe.error is None


def test_test_print_on_the_network_printer_found(config: Path) -> None:
    with FakeNetworkPrinter(width=576) as printer:
        code, out, err = invoke(
            "test-print", "--config", str(config), "--host", "127.0.0.1",
            "--host-port", str(printer.port),
        )  # fmt: skip
        assert code == 0, err
        assert printer.wait_for_tickets(1)
        (ticket,) = printer.tickets
    assert out.startswith("Đã gửi phiếu in thử tới 127.0.0.1: Máy in sẵn sàng")
    assert ticket.image.width == 576
    assert ticket.image.height > 400  # the whole test ticket came out of the ESC/POS bytes
