"""A TOML snippet for the settings file, from what a scan found (to check and paste)."""

from __future__ import annotations

from xephang.i18n import _

from .model import ScanResult


def _comment(text: str) -> str:
    return "# " + text


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def config_snippet(result: ScanResult) -> str:
    """``[[kiosks]]`` for each printer found and ``[[led.buses]]``/``[[led.boards]]`` for
    each bus with answering boards; empty when nothing new was found."""
    lines: list[str] = []
    kiosk = 0
    for usb in result.usb_printers:
        kiosk += 1
        lines += [
            _comment(f"{usb.vendor} {usb.product}".strip()),
            "[[kiosks]]",
            f'name = "kiosk-{kiosk}"',
            f'printer = {{ kind = "usb", vendor_id = 0x{usb.vendor_id:04x}, '
            f"product_id = 0x{usb.product_id:04x}, "
            + (f"in_ep = 0x{usb.in_ep:02x}, " if usb.in_ep is not None else "")
            + (f"out_ep = 0x{usb.out_ep:02x}, " if usb.out_ep is not None else "")
            + f'profile = "{usb.profile}", dot_width = {usb.dot_width} }}',
            "",
        ]
    for net in result.network_printers:
        if not net.escpos:
            lines.append(
                _comment(
                    _("{host}:{port} accepts connections but did not answer like a printer")
                ).format(host=net.host, port=net.port)
            )
        kiosk += 1
        lines += [
            "[[kiosks]]",
            f'name = "kiosk-{kiosk}"',
            f'printer = {{ kind = "network", host = "{net.host}", port = {net.port}, '
            'profile = "TM-T20II", dot_width = 576 }',
            "",
        ]
    counter = 0
    for number, probe in enumerate(p for p in result.buses if p.found and p.bus is None):
        name = f"rs485-{number + 1}" if number else "rs485"
        lines += [
            "[[led.buses]]",
            f"name = {_quoted(name)}",
            f"port = {_quoted(probe.port)}",
            f"baudrate = {probe.baudrate}",
            f'protocol = "{probe.protocol}"',
            "",
        ]
        for address in probe.found:
            counter += 1
            lines += [
                "[[led.boards]]",
                f"counter = {counter}  " + _comment(_("set the counter this board hangs over")),
                f"bus = {_quoted(name)}",
                f"address = {address}",
                "",
            ]
    return "\n".join(lines)
