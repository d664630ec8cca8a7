"""``xephang report``, ``xephang backup`` and ``xephang restore``."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from queue_server.cli.context import config_option, fail, handles_errors, load
from queue_server.i18n import _

if TYPE_CHECKING:
    from queue_server.reports.compute import Report
    from queue_server.reports.periods import Period
    from queue_server.settings import Settings

# The database and report modules are imported by the commands that use them, so that
# ``xephang --help`` does not load them (docs/benchmarks.md).

PROGRESS_AFTER_DAYS = 3


class LocalDay(click.ParamType):
    """A calendar day written YYYY-MM-DD."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(_("{value} is not a date (use YYYY-MM-DD).").format(value=value), param, ctx)


class PeriodText(click.ParamType):
    """A month (YYYY-MM), a quarter (YYYY-Q4) or a year (YYYY), checked as it is read."""

    def __init__(self, kind: str, example: str) -> None:
        self.kind = kind
        self.name = example

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from queue_server.reports.periods import (
            PeriodError,
            parse_month,
            parse_quarter,
            parse_year,
        )

        parse = {"month": parse_month, "quarter": parse_quarter, "year": parse_year}[self.kind]
        try:
            return parse(str(value))
        except PeriodError as exc:
            self.fail(exc.message, param, ctx)


def chosen_days(
    start: date | None, end: date | None, named: Sequence[Period | None]
) -> tuple[date, date]:
    """The first and last day asked for, in exactly one way."""
    given = [period for period in named if period is not None]
    ways = len(given) + (start is not None or end is not None)
    if ways == 0:
        raise click.UsageError(
            _("Choose the days: --month, --quarter, --year, or --from and --to.")
        )
    if ways > 1:
        raise click.UsageError(
            _("Choose the days one way only: --month, --quarter, --year, or --from and --to.")
        )
    if given:
        return given[0].start, given[0].end
    if start is None or end is None:
        raise click.UsageError(_("--from and --to go together."))
    if start > end:
        raise click.BadParameter(
            _("{start} is after {end}.").format(start=start, end=end), param_hint="--from"
        )
    return start, end


@click.command()
@click.option("--month", type=PeriodText("month", "YYYY-MM"), help="A month, e.g. 2026-11.")
@click.option("--quarter", type=PeriodText("quarter", "YYYY-QN"), help="A quarter, e.g. 2026-Q4.")
@click.option("--year", type=PeriodText("year", "YYYY"), help="A year, e.g. 2026.")
@click.option("--from", "start", type=LocalDay(), help="First day (YYYY-MM-DD), with --to.")
@click.option("--to", "end", type=LocalDay(), help="Last day, included.")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]), default="csv",
    show_default=True,
)  # fmt: skip
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="Output file (default for CSV and JSON: standard output; required for xlsx).",
)
@config_option
@handles_errors
def report(
    month: Period | None,
    quarter: Period | None,
    year: Period | None,
    start: date | None,
    end: date | None,
    fmt: str,
    out: Path | None,
    config_path: Path | None,
) -> None:
    """Tickets, waits, service times, vulnerable citizens served and help given over a
    month, a quarter, a year or any days."""
    first, last = chosen_days(start, end, (month, quarter, year))
    if fmt == "xlsx" and out is None:
        raise click.BadParameter(_("an Excel report needs --out FILE."), param_hint="--out")
    from queue_server.reports.files import report_file

    settings = load(config_path)
    center = settings.center
    data = report_file(
        _compute(settings, first, last),
        center.name,
        fmt,
        settings.ratings.reasons,
        ward=center.ward,
    )
    if out is None:
        stream = sys.stdout.buffer  # click.get_binary_stream is deprecated (gone in Click 9)
        stream.write(data)
        stream.flush()
    else:
        out.write_bytes(data)
    if out is not None:
        click.echo(_("Report written to {path}.").format(path=out), err=True)


def _compute(settings: Settings, start: date, end: date) -> Report:
    from queue_server.core.db import Database
    from queue_server.core.schema import current_revision
    from queue_server.reports.backup import sqlite_file
    from queue_server.reports.compute import compute_report, days_between

    url = settings.database_url()
    path = sqlite_file(url)
    if path is not None and not path.is_file():
        fail(_("There is no database at {path}.").format(path=path))
    database = Database(url)
    try:
        if current_revision(database) is None:
            fail(_("The database has no xephang tables yet; run xephang init."))
        zone = settings.center.zone

        def compute(progress: Callable[[date], None] | None = None) -> Report:
            return compute_report(
                database,
                zone,
                start,
                end,
                progress=progress,
                kinds=settings.assists.kinds,
                feedback_kinds=settings.feedback.kinds,
                call_reasons=settings.assistance.reasons,
            )

        days = len(days_between(start, end))
        if days <= PROGRESS_AFTER_DAYS:
            return compute()
        with click.progressbar(length=days, label=_("Adding up days"), file=sys.stderr) as bar:
            return compute(lambda _day: bar.update(1))
    finally:
        database.dispose()


def _sqlite_or_fail(settings: Settings) -> Path:
    from queue_server.reports.backup import POSTGRESQL_PROCEDURE, BackupError, sqlite_file

    try:
        path = sqlite_file(settings.database_url())
    except BackupError as exc:
        fail(exc.message)
        raise AssertionError from exc  # fail() exits
    if path is None:
        click.echo(
            _("This center uses PostgreSQL: back it up and restore it with its own tools:"),
            err=True,
        )
        click.echo(POSTGRESQL_PROCEDURE, err=True)
        fail(_("xephang backup and restore work only on SQLite databases."))
        raise AssertionError  # fail() exits
    return path


@click.command()
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@config_option
@handles_errors
def backup(target: Path, config_path: Path | None) -> None:
    """Copy the SQLite database to TARGET (safe while the server runs)."""
    from queue_server.reports.backup import BackupError, backup_sqlite

    source = _sqlite_or_fail(load(config_path))
    try:
        backup_sqlite(source, target)
    except BackupError as exc:
        fail(exc.message)
    click.echo(_("Backup written to {path}.").format(path=target))


@click.command()
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@config_option
@handles_errors
def restore(source: Path, config_path: Path | None) -> None:
    """Replace the SQLite database with the backup SOURCE (stop the server first)."""
    from queue_server.reports.backup import BackupError, restore_sqlite

    target = _sqlite_or_fail(load(config_path))
    try:
        revision = restore_sqlite(source, target)
    except BackupError as exc:
        fail(exc.message)
    click.echo(
        _("Database restored from {path} (schema revision {revision}).").format(
            path=source, revision=revision
        )
    )
