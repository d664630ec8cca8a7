"""``xephang site``: prepare a laptop for an outreach session, and merge its day back."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

import click

from queue_server.cli.context import config_option, fail, handles_errors, load
from queue_server.i18n import _

# The database is imported by the commands, so that ``xephang --help`` does not load it.

PASSWORD_BYTES = 9  # 12 characters of URL-safe base64


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable by its owner only (it holds a signing key)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)


@click.group()
def site() -> None:
    """Outreach sites: a laptop that runs one session alone, then merges back."""


@site.command("package")
@click.option("--session", "session_id", type=int, required=True, help="The outreach session.")
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write."
)
@config_option
@handles_errors
def site_package(session_id: int, out: Path, config_path: Path | None) -> None:
    """At the center: write what a laptop needs for one outreach session."""
    from queue_server.core.bootstrap import open_center
    from queue_server.core.sites import build_package

    # The settings as the admin pages left them (services, categories, the notice).
    settings, queue = open_center(load(config_path))
    package = build_package(queue.db, settings, session_id, queue.clock.now())
    _write_private(out, json.dumps(package, ensure_ascii=False, indent=1))
    session = package["session"]
    click.echo(
        _(
            "Package for session {id} ({day}, {place}), site code {code}, {count} accounts:"
            " {file}. Keep it like a key: it signs the laptop's export."
        ).format(
            id=session["id"],
            day=session["day"],
            place=session["place"],
            code=session["site_code"],
            count=len(package["officers"]),
            file=out,
        )
    )


@site.command("init")
@click.argument("package_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the site's data goes (default: ./xephang-site-<code>).",
)
@click.option("--session", "session_id", type=int, default=None, help="Check the session id.")
@handles_errors
def site_init(package_file: Path, data_dir: Path | None, session_id: int | None) -> None:
    """On the laptop: make a data directory and center.toml for the package's session."""
    from queue_server.auth.users import add_user
    from queue_server.core.bootstrap import open_queue
    from queue_server.core.sites import init_site, read_package

    package = read_package(package_file)
    session = package["session"]
    if session_id is not None and session_id != session["id"]:
        fail(
            _("The package is for session {id}, not {wanted}.").format(
                id=session["id"], wanted=session_id
            )
        )
    target = data_dir or Path(f"xephang-site-{session['site_code']}")
    config = init_site(package, target)
    settings = load(config)
    queue = open_queue(settings, create=True)
    click.echo(
        _("Site {code} ready for {day} at {place}: {config}").format(
            code=session["site_code"], day=session["day"], place=session["place"], config=config
        )
    )
    click.echo(_("Start it with: xephang run --config {config}").format(config=config))
    for officer in package["officers"]:
        password = secrets.token_urlsafe(PASSWORD_BYTES)
        add_user(
            queue.db,
            officer["username"],
            officer["role"],
            password,
            display_name=officer["display_name"],
        )
        click.echo(
            _("Account {name} ({role}): password {password}").format(
                name=officer["username"], role=officer["role"], password=password
            )
        )


@site.command("export")
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write."
)
@config_option
@handles_errors
def site_export(out: Path, config_path: Path | None) -> None:
    """On the laptop: write the session's tickets, calls, help, ratings and feedback."""
    from queue_server.core.bootstrap import open_queue
    from queue_server.core.site_export import export_site
    from queue_server.core.sites import SITE_FILE, read_package

    settings = load(config_path)
    package_file = Path(settings.data_dir) / SITE_FILE
    if not package_file.exists():
        fail(_("This data directory was not made by xephang site init."))
    package = read_package(package_file)
    queue = open_queue(settings)
    document = export_site(queue.db, package, queue.clock.now())
    _write_private(out, json.dumps(document, ensure_ascii=False))
    data = document["data"]
    click.echo(
        _("{tickets} tickets, {ratings} ratings, {assists} help records written to {file}.").format(
            tickets=len(data["tickets"]),
            ratings=len(data["ratings"]),
            assists=len(data["assists"]),
            file=out,
        )
    )


@site.command("import")
@click.argument("export_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@config_option
@handles_errors
def site_import(export_file: Path, config_path: Path | None) -> None:
    """At the center: merge a site's export (the same file twice adds nothing)."""
    from queue_server.core.bootstrap import open_queue
    from queue_server.core.site_import import import_site

    settings = load(config_path)
    queue = open_queue(settings)
    result = import_site(queue.db, settings, export_file.read_bytes(), queue.clock).value
    new = result.new
    click.echo(
        _(
            "Site {code}, session {id}: {total} new ({tickets} tickets, {events} events, "
            "{ratings} ratings, {assists} help records, {feedback} feedback)."
        ).format(
            code=result.site_code,
            id=result.session_id,
            total=result.total_new,
            tickets=new["tickets"],
            events=new["events"],
            ratings=new["ratings"],
            assists=new["assists"],
            feedback=new["feedback"],
        )
    )
    if result.total_new == 0:
        click.echo(_("Already imported: nothing changed."))
