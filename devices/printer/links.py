"""Connections to a printer built on python-escpos classes, with reads that time out.

python-escpos 3.1 writes well, but its status helpers cannot be trusted
(``paper_status()`` says "paper OK" when nothing answers, ``is_online()`` raises a bare
``TimeoutError``). A link therefore only uses the escpos object to open the device and send
bytes, and reads the single-byte answers itself with an explicit timeout.
"""

from __future__ import annotations

import contextlib
import select
import socket
import time
from typing import Any

from escpos.exceptions import DeviceNotFoundError
from escpos.printer import File, Network, Serial

from .config import (
    CupsPrinterConfig,
    FilePrinterConfig,
    NetworkPrinterConfig,
    PrinterBase,
    SerialPrinterConfig,
    UsbPrinterConfig,
)


class PrinterUnreachable(Exception):
    """The device could not be opened (refused, absent, unplugged)."""


class ConnectionLost(Exception):
    """The device went away while we were talking to it."""


class DriverUnavailable(Exception):
    """A Python package this kind of printer needs is not installed."""


class Link:
    """An open connection to one printer."""

    can_read = False

    def __init__(self, device: Any) -> None:
        self.device = device
        self._closed = False

    def write(self, data: bytes) -> None:
        try:
            self.device._raw(data)
        except TimeoutError:
            raise
        except OSError as exc:
            raise ConnectionLost(str(exc)) from exc

    def read_byte(self, timeout: float) -> int | None:
        """One byte of answer, or None when nothing came within ``timeout`` seconds."""
        return None

    def drain(self) -> None:
        """Drop any stale answer waiting in the input buffer."""

    def close(self) -> None:
        """Close once; later calls do nothing."""
        if self._closed:
            return
        self._closed = True
        self._close_device()

    def _close_device(self) -> None:
        with contextlib.suppress(Exception):  # a dead device must not hide the real error
            self.device.close()


class NetworkLink(Link):
    can_read = True

    def _socket(self) -> socket.socket:
        return self.device.device

    def read_byte(self, timeout: float) -> int | None:
        sock = self._socket()
        ready, _, _ = select.select([sock], [], [], max(0.0, timeout))
        if not ready:
            return None
        try:
            data = sock.recv(1)
        except OSError as exc:
            raise ConnectionLost(str(exc)) from exc
        if not data:
            raise ConnectionLost("connection closed by the printer")
        return data[0]

    def drain(self) -> None:
        sock = self._socket()
        while select.select([sock], [], [], 0)[0]:
            try:
                if not sock.recv(256):
                    raise ConnectionLost("connection closed by the printer")
            except OSError as exc:
                raise ConnectionLost(str(exc)) from exc


class UrlSerial(Serial):
    """escpos ``Serial`` that also accepts pyserial URLs (``socket://``, ``rfc2217://``)."""

    def open(self, raise_not_found: bool = True) -> None:
        import serial

        try:
            self.device: serial.SerialBase | None = serial.serial_for_url(
                self.devfile,
                baudrate=self.baudrate,
                bytesize=self.bytesize,
                parity=self.parity,
                stopbits=self.stopbits,
                timeout=self.timeout,
                write_timeout=self.timeout,
                xonxoff=self.xonxoff,
                dsrdtr=self.dsrdtr,
                rtscts=getattr(self, "rtscts", False),
            )
        except (ValueError, serial.SerialException) as exc:
            self.device = None
            message = f"Unable to open serial printer on {self.devfile}: {exc}"
            raise DeviceNotFoundError(message) from exc


class SerialLink(Link):
    can_read = True

    def write(self, data: bytes) -> None:
        import serial

        try:
            self.device._raw(data)
            self.device.device.flush()
        except serial.SerialTimeoutException as exc:
            raise TimeoutError(str(exc)) from exc
        except (OSError, serial.SerialException) as exc:
            raise ConnectionLost(str(exc)) from exc

    def read_byte(self, timeout: float) -> int | None:
        import serial

        port = self.device.device
        try:
            port.timeout = max(0.0, timeout)
            data = port.read(1)
        except (OSError, serial.SerialException) as exc:
            raise ConnectionLost(str(exc)) from exc
        return data[0] if data else None

    def drain(self) -> None:
        import serial

        try:
            self.device.device.reset_input_buffer()
        except (OSError, serial.SerialException) as exc:
            raise ConnectionLost(str(exc)) from exc


class UsbLink(Link):
    can_read = True

    def write(self, data: bytes) -> None:
        import usb.core

        try:
            self.device._raw(data)
        except usb.core.USBTimeoutError as exc:
            raise TimeoutError(str(exc)) from exc
        except usb.core.USBError as exc:
            raise ConnectionLost(str(exc)) from exc

    def read_byte(self, timeout: float) -> int | None:
        import usb.core

        deadline = time.monotonic() + timeout
        try:
            data = self.device.device.read(
                self.device.in_ep, 64, max(1, int((deadline - time.monotonic()) * 1000))
            )
        except usb.core.USBTimeoutError:
            return None
        except usb.core.USBError as exc:
            raise ConnectionLost(str(exc)) from exc
        return int(data[-1]) if len(data) else None

    def drain(self) -> None:
        import usb.core

        try:
            while len(self.device.device.read(self.device.in_ep, 64, 1)):
                pass
        except usb.core.USBError:
            pass


class CupsLink(Link):
    """Bytes go to CUPS as one raw job when the link closes."""

    def _close_device(self) -> None:
        try:
            self.device.close()
        except Exception as exc:
            raise ConnectionLost(str(exc)) from exc


def _build_device(config: PrinterBase) -> tuple[Any, type[Link]]:
    """The python-escpos object for ``config`` and the link class that wraps it."""
    profile = config.profile
    if isinstance(config, NetworkPrinterConfig):
        return Network(config.host, config.port, timeout=config.timeout_s, profile=profile), (
            NetworkLink
        )
    if isinstance(config, SerialPrinterConfig):
        device = UrlSerial(
            config.device,
            baudrate=config.baudrate,
            timeout=config.timeout_s,
            xonxoff=config.flow_control == "xonxoff",
            dsrdtr=config.flow_control == "dsrdtr",
            profile=profile,
        )
        device.rtscts = config.flow_control == "rtscts"
        return device, SerialLink
    if isinstance(config, UsbPrinterConfig):
        from escpos.printer import Usb

        if not Usb.is_usable():
            raise DriverUnavailable("pyusb (pip install 'python-escpos[usb]')")
        device = Usb(
            config.vendor_id,
            config.product_id,
            timeout=int(config.timeout_s * 1000),
            in_ep=config.in_ep,
            out_ep=config.out_ep,
            profile=profile,
        )
        return device, UsbLink
    if isinstance(config, FilePrinterConfig):
        return File(config.path, profile=profile), Link
    if isinstance(config, CupsPrinterConfig):
        from escpos.printer import CupsPrinter

        if not CupsPrinter.is_usable():
            raise DriverUnavailable("pycups (pip install pycups)")
        device = CupsPrinter(config.queue, host=config.host, port=config.port, profile=profile)
        return device, CupsLink
    raise ValueError(f"no device driver for printer kind {config.kind!r}")  # type: ignore[attr-defined]


def open_link(config: PrinterBase) -> Link:
    """Open the device; raises PrinterUnreachable or DriverUnavailable."""
    device, link_class = _build_device(config)
    try:
        device.open()
    except DeviceNotFoundError as exc:
        raise PrinterUnreachable(str(exc)) from exc
    except OSError as exc:
        raise PrinterUnreachable(str(exc)) from exc
    except Exception as exc:  # escpos wraps most errors, USB/CUPS may not
        raise PrinterUnreachable(f"{type(exc).__name__}: {exc}") from exc
    return link_class(device)
