"""USB ticket printers, read from sysfs (no libusb needed, nothing is opened).

A device counts as a printer when one of its interfaces declares the USB printer
class (07), or when its vendor id is that of a maker of thermal printers only. Many
58/80 mm Chinese printers use the USB chip makers' ids (Winbond 0416, STMicro 0483,
NXP 1fc9…) with a vendor-specific class: those count when their product name says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .model import UsbPrinter

SYSFS_USB = Path("/sys/bus/usb/devices")
PRINTER_CLASS = 0x07


@dataclass(frozen=True)
class Vendor:
    name: str
    profile: str
    dot_width: int
    printers_only: bool
    """Every device of this vendor id is a printer (not a USB chip maker's id)."""


# Vendor ids seen on ESC/POS thermal printers, and the python-escpos profile to start from.
VENDORS: dict[int, Vendor] = {
    0x04B8: Vendor("Epson", "TM-T20II", 576, False),  # Epson also makes scanners
    0x0519: Vendor("Star Micronics", "TSP600", 576, True),
    0x1504: Vendor("Bixolon", "TM-T20II", 576, True),
    0x1D90: Vendor("Citizen", "CT-S651", 576, True),
    0x154F: Vendor("SNBC", "TM-T20II", 576, True),
    0x0DD4: Vendor("Custom", "TM-T20II", 576, True),
    0x0416: Vendor("Winbond (Xprinter, Gprinter…)", "TM-T20II", 576, False),
    0x0483: Vendor("STMicroelectronics (Rongta, Xprinter…)", "RP326", 576, False),
    0x1FC9: Vendor("NXP (Xprinter, POS-80…)", "TM-T20II", 576, False),
    0x0FE6: Vendor("ICS Advent (POS-58/80…)", "TM-T20II", 576, False),
    0x6868: Vendor("Zjiang", "POS-5890", 384, True),
}

_PRINTER_WORDS = re.compile(r"print|\bpos|receipt|thermal|\btm-|\bxp-|\brp\d", re.IGNORECASE)
_NARROW = re.compile(r"58|5890|5870|384", re.IGNORECASE)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return ""


def _hex(path: Path) -> int | None:
    text = _read(path)
    try:
        return int(text, 16)
    except ValueError:
        return None


def guess_profile(vendor_id: int, product: str) -> tuple[str, int]:
    """The python-escpos profile and dot width to try first for this printer."""
    if vendor_id == 0x04B8 and "T88" in product.upper():
        return "TM-T88V", 512
    if _NARROW.search(product):
        return "POS-5890", 384
    vendor = VENDORS.get(vendor_id)
    return (vendor.profile, vendor.dot_width) if vendor else ("TM-T20II", 576)


def _endpoints(interface: Path) -> tuple[int | None, int | None]:
    """The bulk IN and OUT endpoint addresses of a USB interface."""
    in_ep = out_ep = None
    for endpoint in sorted(interface.glob("ep_*")):
        if _read(endpoint / "type") != "Bulk":
            continue
        address = _hex(endpoint / "bEndpointAddress")
        if address is None:
            continue
        if _read(endpoint / "direction") == "in":
            in_ep = in_ep if in_ep is not None else address
        else:
            out_ep = out_ep if out_ep is not None else address
    return in_ep, out_ep


def _lp_device(interface: Path) -> str | None:
    found = sorted((interface / "usbmisc").glob("lp*")) if (interface / "usbmisc").is_dir() else []
    return f"/dev/usb/{found[0].name}" if found else None


def usb_printers(root: Path = SYSFS_USB) -> list[UsbPrinter]:
    """The USB devices under ``root`` (sysfs) that look like ticket printers."""
    printers: list[UsbPrinter] = []
    if not root.is_dir():
        return printers
    for device in sorted(root.iterdir()):
        if ":" in device.name:
            continue  # an interface; read with its device
        vendor_id, product_id = _hex(device / "idVendor"), _hex(device / "idProduct")
        if vendor_id is None or product_id is None:
            continue
        interfaces = sorted(root.glob(f"{device.name}:*"))
        printer_ifs = [i for i in interfaces if _hex(i / "bInterfaceClass") == PRINTER_CLASS]
        known = VENDORS.get(vendor_id)
        product = _read(device / "product")
        wanted = bool(printer_ifs) or (
            known is not None and (known.printers_only or bool(_PRINTER_WORDS.search(product)))
        )
        if not wanted:
            continue
        chosen = printer_ifs[0] if printer_ifs else (interfaces[0] if interfaces else device)
        in_ep, out_ep = _endpoints(chosen)
        profile, width = guess_profile(vendor_id, product)
        printers.append(
            UsbPrinter(
                vendor_id=vendor_id,
                product_id=product_id,
                vendor=_read(device / "manufacturer") or (known.name if known else ""),
                product=product,
                profile=profile,
                dot_width=width,
                printer_class=bool(printer_ifs),
                in_ep=in_ep,
                out_ep=out_ep,
                lp_device=_lp_device(chosen),
                sysfs=str(device),
            )
        )
    return printers


def lp_devices(directory: Path = Path("/dev/usb")) -> list[str]:
    """The kernel's USB printer device files (``/dev/usb/lp0``…)."""
    return sorted(str(p) for p in directory.glob("lp*")) if directory.is_dir() else []
