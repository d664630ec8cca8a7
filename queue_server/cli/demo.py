"""``xephang demo``: the demo center with a realistic history, its accounts and links."""

from __future__ import annotations

import contextlib
import errno
import socket
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click

from queue_server.cli.context import config_option, fail, handles_errors, load
from queue_server.cli.run import serve
from queue_server.core.serverlock import ServerLock
from queue_server.core.storage import DatabaseMissing
from queue_server.demo import DEFAULT_DAYS, DEFAULT_SEED
from queue_server.i18n import _
from queue_server.settings import Settings
from xephang.devices.printer.config import VirtualPrinterConfig

if TYPE_CHECKING:
    from queue_server.cli.demo_access import DemoStaff, TrackedTicket
    from queue_server.core.operations import Queue

# The database, the history player and the accounts are imported by the command itself,
# so that ``xephang --help`` does not load them (docs/benchmarks.md).


@click.command()
@click.option(
    "--reset",
    is_flag=True,
    help="Delete the demo's data (database, printed tickets, screen tokens) and start again.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="0.0.0.0 for the whole LAN.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--no-serve", is_flag=True, help="Only set up the data; do not start the server.")
@click.option(
    "--history-days",
    default=DEFAULT_DAYS,
    show_default=True,
    type=click.IntRange(0, 60),
    help="Working days of history played into a new demo database (0: none).",
)
@click.option(
    "--seed",
    default=DEFAULT_SEED,
    show_default=True,
    type=int,
    help="Another number plays another history (the same seed and days: the same one).",
)
@config_option
@handles_errors
def demo(
    reset: bool,
    host: str,
    port: int,
    no_serve: bool,
    history_days: int,
    seed: int,
    config_path: Path | None,
) -> None:
    """Set up the demo center's data and start the server on it."""
    from queue_server.cli.demo_access import demo_accounts, format_links, prepare_demo_access
    from queue_server.cli.demo_tokens import TOKENS_FILE, DemoTokens
    from queue_server.core.bootstrap import open_queue
    from queue_server.demo.history import days_before_today
    from queue_server.demo.outreach import plan_demo_outreach

    settings = load(config_path)
    data_dir = Path(settings.data_dir)
    own_file = not settings.database.url  # the SQLite file in the demo's data directory
    with contextlib.ExitStack() as resetting:
        if reset:  # refused while a server uses the data directory
            resetting.enter_context(ServerLock.for_reset(data_dir))
        if not no_serve and port_in_use(host, port):
            fail(
                _(
                    "Port {port} is in use: is the demo already running? Use its links, "
                    "stop it (Ctrl+C), or choose another port with --port."
                ).format(port=port)
            )
        if reset:
            clear_demo_data(settings, own_file=own_file)
        new_database = own_file and not (data_dir / "xephang.db").exists()
        try:
            queue = open_queue(settings, create=reset)
        except DatabaseMissing as exc:
            fail(exc.message + " " + _("xephang demo --reset starts the demo again."))
            raise AssertionError from exc  # fail() exits
        staff = demo_accounts(queue)
        going = [member.user_id for member in list(staff.officers.values())[:2]]
        plan_demo_outreach(queue, [*going, staff.helpdesk.user_id])  # docs/outreach.md
        click.echo(_("Demo center ready in {path}.").format(path=data_dir))
        if history_days:
            _history(queue, settings, staff, history_days, seed, new_database)
        click.echo(
            _("Try: xephang ticket issue HT, then xephang counter next 2, then xephang status.")
        )
        shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        kiosk = settings.kiosks[0].name if settings.kiosks else None
        links = prepare_demo_access(
            queue,
            f"http://{shown_host}:{port}",
            kiosk,
            history=days_before_today(queue),
            tracked=_tracked_ticket(queue, settings, kiosk),
            tokens=DemoTokens(queue, data_dir / TOKENS_FILE),
        )
        queue.db.dispose()
    click.echo()
    click.echo(_("Open these in a browser:"))
    for line in format_links(links):
        click.echo(line)
    click.echo()
    if not no_serve:
        serve(settings, host, port, config_path)


def port_in_use(host: str, port: int) -> bool:
    """Whether something already listens on ``host:port`` (checked before any set-up)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            return exc.errno == errno.EADDRINUSE
    return False


def clear_demo_data(settings: Settings, *, own_file: bool) -> None:
    """Delete the demo's database file, its screen tokens and its printed tickets."""
    from queue_server.cli.demo_tokens import TOKENS_FILE

    data_dir = Path(settings.data_dir)
    if own_file:
        for suffix in ("", "-wal", "-shm", "-journal"):
            (data_dir / f"xephang.db{suffix}").unlink(missing_ok=True)
    (data_dir / TOKENS_FILE).unlink(missing_ok=True)
    folders = [data_dir / "tickets"]
    folders += [
        Path(kiosk.printer.folder)
        for kiosk in settings.kiosks
        if isinstance(kiosk.printer, VirtualPrinterConfig) and kiosk.printer.folder
    ]
    for folder in folders:
        for png in folder.rglob("*.png") if folder.is_dir() else ():
            png.unlink()


def _history(
    queue: Queue, settings: Settings, staff: DemoStaff, days: int, seed: int, new_database: bool
) -> None:
    """Play the history into a database this command has just made, never into others."""
    from queue_server.core.results import ResultRules
    from queue_server.demo.history import has_tickets, play_history

    if not new_database or has_tickets(queue):
        if not has_tickets(queue):
            click.echo(
                _(
                    "No history played: the database was there already. "
                    "xephang demo --reset starts again with {days} days of history."
                ).format(days=days)
            )
        return
    kiosk = settings.kiosks[0].name if settings.kiosks else None
    click.echo(_("Playing {days} working days of history…").format(days=days))
    summary = play_history(
        queue,
        staff.officers,
        days=days,
        seed=seed,
        helpdesk=staff.helpdesk,
        kiosk=kiosk,
        ratings=settings.ratings,
        assists=settings.assists,
        feedback=settings.feedback,
        results=ResultRules.from_settings(settings),
        assistance=settings.assistance,
        appointments=settings.appointments,
    )
    click.echo(
        _(
            "History {first} … {last}: {issued} tickets, {served} served, {rated} ratings "
            "({seconds:.1f} s)."
        ).format(
            first=summary.days[0],
            last=summary.days[-1],
            issued=summary.issued,
            served=summary.served,
            rated=summary.rated,
            seconds=summary.seconds,
        )
    )
    from queue_server.demo.sites import play_outreach_saturdays

    outreach = play_outreach_saturdays(queue, settings, staff.officers, summary.days, seed)
    click.echo(
        _("Two outreach Saturdays played on a laptop and imported: {count} tickets.").format(
            count=outreach
        )
    )
    click.echo(
        _("The report of these days: xephang report --from {first} --to {last}").format(
            first=summary.days[0], last=summary.days[-1]
        )
    )


def _tracked_ticket(queue: Queue, settings: Settings, kiosk: str | None) -> TrackedTicket | None:
    """A served, unrated ticket of the last days, else a ticket issued now."""
    from queue_server.cli.demo_access import TrackedTicket
    from queue_server.demo.history import latest_unrated_served

    since = queue.today() - timedelta(days=settings.ratings.track_window_days)
    found = latest_unrated_served(queue, since)
    if found is not None:
        return TrackedTicket(code=found[0], number=found[1], served=True)
    services = list(queue.catalogue.services)
    if not services:
        return None
    issued = queue.issue(services[0], channel="kiosk", actor="cli", kiosk=kiosk).value
    return TrackedTicket(code=issued.track_code, number=issued.number, served=False)
