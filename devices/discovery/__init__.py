"""Hardware discovery: what is plugged into this machine and its network.

One call gives everything, as dataclasses (``xephang devices scan``, the setup wizard,
the admin page)::

    from xephang.devices.discovery import scan
    result = scan(led=settings.led, printers={k.name: k.printer for k in settings.kiosks},
                  network="192.168.1.0/24", ports=["/dev/ttyUSB0"])
    result.usb_printers, result.network_printers, result.serial_ports, result.buses

Nothing is written to a device except the probes: ``DLE EOT 1`` to hosts answering on
the printing port, and Modbus "read register" requests to configured buses and to the
ports named in ``ports``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from pathlib import Path

from xephang.devices.led.config import VIRTUAL_PORT, LedBusConfig, LedConfig
from xephang.devices.printer.config import PrinterBase, VirtualPrinterConfig
from xephang.i18n import _

from .checks import TEST_NUMBER, BoardCheck, show_on_board
from .model import (
    BoardAnswer,
    BusProbe,
    ConfiguredTwin,
    NetworkPrinter,
    ScanResult,
    SerialPort,
    UsbPrinter,
)
from .network import RAW_PRINT_PORT, ScanRefused, hosts_of, scan_network
from .serial_ports import BY_ID, PROBED_ADDRESSES, probe_bus, serial_ports
from .snippet import config_snippet
from .usb import SYSFS_USB, lp_devices, usb_printers

__all__ = [
    "TEST_NUMBER",
    "BoardAnswer",
    "BoardCheck",
    "BusProbe",
    "ConfiguredTwin",
    "NetworkPrinter",
    "ScanRefused",
    "ScanResult",
    "SerialPort",
    "UsbPrinter",
    "config_snippet",
    "hosts_of",
    "probe_bus",
    "scan",
    "scan_network",
    "serial_ports",
    "show_on_board",
    "usb_printers",
]


def _buses_to_probe(
    led: LedConfig | None, ports: Iterable[str], protocol: str, baudrate: int
) -> list[tuple[LedBusConfig, bool]]:
    """(bus, configured) for each configured real bus and each named port not among them."""
    configured = [b for b in (led.buses if led else ()) if b.port != VIRTUAL_PORT]
    known = {b.port for b in configured}
    named = [
        LedBusConfig(name="scan", port=port, protocol=protocol, baudrate=baudrate)  # type: ignore[arg-type]
        for port in dict.fromkeys(ports)
        if port not in known
    ]
    return [(b, True) for b in configured] + [(b, False) for b in named]


def scan(
    *,
    led: LedConfig | None = None,
    printers: Mapping[str, PrinterBase | None] | None = None,
    network: str | None = None,
    network_port: int = RAW_PRINT_PORT,
    network_timeout_s: float = 0.3,
    ports: Iterable[str] = (),
    probe: bool = True,
    probe_timeout_s: float = 0.05,
    addresses: Iterable[int] = PROBED_ADDRESSES,
    protocol: str = "modbus",
    baudrate: int = 9600,
    busy_buses: Collection[str] = (),
    sysfs: Path = SYSFS_USB,
    by_id: Path = BY_ID,
    lp_dir: Path = Path("/dev/usb"),
) -> ScanResult:
    """Look for printers and LED boards.

    ``led``/``printers``: the settings' LED config and kiosk → printer (their virtual
    twins are reported as found; their real buses are probed). ``network``: a private
    CIDR of at most 256 addresses to scan on ``network_port`` (raises
    :class:`ScanRefused` otherwise); ``None``: no network scan. ``ports``: serial ports
    to list and probe in ``protocol`` at ``baudrate`` besides the configured buses.
    ``busy_buses``: configured buses a running worker drives (not probed, said so).
    """
    ports = list(ports)
    addresses = list(addresses)
    result = ScanResult()
    result.usb_printers = usb_printers(sysfs)
    result.lp_devices = lp_devices(lp_dir)
    if network is not None:
        result.network_scanned = network
        result.network_printers = scan_network(network, network_port, network_timeout_s)
    result.serial_ports = serial_ports(ports, by_id)
    for port in ports:
        if not any(p.path == port for p in result.serial_ports):
            result.problems.append(_("No serial port at {port}.").format(port=port))
    for kiosk, config in (printers or {}).items():
        if isinstance(config, VirtualPrinterConfig):
            result.twins.append(ConfiguredTwin("printer", kiosk))
    for bus_config in led.buses if led else ():
        if bus_config.port == VIRTUAL_PORT:
            result.twins.append(ConfiguredTwin("led-bus", bus_config.name))
    if probe:
        existing = {p.path for p in result.serial_ports}
        for bus_config, configured in _buses_to_probe(led, ports, protocol, baudrate):
            if not configured and bus_config.port not in existing:
                continue
            if configured and bus_config.name in busy_buses:
                result.buses.append(
                    BusProbe(
                        bus_config.port,
                        bus_config.protocol,
                        bus_config.baudrate,
                        bus=bus_config.name,
                        error=_("driven by the running device worker: not probed"),
                    )
                )
                continue
            result.buses.append(
                probe_bus(bus_config, addresses, probe_timeout_s, configured=configured)
            )
    return result
