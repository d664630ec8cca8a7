"""Device commands: test a printer, check a voice pack."""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path

import click

from queue_server.cli.context import config_option, fail, handles_errors, load
from queue_server.i18n import _, current_language
from xephang.devices.audio.check import check_message, check_pack
from xephang.devices.audio.pack import resolve_pack
from xephang.devices.printer.config import VirtualPrinterConfig

# Drivers and the Socket.IO client are imported by the commands that use them, so that
# ``xephang --help`` does not load them (docs/benchmarks.md).


@click.group()
def printer() -> None:
    """Ticket printers."""


@printer.command("test")
@click.argument("kiosk")
@config_option
@handles_errors
def printer_test(kiosk: str, config_path: Path | None) -> None:
    """Print a test ticket on KIOSK's printer and report what the printer said."""
    from xephang.devices.printer.factory import print_test_ticket

    settings = load(config_path)
    found = next((k for k in settings.kiosks if k.name == kiosk), None)
    if found is None:
        known = ", ".join(k.name for k in settings.kiosks) or "—"
        fail(_("No kiosk named {name} (known: {known}).").format(name=kiosk, known=known))
        return
    if found.printer is None:
        fail(_("Kiosk {name} has no printer configured.").format(name=kiosk))
        return
    config = found.printer
    if isinstance(config, VirtualPrinterConfig) and config.folder is None:
        folder = Path(settings.data_dir) / "tickets" / found.name
        config = config.model_copy(update={"folder": str(folder)})
    outcome = print_test_ticket(config, settings.center.name, current_language())
    state = outcome.status.message(current_language()) if outcome.status else ""
    if outcome.failed:
        fail(_("The test ticket was not printed: {state}").format(state=state or outcome.detail))
    click.echo(_("Test ticket sent to {name}: {state}").format(name=kiosk, state=state))


@click.group()
def voice() -> None:
    """Voice announcements."""


@voice.command("check")
@click.argument("pack")
@config_option
@handles_errors
def voice_check(pack: str, config_path: Path | None) -> None:
    """Check voice PACK (a folder or bundled pack name): every clip, no two letters alike."""
    settings = load(config_path)
    spoken = settings.voice.announcement
    templates = [t for t in (spoken.template, spoken.second_template) if t]
    try:
        path = resolve_pack(pack)
    except Exception as exc:  # unknown name or missing folder: say so plainly
        fail(str(exc))
        return
    prefixes = [s.prefix for s in settings.services if s.active]
    problems = check_pack(path, templates=templates, prefixes=prefixes)
    click.echo(check_message(path, problems))
    if problems:
        sys.exit(1)


@click.group("devices", invoke_without_command=True)
@click.option(
    "--server",
    envvar="XEPHANG_SERVER",
    default=None,
    help="Server address ($XEPHANG_SERVER). Default: center.public_url, else "
    "http://127.0.0.1:5000.",
)
@click.option(
    "--token",
    envvar="XEPHANG_TOKEN",
    default=None,
    help="A device token (xephang token create --role device).",
)
@config_option
@click.pass_context
@handles_errors
def devices_command(
    context: click.Context, server: str | None, token: str | None, config_path: Path | None
) -> None:
    """Drive this machine's printers, LED boards and voice from a running server."""
    # With a subcommand (scan, show-board, test-print) only that subcommand runs.
    if context.invoked_subcommand is not None:
        return
    from queue_server.workers.center_api import ApiLink, JobReporter
    from queue_server.workers.devices import DeviceWorker, build_devices
    from queue_server.workers.remote import RemoteFeed

    settings = load(config_path)
    address = server or settings.center.public_url or "http://127.0.0.1:5000"
    link = ApiLink(address, token)
    reporter = JobReporter(link).start()
    devices = build_devices(settings, on_print_job=reporter.record, leased=True)
    worker = DeviceWorker(settings, devices, link=link)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    feed = RemoteFeed(worker, address, token)
    try:
        feed.start()  # connected first: a device it holds never misses an event
    except Exception as exc:  # the server is not up yet: say so, systemd restarts us
        reporter.stop()
        fail(_("Cannot reach the server at {address}: {error}").format(address=address, error=exc))
    worker.start()  # claims the devices' leases and opens those it holds
    click.echo(_("Driving devices from {address}. Stop with Ctrl+C.").format(address=address))
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        feed.stop()
        worker.stop()  # the jobs still waiting are abandoned, reported, and leases released
        reporter.stop()


from queue_server.cli.devices_scan import scan_command, show_board, test_print  # noqa: E402

devices_command.add_command(scan_command)
devices_command.add_command(show_board)
devices_command.add_command(test_print)
