"""``xephang setup``: the questions of a new center, answered in the terminal (or on the
first-start page with ``--web``), and the center.toml they make (docs/setup.md)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from queue_server.cli.context import handles_errors
from queue_server.i18n import _
from queue_server.wizard.questions import Invalid, Question, read_answer

if TYPE_CHECKING:
    from queue_server.wizard.finish import Outcome

# The wizard's modules (settings, database, password hashing) are imported when the command
# runs, so that ``xephang --help`` stays quick (docs/benchmarks.md).

INSTALLED_CONFIG = Path("/etc/xephang/center.toml")


def default_config() -> Path:
    """$XEPHANG_CONFIG, else the installed /etc/xephang/center.toml, else ./center.toml."""
    chosen = os.environ.get("XEPHANG_CONFIG")
    if chosen:
        return Path(chosen)
    return INSTALLED_CONFIG if INSTALLED_CONFIG.parent.is_dir() else Path("center.toml")


def lan_address(port: int) -> str:
    """``http://<this machine's LAN address>:<port>`` (no packet is sent to find it)."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            host = probe.getsockname()[0]
        except OSError:
            host = "127.0.0.1"
    return f"http://{host}:{port}"


def ask(question: Question, accept: Callable[[Question, str], object]) -> None:
    """Ask until the answer is accepted (``accept(question, typed)`` raises Invalid)."""
    hint = question.hint_text()
    if hint:
        click.secho(f"  {hint}", dim=True)
    while True:
        typed = click.prompt(
            question.text(),
            default=question.default if question.kind != "secret" else "",
            show_default=bool(question.default) and question.kind != "secret",
            hide_input=question.kind == "secret",
            confirmation_prompt=question.kind == "secret" and _("Type it again to be sure"),
        )
        try:
            accept(question, typed)
            return
        except Invalid as exc:
            click.secho(f"  {exc}", fg="red")


def confirm(prompt: str, *, default: bool) -> bool:
    """A yes/no question answered c/k (or y/n), re-asked until it is one of them."""
    question = Question("confirm", prompt, kind="yesno", default="c" if default else "k")
    answer: list[bool] = []
    ask(question, lambda _q, typed: answer.append(read_answer(question, typed)))
    return answer[0]


@click.command("setup")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The file to write. Default: $XEPHANG_CONFIG, else /etc/xephang/center.toml "
    "when that folder exists, else ./center.toml.",
)
@click.option(
    "--data-dir",
    default=None,
    help="Where the database goes. Default: /var/lib/xephang for /etc/xephang, else "
    "'data' beside the file.",
)
@click.option(
    "--web",
    is_flag=True,
    help="Ask on a web page (with a one-time code) instead, then serve the center.",
)
@click.option("--host", default="0.0.0.0", show_default=True, help="The page's address (--web).")
@click.option(
    "--port",
    default=5000,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="The server's port: in the proposed address of the links, and the page's (--web).",
)
@click.option("--no-scan", is_flag=True, help="Do not offer to look for printers and boards.")
@handles_errors
def setup(
    config_path: Path | None,
    data_dir: str | None,
    web: bool,
    host: str,
    port: int,
    no_scan: bool,
) -> None:
    """Set up a new center: answer the questions; writes center.toml and the accounts."""
    from queue_server.wizard import unconfigured
    from queue_server.wizard.devices import device_scanner
    from queue_server.wizard.finish import apply, default_data_dir
    from queue_server.wizard.steps import Wizard

    path = config_path or default_config()
    replace = path.exists()
    question = _("{path} already holds a center. Replace it? (c/k)").format(path=path)
    if replace and not unconfigured(path) and not confirm(question, default=False):
        raise click.ClickException(_("Nothing written."))
    wizard = Wizard(
        data_dir=data_dir or default_data_dir(path),
        base_url=lan_address(port),
        scanner=None if no_scan else device_scanner(),
    )
    if web:
        from queue_server.cli.context import load
        from queue_server.cli.run import serve
        from queue_server.wizard.web import serve_setup

        serve_setup(wizard, path, host, port, replace=replace)
        serve(load(path), host, port, path)  # as on the first start
        return
    click.echo(_("Setting up a new center: {path}").format(path=path))
    click.echo(_("Press Enter to keep the answer in brackets."))
    current = None
    while (batch := wizard.next_batch()) is not None:
        step, questions = batch
        if step is not current:
            current = step
            click.secho(f"\n== {_(step.title)} ==", bold=True)
        ask(questions[0], wizard.accept)
        if questions[0].key == "devices.scan" and wizard.found:
            for line in wizard.found.get("lines") or [_("Nothing found.")]:
                click.echo(f"  {line}")
    click.echo()
    if not confirm(_("Write the configuration and make the accounts? (c/k)"), default=True):
        raise click.ClickException(_("Nothing written."))
    outcome = apply(wizard, path, replace=replace)
    show_outcome(outcome)


def show_outcome(outcome: Outcome) -> None:
    """The file written, passwords made up, and each screen's link with its QR code."""
    from queue_server.wizard.finish import qr_text

    click.secho(_("Written: {path}").format(path=outcome.path), fg="green")
    for username in outcome.kept:
        click.echo(_("The account {name} already existed; it was kept.").format(name=username))
    for username, password in outcome.made_up:
        click.echo(
            _("Password of {name}: {password} (write it down)").format(
                name=username, password=password
            )
        )
    click.echo(_("Open each screen on its device (scan the QR code):"))
    for link in outcome.links:
        click.echo(f"\n{link.label}: {link.url}" + (f"  ({link.note})" if link.note else ""))
        click.echo(qr_text(link.url))
    click.echo(_("Then start the server: xephang run --config {path}").format(path=outcome.path))
