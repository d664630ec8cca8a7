"""What a hardware scan found, as plain dataclasses (``asdict`` gives the JSON form)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class UsbPrinter:
    """A USB device that looks like a ticket printer."""

    vendor_id: int
    product_id: int
    vendor: str
    """Who makes it: the name the device gives, else our table's name for its vendor id."""
    product: str
    profile: str
    """The python-escpos profile guessed from the vendor and product (check it)."""
    dot_width: int
    printer_class: bool
    """True when the device declares the USB printer class (07)."""
    in_ep: int | None = None
    out_ep: int | None = None
    lp_device: str | None = None
    """``/dev/usb/lpN`` when the kernel's usblp driver holds it."""
    sysfs: str = ""


@dataclass(frozen=True)
class NetworkPrinter:
    """A host answering on the raw printing port (JetDirect, usually 9100)."""

    host: str
    port: int
    escpos: bool
    """True when it answered ``DLE EOT 1`` like an ESC/POS printer."""
    status_byte: int | None = None


@dataclass(frozen=True)
class SerialPort:
    """A serial port: a USB adapter under ``/dev/serial/by-id`` or a port named by hand."""

    path: str
    device: str
    """What ``path`` points to (``/dev/ttyUSB0``)."""
    description: str = ""
    vendor_id: int | None = None
    product_id: int | None = None
    named: bool = False
    """Named by the administrator (``--port``), not found under ``/dev/serial/by-id``."""


@dataclass(frozen=True)
class BoardAnswer:
    """One address on an RS-485 bus and what it answered."""

    address: int
    answered: bool
    detail: str = ""
    """The register value, or the Modbus exception code, or why nothing was read."""


@dataclass(frozen=True)
class BusProbe:
    """The probe of board addresses on one serial line in one protocol."""

    port: str
    protocol: str
    baudrate: int
    bus: str | None = None
    """The configured bus on this port, if any."""
    replies_possible: bool = True
    """False for protocols whose boards never answer (nothing can be probed)."""
    error: str | None = None
    """Why the port could not be probed (missing, busy…); ``None`` when probed."""
    answers: list[BoardAnswer] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def found(self) -> list[int]:
        return [a.address for a in self.answers if a.answered]


@dataclass(frozen=True)
class ConfiguredTwin:
    """A virtual twin in the settings: it is "found" whenever it is configured."""

    kind: str
    """``"printer"`` or ``"led-bus"``."""
    name: str


@dataclass
class ScanResult:
    """Everything one scan found (``xephang devices scan``, the setup wizard, the page)."""

    usb_printers: list[UsbPrinter] = field(default_factory=list)
    lp_devices: list[str] = field(default_factory=list)
    network_printers: list[NetworkPrinter] = field(default_factory=list)
    network_scanned: str | None = None
    """The network scanned (CIDR), ``None`` when none was asked for."""
    serial_ports: list[SerialPort] = field(default_factory=list)
    buses: list[BusProbe] = field(default_factory=list)
    twins: list[ConfiguredTwin] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """What could not be looked at (in the current language)."""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for bus, probe in zip(data["buses"], self.buses, strict=True):
            bus["found"] = probe.found
        return data
