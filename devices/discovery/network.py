"""Printers on the LAN: hosts answering on the raw printing port (JetDirect, 9100).

Only the network the administrator names is scanned, and only a private one of at most
256 addresses (a /24): connections go out in parallel with a short timeout each, so a
whole /24 takes about ``timeout_s`` × 256 / ``workers`` seconds. A host that accepts
is asked ``DLE EOT 1``; an ESC/POS printer answers one status byte (bits 1 and 4 set,
bits 0 and 7 clear).
"""

from __future__ import annotations

import ipaddress
import socket
from concurrent.futures import ThreadPoolExecutor

from xephang.i18n import _

from .model import NetworkPrinter

RAW_PRINT_PORT = 9100
MAX_ADDRESSES = 256
STATUS_QUERY = b"\x10\x04\x01"  # DLE EOT 1: printer status


class ScanRefused(ValueError):
    """A network that may not be scanned (too large, public, not a network)."""


def hosts_of(cidr: str) -> list[str]:
    """The addresses of ``cidr`` to try; raises :class:`ScanRefused` if it is not allowed."""
    try:
        network = ipaddress.ip_network(cidr.strip(), strict=False)
    except ValueError:
        raise ScanRefused(
            _("{cidr} is not a network; write it like 192.168.1.0/24.").format(cidr=cidr)
        ) from None
    if network.num_addresses > MAX_ADDRESSES:
        raise ScanRefused(
            _("{cidr} is too large: scan at most {count} addresses (a /24).").format(
                cidr=cidr, count=MAX_ADDRESSES
            )
        )
    if not (network.is_private or network.is_loopback or network.is_link_local):
        raise ScanRefused(
            _("{cidr} is not a local network; only the center's own network is scanned.").format(
                cidr=cidr
            )
        )
    hosts = list(network.hosts()) or [network.network_address]
    return [str(host) for host in hosts]


def probe_host(
    host: str, port: int, timeout_s: float, confirm: bool = True
) -> NetworkPrinter | None:
    """The printer at ``host:port``, or ``None`` when nothing accepts a connection."""
    try:
        connection = socket.create_connection((host, port), timeout=timeout_s)
    except OSError:
        return None
    with connection:
        if not confirm:
            return NetworkPrinter(host, port, escpos=False)
        try:
            connection.sendall(STATUS_QUERY)
            reply = connection.recv(1)
        except OSError:
            reply = b""
    status = reply[0] if reply else None
    escpos = status is not None and status & 0x93 == 0x12
    return NetworkPrinter(host, port, escpos=escpos, status_byte=status)


def scan_network(
    cidr: str,
    port: int = RAW_PRINT_PORT,
    timeout_s: float = 0.3,
    workers: int = 64,
    confirm: bool = True,
) -> list[NetworkPrinter]:
    """Every host of ``cidr`` accepting connections on ``port`` (bounded, see above)."""
    hosts = hosts_of(cidr)
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(hosts)))) as pool:
        found = pool.map(lambda host: probe_host(host, port, timeout_s, confirm), hosts)
        return [printer for printer in found if printer is not None]
