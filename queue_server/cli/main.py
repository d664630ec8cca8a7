"""Entry point: ``xephang`` and its command groups."""

from __future__ import annotations

import atexit
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from queue_server.cli.context import DEMO_CONFIG, config_option, fail, handles_errors, load
from queue_server.cli.language import speak
from queue_server.cli.tables import render_table
from queue_server.core.wait_words import wait_minutes
from queue_server.i18n import _

if TYPE_CHECKING:
    from queue_server.core.operations import Queue

# The database, web and device layers are imported inside the commands that use them:
# ``xephang --help`` and ``xephang status`` must start quickly (docs/benchmarks.md).


def _queue(config_path: Path | None) -> Queue:
    """Open the configured queue (creating or upgrading its database if needed). In
    cluster mode the command rings the doorbell as it exits, so that every server
    process relays the events it wrote at once (they would otherwise within a poll)."""
    from queue_server.core.bootstrap import open_queue

    settings = load(config_path)
    if settings.cluster_mode:
        from queue_server.cluster.doorbell import ring_once

        atexit.register(ring_once, settings.cluster.redis_url)
    return open_queue(settings)


def _wait_sentence(seconds: int | None, ahead: int) -> str:
    """The kiosk's words for the estimated wait (one rule: ``wait_minutes``)."""
    minutes = wait_minutes(seconds, ahead)
    if minutes is None:
        return _("Estimated wait: less than a minute")
    return _("Estimated wait: about {minutes} minutes").format(minutes=minutes)


class XephangCommand(click.Group):
    """The ``xephang`` group: speaks the center's language before parsing anything."""

    def main(self, args: Sequence[str] | None = None, *more: Any, **options: Any) -> Any:
        speak(self, sys.argv[1:] if args is None else list(args), DEMO_CONFIG)
        return super().main(args, *more, **options)


@click.group(cls=XephangCommand, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="xephang")
def main() -> None:
    """xephang: queue management for Public Administrative Service Centers."""


@main.command()
@config_option
@handles_errors
def init(config_path: Path | None) -> None:
    """Create the data directory and database, and load services and counters."""
    from queue_server.core.bootstrap import open_queue
    from queue_server.public_url import not_this_machine

    settings = load(config_path)
    open_queue(settings, create=True)
    click.echo(_("Ready: {url}").format(url=settings.database_url()))
    public_url = settings.center.public_url
    # In cluster mode the address is the proxy's, usually on another machine.
    problem = not_this_machine(public_url) if public_url and not settings.cluster_mode else None
    if problem is not None:
        click.echo(
            _(
                "Warning: the tickets' QR codes point to public_url {url}, but {problem}"
                " Correct it, or leave it unset to use the address the kiosk uses."
            ).format(url=public_url, problem=problem),
            err=True,
        )


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@config_option
@handles_errors
def db_upgrade(config_path: Path | None) -> None:
    """Bring the database schema up to date."""
    from queue_server.core.bootstrap import open_database
    from queue_server.core.schema import current_revision, head_revision, upgrade
    from queue_server.wizard import unconfigured

    if config_path is not None and unconfigured(config_path):
        # The package's placeholder: no database yet (the setup makes it), nothing to do.
        click.echo(_("No center is configured yet: run `xephang setup` first."))
        return
    settings = load(config_path)
    database = open_database(settings)
    before = current_revision(database)
    upgrade(database)
    click.echo(
        _("Schema at revision {revision} (was {before}).").format(
            revision=head_revision(), before=before or "-"
        )
    )


@main.group()
def ticket() -> None:
    """Tickets."""


@ticket.command("issue")
@click.argument("service")
@click.option("--priority", "priority", default=None, help="Priority category code.")
@config_option
@handles_errors
def ticket_issue(service: str, priority: str | None, config_path: Path | None) -> None:
    """Issue a ticket for SERVICE (a service code such as HT)."""
    queue = _queue(config_path)
    categories = queue.catalogue.categories
    if priority and priority not in categories:
        fail(
            _("Unknown priority category: {code}. Valid codes: {codes}.").format(
                code=priority, codes=", ".join(categories)
            )
        )
    issued = queue.issue(service, priority, channel="cli", actor="cli").value
    click.echo(
        _("Ticket {number} for {service}: {ahead} ahead.").format(
            number=issued.number, service=issued.service_name, ahead=issued.ahead
        )
        + " "
        + _wait_sentence(issued.estimated_wait_s, issued.ahead)
    )


@ticket.command("cancel")
@click.argument("ticket_id", type=int)
@config_option
@handles_errors
def ticket_cancel(ticket_id: int, config_path: Path | None) -> None:
    """Cancel a waiting ticket by its id."""
    cancelled = _queue(config_path).cancel(ticket_id, actor="cli").value
    click.echo(_("Ticket {number} cancelled.").format(number=cancelled.number))


@main.group()
def counter() -> None:
    """Counters (quầy)."""


@counter.command("next")
@click.argument("number", type=int)
@config_option
@handles_errors
def counter_next(number: int, config_path: Path | None) -> None:
    """Call the next ticket to counter NUMBER."""
    called = _queue(config_path).call_next(number, actor="cli").value
    if called is None:
        click.echo(_("Nobody is waiting for counter {number}.").format(number=number))
    else:
        click.echo(
            _("Counter {counter} calls {number}.").format(counter=number, number=called.number)
        )


def _counter_action(name: str, help_text: str) -> None:
    @counter.command(name, help=help_text)
    @click.argument("number", type=int)
    @config_option
    @handles_errors
    def command(number: int, config_path: Path | None) -> None:
        queue = _queue(config_path)
        operation = getattr(queue, name.replace("-", "_"))
        result = operation(number, actor="cli").value
        shown = getattr(result, "number", number)
        click.echo(_("Done: {what}.").format(what=shown))


for _name, _help in (
    ("recall", "Call the counter's current ticket again."),
    ("start-serving", "The called citizen has arrived at the counter."),
    ("finish", "Finish the counter's current ticket."),
    ("no-show", "Mark the called citizen as not come."),
    ("pause", "Pause the counter."),
    ("resume", "Resume the counter."),
):
    _counter_action(_name, _help)


@counter.command("transfer")
@click.argument("number", type=int)
@click.argument("service")
@click.option("--to-counter", type=int, default=None, help="Only this counter may call it.")
@config_option
@handles_errors
def counter_transfer(
    number: int, service: str, to_counter: int | None, config_path: Path | None
) -> None:
    """Send counter NUMBER's current ticket to SERVICE, keeping its place."""
    moved = _queue(config_path).transfer(number, service, to_counter=to_counter, actor="cli")
    click.echo(
        _("Ticket {number} now waits for {service}.").format(
            number=moved.value.number, service=moved.value.service_name
        )
    )


@counter.command("call")
@click.argument("number", type=int)
@click.argument("ticket_id", type=int)
@config_option
@handles_errors
def counter_call(number: int, ticket_id: int, config_path: Path | None) -> None:
    """Call the ticket with id TICKET_ID to counter NUMBER."""
    called = _queue(config_path).call_ticket(number, ticket_id, actor="cli").value
    click.echo(_("Counter {counter} calls {number}.").format(counter=number, number=called.number))


@main.command("close-day")
@config_option
@handles_errors
def close_day(config_path: Path | None) -> None:
    """Close tickets left over from earlier days (run after midnight)."""
    closed = _queue(config_path).close_day(actor="cli").value
    click.echo(_("Closed {count} ticket(s) from earlier days.").format(count=closed))


@main.command()
@config_option
@handles_errors
def status(config_path: Path | None) -> None:
    """Show the queue: waiting per service and what each counter serves."""
    from queue_server.core.operations import status_label

    settings = load(config_path)
    queue = _queue(config_path)
    snapshot = queue.snapshot()
    click.echo(settings.center.name)
    click.echo(_("Day: {day}").format(day=snapshot["day"]))
    click.echo()
    click.echo(
        render_table(
            [_("Code"), _("Prefix"), _("Service"), _("Waiting")],
            [[s["code"], s["prefix"], s["name"], s["waiting"]] for s in snapshot["services"]],
        )
    )
    click.echo()
    rows = []
    for c in snapshot["counters"]:
        current = c["current"]
        rows.append(
            [
                c["number"],
                c["name"],
                _("open") if c["status"] == "open" else _("paused"),
                f"{current['number']} ({status_label(current['status'])})" if current else "—",
            ]
        )
    click.echo(render_table([_("Counter"), _("Name"), _("State"), _("Current ticket")], rows))


# --- web server, accounts and API tokens (issue #3) ---
from queue_server.cli.accounts import token, user  # noqa: E402
from queue_server.cli.run import run  # noqa: E402

main.add_command(run)
main.add_command(user)
main.add_command(token)

from queue_server.cli.devices import devices_command, printer, voice  # noqa: E402

main.add_command(devices_command)
main.add_command(printer)
main.add_command(voice)

# --- reports, backup and restore (issue #8) ---
from queue_server.cli.reports import backup, report, restore  # noqa: E402

main.add_command(report)
main.add_command(backup)
main.add_command(restore)

# --- archive and personal data purge (issue #8) ---
from queue_server.cli.records import archive, purge  # noqa: E402

main.add_command(archive)
main.add_command(purge)

# --- cluster mode: the configuration's mode and its servers (issue #15) ---
from queue_server.cli.check import check  # noqa: E402

main.add_command(check)

# --- paper tickets for an outage (issue #17) ---
from queue_server.cli.paper import paper  # noqa: E402

main.add_command(paper)

# --- the demo center with its history, accounts and links ---
from queue_server.cli.demo import demo  # noqa: E402

main.add_command(demo)

# --- outreach sites: a laptop that runs one session alone, then merges back ---
from queue_server.cli.sites import site  # noqa: E402

main.add_command(site)
# --- the clock after a power cut (issue #17) ---
from queue_server.cli.clock import clock  # noqa: E402

main.add_command(clock)

from queue_server.cli.langpacks import language  # noqa: E402

main.add_command(language)

# --- the setup wizard of a new center (issue #20) ---
from queue_server.cli.setup import setup  # noqa: E402

main.add_command(setup)
