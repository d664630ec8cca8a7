"""Pydantic configuration of a ticket printer (one model per connection ``kind``)."""

from __future__ import annotations

import json
import os
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


@cache
def escpos_profiles() -> dict[str, Any]:
    """python-escpos's printer profiles, read from its ``capabilities.json``.

    Importing ``escpos.capabilities`` parses that file with a YAML parser on every start
    (about a second); it is JSON, so it is read as JSON here unless
    ``ESCPOS_CAPABILITIES_FILE`` names a file of one's own (which may be YAML).
    """
    if os.environ.get("ESCPOS_CAPABILITIES_FILE"):
        from escpos.capabilities import CAPABILITIES

        return dict(CAPABILITIES["profiles"])
    spec = find_spec("escpos")  # found, not imported
    assert spec is not None and spec.origin is not None
    text = Path(spec.origin).with_name("capabilities.json").read_text(encoding="utf-8")
    return dict(json.loads(text)["profiles"])


class NativeTextConfig(BaseModel):
    """Print text with the printer's own font in a Vietnamese code page (CP1258).

    ``code_page`` is the ``ESC t n`` number of CP1258 on this printer model (52 on Epson,
    27 or 94 on many 58 mm Chinese printers; see the printer's self-test page).
    """

    model_config = ConfigDict(extra="forbid")

    code_page: int = Field(ge=0, le=255)


class RetryPolicy(BaseModel):
    """How the spooler retries a ticket that could not be printed."""

    model_config = ConfigDict(extra="forbid")

    attempts: int = Field(default=3, ge=1, le=20)
    backoff_initial_s: float = Field(default=1.0, ge=0)
    backoff_factor: float = Field(default=2.0, ge=1)
    backoff_max_s: float = Field(default=30.0, ge=0)
    reprint_on_recovery: bool = False
    """Print failed tickets once the printer is back (only tickets younger than below)."""
    reprint_max_age_s: float = Field(default=900.0, gt=0)
    recovery_poll_s: float = Field(default=5.0, gt=0)
    abandon_after_s: float = Field(default=300.0, gt=0)
    """A ticket not printed this long after it was queued is abandoned (reason
    ``expired``) instead of printed late, e.g. in a burst when the printer comes back."""

    def delay_before(self, attempt: int) -> float:
        """Seconds to wait before attempt number ``attempt`` (1-based; the first is 0)."""
        if attempt <= 1:
            return 0.0
        return min(
            self.backoff_max_s, self.backoff_initial_s * self.backoff_factor ** (attempt - 2)
        )


class PrinterBase(BaseModel):
    """Settings shared by every kind of printer."""

    model_config = ConfigDict(extra="forbid")

    name: str = "kiosk"
    dot_width: int = Field(default=576, description="Printable dots per line: 384, 512 or 576")
    profile: str = Field(default="TM-T20II", description="python-escpos printer profile name")
    native_text: NativeTextConfig | None = None
    center_with_justify: bool = True
    """Trim text images and centre them with ``ESC a 1`` (smaller jobs); False pads them."""
    quadruple: bool = True
    """Render the big number and the QR code at half resolution, printed at double size."""
    feed_units_per_dot: int = Field(default=1, ge=1, le=4)
    """``ESC J`` motion units per printed dot (1 on 203 dpi printers)."""
    cut: Literal["full", "partial", "none"] = "partial"
    status_query: bool = True
    """Ask the printer its state with ``DLE EOT`` before and after each ticket."""
    status_timeout_s: float = Field(default=1.0, gt=0, le=30)
    confirm_timeout_s: float = Field(default=5.0, gt=0, le=60)
    """How long the status answer after a ticket may take (the printer may be busy)."""
    retry: RetryPolicy = Field(default_factory=RetryPolicy)

    @model_validator(mode="after")
    def _check_width(self) -> PrinterBase:
        if self.dot_width % 8 or not 128 <= self.dot_width <= 832:
            raise ValueError("dot_width must be a multiple of 8 between 128 and 832")
        profiles = escpos_profiles()
        if self.profile not in profiles:
            raise ValueError(f"unknown python-escpos profile {self.profile!r}")
        pixels = profiles[self.profile].get("media", {}).get("width", {}).get("pixels")
        if isinstance(pixels, int) and self.dot_width > pixels:
            raise ValueError(f"dot_width {self.dot_width} exceeds profile width {pixels}")
        return self


class NetworkPrinterConfig(PrinterBase):
    """Ethernet/Wi-Fi printer on a raw TCP port (JetDirect, usually 9100)."""

    kind: Literal["network"] = "network"
    host: str
    port: int = Field(default=9100, ge=1, le=65535)
    timeout_s: float = Field(default=3.0, gt=0, le=60)


class UsbPrinterConfig(PrinterBase):
    """USB printer driven directly through libusb (needs ``pyusb``)."""

    kind: Literal["usb"] = "usb"
    vendor_id: int = Field(ge=0, le=0xFFFF)
    product_id: int = Field(ge=0, le=0xFFFF)
    in_ep: int = 0x82
    out_ep: int = 0x01
    timeout_s: float = Field(default=3.0, gt=0, le=60)


class SerialPrinterConfig(PrinterBase):
    """RS-232 or USB-serial printer; ``device`` is a path or a pyserial URL."""

    kind: Literal["serial"] = "serial"
    device: str
    baudrate: int = 9600
    flow_control: Literal["none", "rtscts", "dsrdtr", "xonxoff"] = "none"
    timeout_s: float = Field(default=3.0, gt=0, le=60)


class FilePrinterConfig(PrinterBase):
    """A device file such as ``/dev/usb/lp0``; it cannot report status."""

    kind: Literal["file"] = "file"
    path: str
    status_query: bool = False


class CupsPrinterConfig(PrinterBase):
    """A raw CUPS queue (needs ``pycups``); status is the queue's state only."""

    kind: Literal["cups"] = "cups"
    queue: str
    host: str = "localhost"
    port: int = 631
    status_query: bool = False


class VirtualPrinterConfig(PrinterBase):
    """The virtual twin: writes each ticket as a PNG into ``folder``."""

    kind: Literal["virtual"] = "virtual"
    folder: str | None = None


PrinterConfig = Annotated[
    NetworkPrinterConfig
    | UsbPrinterConfig
    | SerialPrinterConfig
    | FilePrinterConfig
    | CupsPrinterConfig
    | VirtualPrinterConfig,
    Field(discriminator="kind"),
]
