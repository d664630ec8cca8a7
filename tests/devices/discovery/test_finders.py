"""USB printers from a sysfs tree, the network scan's bounds, serial ports by id."""

from __future__ import annotations

import socket
import threading
import time
import tomllib
from pathlib import Path

import pytest

from xephang.devices.discovery import (
    ScanRefused,
    ScanResult,
    config_snippet,
    hosts_of,
    scan,
    scan_network,
    serial_ports,
    usb_printers,
)
from xephang.devices.printer.config import UsbPrinterConfig


def _files(folder: Path, **values: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, value in values.items():
        (folder / name).write_text(value + "\n", encoding="utf-8")


def _endpoint(interface: Path, address: str, direction: str) -> None:
    _files(interface / f"ep_{address}", type="Bulk", direction=direction, bEndpointAddress=address)


@pytest.fixture
def sysfs(tmp_path: Path) -> Path:
    """What /sys/bus/usb/devices shows with two printers, a USB-serial chip and a hub."""
    root = tmp_path / "devices"
    _files(root / "usb1", idVendor="1d6b", idProduct="0002", product="EHCI Host Controller")
    _files(root / "1-0:1.0", bInterfaceClass="09")
    # an Epson declaring the printer class, held by the kernel's usblp driver
    _files(root / "1-1", idVendor="04b8", idProduct="0e28", manufacturer="EPSON",
           product="TM-T20III")  # fmt: skip
    _files(root / "1-1:1.0", bInterfaceClass="07")
    _endpoint(root / "1-1:1.0", "01", "out")
    _endpoint(root / "1-1:1.0", "82", "in")
    (root / "1-1:1.0" / "usbmisc" / "lp0").mkdir(parents=True)
    # a 58 mm Chinese printer with a vendor-specific class on Winbond's id
    _files(root / "1-2", idVendor="0416", idProduct="5011", product="POS58 Printer USB")
    _files(root / "1-2:1.0", bInterfaceClass="ff")
    _endpoint(root / "1-2:1.0", "03", "out")
    _endpoint(root / "1-2:1.0", "81", "in")
    # an STM32 virtual COM port: same chip maker as some printers, but not one
    _files(root / "1-3", idVendor="0483", idProduct="5740", product="Composite Virtual COM Port")
    _files(root / "1-3:1.0", bInterfaceClass="02")
    return root


def test_usb_printers_are_told_from_other_devices(sysfs: Path) -> None:
    epson, pos58 = usb_printers(sysfs)
    assert (epson.vendor_id, epson.product_id, epson.vendor) == (0x04B8, 0x0E28, "EPSON")
    assert (epson.profile, epson.dot_width, epson.printer_class) == ("TM-T20II", 576, True)
    assert (epson.in_ep, epson.out_ep, epson.lp_device) == (0x82, 0x01, "/dev/usb/lp0")
    assert (pos58.vendor, pos58.profile, pos58.dot_width) == ("Winbond (Xprinter, Gprinter…)",
                                                              "POS-5890", 384)  # fmt: skip
    assert (pos58.in_ep, pos58.out_ep, pos58.printer_class) == (0x81, 0x03, False)


def test_the_snippet_configures_the_usb_printers_found(sysfs: Path) -> None:
    result = ScanResult(usb_printers=usb_printers(sysfs))
    kiosks = tomllib.loads(config_snippet(result))["kiosks"]
    configs = [UsbPrinterConfig.model_validate(k["printer"]) for k in kiosks]
    assert [(c.vendor_id, c.product_id, c.in_ep, c.out_ep) for c in configs] == [
        (0x04B8, 0x0E28, 0x82, 0x01),
        (0x0416, 0x5011, 0x81, 0x03),
    ]
    assert [k["name"] for k in kiosks] == ["kiosk-1", "kiosk-2"]


def test_no_sysfs_no_printers(tmp_path: Path) -> None:
    assert usb_printers(tmp_path / "absent") == []


@pytest.mark.parametrize(
    ("cidr", "count"),
    [("127.0.0.1/32", 1), ("192.168.1.0/24", 254), ("192.168.1.77/24", 254), ("10.1.2.0/30", 2)],
)
def test_networks_allowed(cidr: str, count: int) -> None:
    assert len(hosts_of(cidr)) == count


@pytest.mark.parametrize("cidr", ["192.168.0.0/23", "10.0.0.0/8", "8.8.8.0/24", "printers", ""])
def test_networks_refused(cidr: str) -> None:
    with pytest.raises(ScanRefused):
        hosts_of(cidr)


def test_a_host_that_is_no_printer_is_told_apart() -> None:
    """A listener that accepts and answers nothing is reported, but not as ESC/POS; the
    other addresses of the network refuse, and the whole scan stays short."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        accepted: list[socket.socket] = []
        threading.Thread(target=lambda: accepted.append(listener.accept()[0]), daemon=True).start()
        started = time.monotonic()
        (found,) = scan_network("127.0.0.0/29", port=port, timeout_s=0.2)
        elapsed = time.monotonic() - started
        for client in accepted:
            client.close()
    assert (found.host, found.port, found.escpos, found.status_byte) == ("127.0.0.1", port,
                                                                         False, None)  # fmt: skip
    assert elapsed < 1.5


def test_serial_ports_by_id_and_named(tmp_path: Path) -> None:
    by_id = tmp_path / "by-id"
    by_id.mkdir()
    target = tmp_path / "ttyUSB0"
    target.touch()
    (by_id / "usb-FTDI_FT232R_USB_UART_A10K1234-if00-port0").symlink_to(target)
    (by_id / "usb-gone-if00-port0").symlink_to(tmp_path / "ttyUSB9")  # unplugged: dangling
    named = tmp_path / "ttyS0"
    named.touch()
    ports = serial_ports([str(named), str(tmp_path / "nothing")], by_id=by_id)
    assert [(Path(p.path).name, p.device, p.named) for p in ports] == [
        ("usb-FTDI_FT232R_USB_UART_A10K1234-if00-port0", str(target), False),
        ("ttyS0", str(named), True),
    ]


def test_scan_says_which_named_port_is_missing(tmp_path: Path) -> None:
    result = scan(ports=[str(tmp_path / "ttyUSB7")], sysfs=tmp_path, by_id=tmp_path / "none")
    assert result.buses == [] and result.serial_ports == []
    assert len(result.problems) == 1 and str(tmp_path / "ttyUSB7") in result.problems[0]
