"""``xephang archive`` and ``xephang purge``: small live tables, short-lived personal data."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from queue_server.cli.context import config_option, handles_errors, load
from queue_server.cli.reports import LocalDay
from queue_server.i18n import _

if TYPE_CHECKING:
    from queue_server.core.archive import ArchivedDay

# The database is imported by the commands, so that ``xephang --help`` does not load it.


def _describe(result: ArchivedDay) -> str:
    line = _("{day}: {tickets} tickets, {events} events moved, {jobs} print jobs deleted.").format(
        day=result.day.isoformat(),
        tickets=result.tickets,
        events=result.events,
        jobs=result.print_jobs,
    )
    if result.still_open:
        line += " " + _("{count} not closed yet stay (run xephang close-day).").format(
            count=result.still_open
        )
    if result.held_back:
        line += " " + _("{count} newest kept for the next run.").format(count=result.held_back)
    return line


@click.command()
@click.option(
    "--before",
    type=LocalDay(),
    default=None,
    help="Archive the days before this one (default: today minus archive.keep_days).",
)
@config_option
@handles_errors
def archive(before: date | None, config_path: Path | None) -> None:
    """Move finished tickets of old days to the archive tables (reports read both)."""
    from queue_server.core.archive import archive_before, archive_horizon, ticket_counts
    from queue_server.core.bootstrap import open_queue

    settings = load(config_path)
    queue = open_queue(settings)
    today = queue.today()
    horizon = before or archive_horizon(today, settings.archive.keep_days)
    if horizon > today:
        raise click.BadParameter(
            _("{day} is after today; today's tickets are never archived.").format(
                day=horizon.isoformat()
            ),
            param_hint="--before",
        )
    results = archive_before(queue.db, horizon, progress=lambda day: click.echo(_describe(day)))
    live, archived = ticket_counts(queue.db)
    click.echo(
        _(
            "Archived {tickets} tickets of days before {day}. "
            "Live tickets: {live}; in the archive: {archived}."
        ).format(
            tickets=sum(r.tickets for r in results),
            day=horizon.isoformat(),
            live=live,
            archived=archived,
        )
    )
    queue.db.dispose()


@click.command()
@config_option
@handles_errors
def purge(config_path: Path | None) -> None:
    """Delete old callback and feedback phone numbers, the phone numbers and addresses of
    closed home visits (privacy.visit_days), audit-logged, and old events."""
    from queue_server.core import outbox
    from queue_server.core.bootstrap import open_queue
    from queue_server.core.contacts import purge_contacts, purge_visit_contacts
    from queue_server.core.maintenance import OUTBOX_KEEP

    settings = load(config_path)
    queue = open_queue(settings)
    days, feedback_days = settings.privacy.contact_days, settings.feedback.phone_keep_days
    deleted = purge_contacts(
        queue.db, queue.clock.now(), days, actor="cli", feedback_days=feedback_days
    )
    visit_days = settings.privacy.visit_days
    visits = purge_visit_contacts(queue.db, queue.clock.now(), visit_days, actor="cli")
    with queue.db.write() as conn:
        events = outbox.purge(conn, queue.clock.now() - OUTBOX_KEEP)
    click.echo(
        _("Deleted {count} callback phone number(s) older than {days} days.").format(
            count=deleted.callbacks, days=days
        )
    )
    click.echo(
        _(
            "Deleted the phone number of {count} feedback message(s) answered more than "
            "{days} days ago."
        ).format(count=deleted.feedback, days=feedback_days)
    )
    click.echo(
        _(
            "Deleted the phone number and address of {count} home visit(s) closed more "
            "than {days} days ago."
        ).format(count=visits, days=visit_days)
    )
    click.echo(_("Deleted {count} event(s) older than two days.").format(count=events))
    queue.db.dispose()
