"""``xephang paper print``: numbered paper tickets for an outage (docs/outages.md)."""

from __future__ import annotations

from pathlib import Path

import click

from queue_server.cli.context import config_option, handles_errors, load
from queue_server.i18n import _

# The database and Pillow are imported by the command, so that ``xephang --help`` stays quick.


@click.group()
def paper() -> None:
    """Paper tickets for when the power or the server is down."""


@paper.command("print")
@click.option("--service", "service", required=True, help="Service code, e.g. HT.")
@click.option(
    "--count", type=click.IntRange(1, 5000), default=100, show_default=True,
    help="How many tickets to print.",
)  # fmt: skip
@click.option(
    "--start", type=click.IntRange(1, 999999), default=None,
    help="First number (default: after the last one printed for this service).",
)  # fmt: skip
@click.option(
    "--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
    help="The PDF file to write (A4, cut lines).",
)  # fmt: skip
@config_option
@handles_errors
def print_sheets(
    service: str, count: int, start: int | None, out: Path, config_path: Path | None
) -> None:
    """Write an A4 PDF of numbered paper tickets of a service, continuing the numbers
    already printed; the normal numbering never gives these numbers."""
    from queue_server.cli.paper_sheets import SheetTexts, pdf_bytes
    from queue_server.core.bootstrap import open_queue
    from queue_server.core.paper import PaperTickets

    settings = load(config_path)
    queue = open_queue(settings)
    info = queue.service_info(service)
    tickets = PaperTickets(queue, settings.paper)
    if not out.parent.is_dir():
        raise click.BadParameter(
            _("No folder {folder}.").format(folder=str(out.parent)), param_hint="--out"
        )
    numbers = tickets.reserve(service, count, start=start, actor="cli")
    center = settings.center.short_name or settings.center.name
    out.write_bytes(pdf_bytes(numbers, SheetTexts(center=center, service=info.name)))
    message = _("{count} paper tickets {first}–{last} of {service} written to {file}.")
    click.echo(
        message.format(
            count=len(numbers),
            first=numbers[0],
            last=numbers[-1],
            service=info.name,
            file=str(out),
        )
    )
