"""Which physical device each printer, LED bus and speaker is: the key of its lease.

A device reached over the network is the same device from every machine
(``tcp:10.0.0.5:9100``, ``serial:socket://10.0.0.9:4001``); a device plugged into a
machine is named with that machine's host name (``serial:kiosk-pc:/dev/ttyUSB0``,
``usb:kiosk-pc:0416:5011``, ``virtual-printer:srv1:/var/lib/xephang/tickets/kiosk-1``), so
two machines' ``/dev/ttyUSB0`` are two devices and a machine never holds a device it
cannot reach. Two kiosks printing on one printer share its key.
"""

from __future__ import annotations

import hashlib
import os
import socket
from pathlib import Path

from queue_server.core.leases import KEY_LENGTH
from queue_server.installation_config import KioskConfig
from queue_server.settings import Settings
from xephang.devices.led.config import LedBusConfig
from xephang.devices.printer.config import (
    CupsPrinterConfig,
    FilePrinterConfig,
    NetworkPrinterConfig,
    PrinterBase,
    SerialPrinterConfig,
    UsbPrinterConfig,
    VirtualPrinterConfig,
)

NETWORK_URLS = ("socket://", "rfc2217://")  # pyserial URLs that reach another machine
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


def this_host() -> str:
    return socket.gethostname()


def _fit(key: str) -> str:
    """At most 200 characters (the column): a long path keeps a digest of the rest."""
    if len(key) <= KEY_LENGTH:
        return key
    return f"{key[:150]}#{hashlib.sha256(key.encode()).hexdigest()[:40]}"


def _local(kind: str, where: str) -> str:
    return _fit(f"{kind}:{this_host()}:{where}")


def _path(name: str) -> str:
    return os.path.realpath(name) if name.startswith("/") else name


def serial_key(port: str) -> str:
    """A serial port: a network URL as it is, anything else on this machine."""
    if port.lower().startswith(NETWORK_URLS):
        return _fit(f"serial:{port.lower()}")
    return _local("serial", _path(port))


def virtual_folder(settings: Settings, kiosk: KioskConfig) -> Path:
    """Where a virtual printer without a folder of its own writes its tickets."""
    return Path(settings.data_dir) / "tickets" / kiosk.name


def printer_key(settings: Settings, kiosk: KioskConfig) -> str | None:
    """The lease key of ``kiosk``'s printer (None: it has none)."""
    config: PrinterBase | None = kiosk.printer
    if isinstance(config, NetworkPrinterConfig):
        return _fit(f"tcp:{config.host.lower()}:{config.port}")
    if isinstance(config, SerialPrinterConfig):
        return serial_key(config.device)
    if isinstance(config, UsbPrinterConfig):
        return _local("usb", f"{config.vendor_id:04x}:{config.product_id:04x}")
    if isinstance(config, FilePrinterConfig):
        return _local("file", _path(config.path))
    if isinstance(config, CupsPrinterConfig):
        host = config.host.lower()
        where = f"{this_host()}:{config.port}" if host in LOCAL_HOSTS else f"{host}:{config.port}"
        return _fit(f"cups:{where}/{config.queue}")
    if isinstance(config, VirtualPrinterConfig):
        folder = Path(config.folder) if config.folder else virtual_folder(settings, kiosk)
        return _local("virtual-printer", os.path.realpath(folder))
    return None


def bus_key(settings: Settings, bus: LedBusConfig) -> str:
    """The lease key of an LED bus: its serial port, or a virtual bus of this data folder."""
    if bus.virtual:
        return _local("virtual-led", f"{os.path.realpath(settings.data_dir)}#{bus.name}")
    return serial_key(bus.port)


def speaker_key() -> str:
    """This machine's loudspeaker (one worker per machine announces)."""
    return _local("speaker", "default")


def wanted_leases(settings: Settings, *, speaker: bool) -> dict[str, list[str]]:
    """Every device ``settings`` drives: lease key → the kiosks printing on it."""
    wanted: dict[str, list[str]] = {}
    for kiosk in settings.kiosks:
        key = printer_key(settings, kiosk)
        if key is not None:
            wanted.setdefault(key, []).append(kiosk.name)
    for bus in settings.led.buses:
        wanted.setdefault(bus_key(settings, bus), [])
    if speaker:
        wanted.setdefault(speaker_key(), [])
    return wanted
