"""``xephang devices scan``, ``show-board`` and ``test-print``: find and prove devices."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from queue_server.cli.context import config_option, fail, handles_errors, load
from queue_server.cli.tables import render_table
from queue_server.i18n import _, current_language

if TYPE_CHECKING:
    from xephang.devices.discovery import BusProbe, ScanResult


def ranges(numbers: list[int]) -> str:
    """``[1, 2, 4, 5, 6]`` → ``"1–2, 4–6"``."""
    parts: list[str] = []
    for number in sorted(numbers):
        if parts and number == int(parts[-1].rsplit("–", 1)[-1]) + 1:
            parts[-1] = parts[-1].split("–")[0] + f"–{number}"
        else:
            parts.append(str(number))
    return ", ".join(parts)


def _usb_section(result: ScanResult) -> list[str]:
    lines = [_("USB printers")]
    if not result.usb_printers:
        lines.append("  " + _("None found."))
    else:
        rows = [
            (
                f"{p.vendor_id:04x}:{p.product_id:04x}",
                f"{p.vendor} {p.product}".strip(),
                p.profile,
                p.dot_width,
                p.lp_device or "—",
            )
            for p in result.usb_printers
        ]
        headers = (_("Id"), _("Printer"), _("Profile (guess)"), _("Dots"), _("Device file"))
        lines.append(render_table(headers, rows))
    if result.lp_devices:
        lines.append(_("Printer device files: {files}").format(files=", ".join(result.lp_devices)))
    return lines


def _network_section(result: ScanResult) -> list[str]:
    if result.network_scanned is None:
        return [_("Network printers: not scanned (name a network with --network).")]
    lines = [_("Network printers on {network}").format(network=result.network_scanned)]
    if not result.network_printers:
        lines.append("  " + _("None found."))
        return lines
    rows = [
        (
            f"{p.host}:{p.port}",
            _("ESC/POS printer") if p.escpos else _("answers, but not like a printer"),
        )
        for p in result.network_printers
    ]
    lines.append(render_table((_("Address"), _("What answered")), rows))
    return lines


def _serial_section(result: ScanResult) -> list[str]:
    lines = [_("Serial ports")]
    if not result.serial_ports:
        lines.append("  " + _("None found."))
        return lines
    rows = [(p.path, p.device, p.description or "—") for p in result.serial_ports]
    lines.append(render_table((_("Port"), _("Device"), _("Description")), rows))
    return lines


def _probe_line(probe: BusProbe) -> list[str]:
    words = {"port": probe.port, "protocol": probe.protocol, "baudrate": probe.baudrate}
    if probe.bus is None:
        head = _("Port {port} ({protocol}, {baudrate} baud)").format(**words)
    else:
        head = _("RS-485 bus {name} ({port}, {protocol}, {baudrate} baud)").format(
            name=probe.bus, **words
        )
    if not probe.replies_possible:
        return [head, "  " + _("No reply possible with this protocol: use show-board and look.")]
    if probe.error is not None:
        return [head, "  " + _("Not probed: {error}").format(error=probe.error)]
    silent = [a.address for a in probe.answers if not a.answered]
    lines = [head]
    for answer in probe.answers:
        if answer.answered:
            lines.append(
                "  "
                + _("Board {address} answers ({detail})").format(
                    address=answer.address, detail=answer.detail
                )
            )
    if not probe.found:
        lines.append("  " + _("No board answered."))
    if silent:
        lines.append(
            "  " + _("No reply from addresses {addresses}").format(addresses=ranges(silent))
        )
    lines.append("  " + _("Probed in {seconds} s").format(seconds=f"{probe.seconds:.1f}"))
    return lines


def render_text(result: ScanResult, snippet: str) -> str:
    """The scan as readable text in the current language."""
    lines = [*_usb_section(result), "", *_network_section(result), "", *_serial_section(result)]
    for probe in result.buses:
        lines += ["", *_probe_line(probe)]
    if result.twins:
        lines += ["", _("Virtual twins (configured)")]
        for twin in result.twins:
            kind = _("virtual printer") if twin.kind == "printer" else _("virtual LED bus")
            lines.append(f"  {kind}: {twin.name}")
    for problem in result.problems:
        lines += ["", _("Warning: {problem}").format(problem=problem)]
    if snippet:
        lines += ["", _("Suggested configuration (check it, then add it to your TOML file):"), ""]
        lines.append(snippet)
    return "\n".join(lines).rstrip() + "\n"


@click.command("scan")
@click.option("--network", metavar="CIDR", help="Also look for printers on this network (≤ /24).")
@click.option(
    "--network-port",
    type=click.IntRange(1, 65535),
    default=9100,
    show_default=True,
    help="The printers' raw printing port.",
)
@click.option("--port", "ports", multiple=True, help="A serial port to list and probe too.")
@click.option(
    "--protocol",
    type=click.Choice(["modbus", "ascii", "four_byte"]),
    default="modbus",
    show_default=True,
    help="The boards' protocol on the ports named with --port.",
)
@click.option("--baudrate", type=click.IntRange(min=1), default=9600, show_default=True)
@click.option("--probe/--no-probe", default=True, help="Probe board addresses 1–32.")
@click.option(
    "--timeout",
    "probe_timeout",
    type=click.FloatRange(0.005, 2.0),
    default=0.05,
    show_default=True,
    help="Seconds to wait for each board address.",
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    help="A table to read, or JSON for scripts.",
)
@config_option
@handles_errors
def scan_command(
    network: str | None,
    network_port: int,
    ports: tuple[str, ...],
    protocol: str,
    baudrate: int,
    probe: bool,
    probe_timeout: float,
    output: str,
    config_path: Path | None,
) -> None:
    """Find printers, serial ports and LED boards (nothing is changed)."""
    from xephang.devices.discovery import ScanRefused, config_snippet, scan

    settings = load(config_path)
    try:
        result = scan(
            led=settings.led,
            printers={k.name: k.printer for k in settings.kiosks},
            network=network,
            network_port=network_port,
            ports=ports,
            probe=probe,
            probe_timeout_s=probe_timeout,
            protocol=protocol,
            baudrate=baudrate,
        )
    except ScanRefused as exc:
        fail(str(exc), code=2)
        return
    snippet = config_snippet(result)
    if output == "json":
        data = {**result.to_dict(), "snippet": snippet}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(result, snippet), nl=False)


@click.command("show-board")
@click.argument("address", type=click.IntRange(0, 255))
@click.option("--bus", "bus_name", default=None, help="A configured bus (default: the first).")
@click.option("--port", default=None, help="A serial port instead of a configured bus.")
@click.option("--protocol", type=click.Choice(["modbus", "ascii", "four_byte"]), default="modbus")
@click.option("--baudrate", type=click.IntRange(min=1), default=9600)
@click.option("--number", default="888", show_default=True, help="What the board shows.")
@config_option
@handles_errors
def show_board(
    address: int,
    bus_name: str | None,
    port: str | None,
    protocol: str,
    baudrate: int,
    number: str,
    config_path: Path | None,
) -> None:
    """Show NUMBER (888) on the board at ADDRESS, to see that it is wired right."""
    from xephang.devices.discovery import show_on_board
    from xephang.devices.led.config import VIRTUAL_PORT, LedBusConfig

    settings = load(config_path)
    if port is not None:
        bus = LedBusConfig(name="check", port=port, protocol=protocol, baudrate=baudrate)  # type: ignore[arg-type]
    else:
        buses = [b for b in settings.led.buses if bus_name in (None, b.name)]
        if not buses:
            known = ", ".join(b.name for b in settings.led.buses) or "—"
            fail(_("No LED bus named {name} (known: {known}).").format(name=bus_name, known=known))
            return
        bus = buses[0]
        if bus.port == VIRTUAL_PORT:
            fail(_("Bus {name} is virtual: see its boards at /devices/leds.").format(name=bus.name))
            return
    check = show_on_board(bus, address, number)
    if not check.ok:
        fail(check.message)
    click.echo(check.message)


@click.command("test-print")
@click.argument("kiosk", required=False)
@click.option("--host", default=None, help="A network printer found by scan (not configured).")
@click.option("--host-port", type=click.IntRange(1, 65535), default=9100, show_default=True)
@click.option("--profile", default="TM-T20II", show_default=True)
@click.option("--dot-width", type=int, default=576, show_default=True)
@config_option
@handles_errors
def test_print(
    kiosk: str | None,
    host: str | None,
    host_port: int,
    profile: str,
    dot_width: int,
    config_path: Path | None,
) -> None:
    """Print a test ticket on KIOSK's printer, or on the network printer at --host."""
    from xephang.devices.printer.config import NetworkPrinterConfig
    from xephang.devices.printer.factory import print_test_ticket

    if host is None:
        from queue_server.cli.devices import printer_test

        if kiosk is None:
            fail(_("Name a kiosk, or a printer with --host."), code=2)
        click.get_current_context().invoke(printer_test, kiosk=kiosk, config_path=config_path)
        return
    settings = load(config_path)
    try:
        config = NetworkPrinterConfig(
            host=host, port=host_port, profile=profile, dot_width=dot_width
        )
    except ValueError as exc:  # an unknown profile, a width it cannot print
        fail(str(exc), code=2)
        return
    outcome = print_test_ticket(config, settings.center.name, current_language())
    state = outcome.status.message(current_language()) if outcome.status else ""
    if outcome.failed:
        fail(_("The test ticket was not printed: {state}").format(state=state or outcome.detail))
    click.echo(_("Test ticket sent to {name}: {state}").format(name=host, state=state))
