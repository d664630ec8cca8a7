"""``xephang user …`` and ``xephang token …``: accounts and API tokens."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from queue_server.auth.durations import parse_duration
from queue_server.auth.roles import TOKEN_ROLES, USER_ROLES, Role
from queue_server.cli.context import config_option, fail, handles_errors, load
from queue_server.cli.tables import render_table
from queue_server.i18n import _

if TYPE_CHECKING:
    from queue_server.core.operations import Queue

# The database and password hashing are imported by the commands that use them, so that
# ``xephang --help`` does not load them (docs/benchmarks.md).


def _open(config_path: Path | None) -> Queue:
    from queue_server.core.bootstrap import open_queue

    return open_queue(load(config_path))


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "—"


@click.group()
def user() -> None:
    """People who sign in: officers, help desk, admins."""


@user.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in USER_ROLES]), required=True)
@click.option("--name", "display_name", default="", help="Full name shown on screens.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@config_option
@handles_errors
def user_add(
    username: str, role: str, display_name: str, password_stdin: bool, config_path: Path | None
) -> None:
    """Create the account USERNAME (asks for a password unless --password-stdin)."""
    from queue_server.auth.users import add_user

    queue = _open(config_path)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(_("Password"), hide_input=True, confirmation_prompt=True)
    user_id = add_user(queue.db, username, role, password, display_name=display_name)
    click.echo(
        _("User {name} ({role}) created with id {id}.").format(name=username, role=role, id=user_id)
    )


@user.command("list")
@config_option
@handles_errors
def user_list(config_path: Path | None) -> None:
    """Show every account."""
    from queue_server.auth.users import list_users

    rows = list_users(_open(config_path).db)
    click.echo(
        render_table(
            [_("Id"), _("User name"), _("Role"), _("Active"), _("Created")],
            [
                [
                    r["id"],
                    r["username"],
                    r["role"],
                    _("yes") if r["active"] else _("no"),
                    _when(r["created_at"]),
                ]
                for r in rows
            ],
        )
    )


@user.command("disable")
@click.argument("username")
@config_option
@handles_errors
def user_disable(username: str, config_path: Path | None) -> None:
    """Stop USERNAME from signing in (existing sessions stop working too)."""
    from queue_server.auth.users import set_active

    if not set_active(_open(config_path).db, username, False):
        fail(_("No user is called {name}.").format(name=username))
    click.echo(_("User {name} disabled.").format(name=username))


@click.group()
def token() -> None:
    """API tokens for kiosks, counters, displays and scripts."""


@token.command("create")
@click.option("--role", type=click.Choice([r.value for r in TOKEN_ROLES]), required=True)
@click.option(
    "--counter", type=int, default=None, help="The counter of an officer or rating token."
)
@click.option("--expires", default="365d", show_default=True, help="30d, 12h, 45m or never.")
@click.option(
    "--name",
    "label",
    default="",
    help="A label, e.g. 'Door'; a kiosk token's is the name of its kiosk (its printer).",
)
@click.option(
    "--without-printer",
    is_flag=True,
    help="A kiosk token whose name is no configured kiosk: its tickets are not printed.",
)
@config_option
@handles_errors
def token_create(
    role: str,
    counter: int | None,
    expires: str,
    label: str,
    without_printer: bool,
    config_path: Path | None,
) -> None:
    """Make a token and print it once (only its hash is kept)."""
    from queue_server.auth.tokens import create_token, kiosk_prints
    from queue_server.core.bootstrap import open_center

    try:
        lifetime = parse_duration(expires)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--expires") from None
    settings, queue = open_center(load(config_path))
    kiosks = {k.name: k.printer is not None for k in settings.kiosks}
    secret, info = create_token(
        queue.db,
        role,
        counter=counter,
        lifetime=lifetime,
        name=label,
        clock=queue.clock,
        known_counters=set(queue.catalogue.counters),
        kiosks=kiosks,
        without_printer=without_printer,
    )
    click.echo(secret)
    if role == Role.KIOSK and not kiosk_prints(info.name, kiosks):
        click.secho(_("Tickets issued with this token will not be printed."), fg="yellow", err=True)
    click.echo(
        _("Token {id} ({role}) expires: {expires}. It is shown only now.").format(
            id=info.id, role=info.role, expires=_when(info.expires_at)
        ),
        err=True,
    )


@token.command("revoke")
@click.argument("token_id", type=int)
@config_option
@handles_errors
def token_revoke(token_id: int, config_path: Path | None) -> None:
    """Revoke token TOKEN_ID at once."""
    from queue_server.auth.tokens import revoke_token

    info = revoke_token(_open(config_path).db, token_id)
    click.echo(_("Token {id} revoked at {at}.").format(id=info.id, at=_when(info.revoked_at)))


@token.command("list")
@config_option
@handles_errors
def token_list(config_path: Path | None) -> None:
    """Show tokens (never the secrets)."""
    from queue_server.auth.tokens import list_tokens

    queue = _open(config_path)
    now = queue.clock.now()
    rows = []
    for info in list_tokens(queue.db):
        if info.revoked_at:
            state = _("revoked")
        elif not info.usable_at(now):
            state = _("expired")
        else:
            state = _("active")
        rows.append(
            [
                info.id,
                info.name or "—",
                info.role,
                info.counter or "—",
                _when(info.expires_at),
                state,
            ]
        )
    click.echo(
        render_table([_("Id"), _("Name"), _("Role"), _("Counter"), _("Expires"), _("State")], rows)
    )
