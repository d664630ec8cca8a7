"""``xephang clock status`` and ``xephang clock confirm``: the clock guard (docs/outages.md)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from queue_server.cli.context import config_option, handles_errors, load
from queue_server.i18n import _

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from queue_server.core.clockguard import ClockStatus

# The database is imported by the commands, so that ``xephang --help`` does not load it.


def _local(moment: datetime | None, zone: ZoneInfo) -> str:
    if moment is None:
        return _("none yet")
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S %Z")


def _show(status: ClockStatus, zone: ZoneInfo) -> None:
    click.echo(_("Server clock: {time}").format(time=_local(status.server_time, zone)))
    click.echo(_("Last recorded event: {time}").format(time=_local(status.reference.at, zone)))
    if status.suspicion is not None:
        click.echo(status.suspicion.message())
    else:
        click.echo(_("The clock fits the last recorded event."))


@click.group()
def clock() -> None:
    """The server's clock after a power cut."""


@clock.command("status")
@config_option
@handles_errors
def clock_status(config_path: Path | None) -> None:
    """Show the server's clock beside the last recorded event; exit 3 if it is suspect."""
    from queue_server.core.bootstrap import open_queue

    settings = load(config_path)
    queue = open_queue(settings)
    status = queue.clock_guard.status(queue.db, queue.clock.now())
    _show(status, settings.center.zone)
    if status.suspicion is not None:
        raise SystemExit(3)


@clock.command("confirm")
@click.option("--yes", is_flag=True, help="Do not ask; confirm at once.")
@config_option
@handles_errors
def clock_confirm(yes: bool, config_path: Path | None) -> None:
    """Confirm that the server's clock is right: tickets are issued and called again."""
    from queue_server.core.bootstrap import open_queue

    settings = load(config_path)
    queue = open_queue(settings)
    zone = settings.center.zone
    _show(queue.clock_guard.status(queue.db, queue.clock.now()), zone)
    if not yes and not click.confirm(_("Is the server's clock right?")):
        raise SystemExit(1)
    now = queue.clock.now()
    queue.clock_guard.confirm(queue.db, now, "cli")
    click.echo(_("Clock confirmed at {time}.").format(time=_local(now, zone)))
