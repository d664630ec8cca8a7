"""``xephang run``: the production server (gunicorn, one gevent worker) in the foreground."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from queue_server.cli.context import DEMO_CONFIG, config_option, handles_errors, load
from queue_server.i18n import _
from queue_server.settings import Settings

GUNICORN_CONFIG = "python:queue_server.web.server.gunicorn_conf"
WSGI_APP = "queue_server.web.wsgi:app"


def gunicorn_command(host: str, port: int, *, access_log: bool = False) -> list[str]:
    """The command line of the production server (the cluster units run it as it is)."""
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    log = ["--access-logfile", "-"] if access_log else []
    return [sys.executable, "-m", "gunicorn", "-c", GUNICORN_CONFIG, "--bind", bind, *log, WSGI_APP]


def serve(
    settings: Settings,
    host: str,
    port: int,
    config_path: Path | None,
    *,
    access_log: bool = False,
) -> None:
    """Replace this process by the production server on ``config_path``'s center.

    The server is a fresh interpreter so that gevent patches the standard library
    before any of the app's modules (and their locks) exist. Ctrl-C stops it. The
    database is checked first, so a wrong URL is one line here, not a failing worker.
    """
    check_database(settings)
    click.echo(
        _("Serving {center} on http://{host}:{port}/").format(
            center=settings.center.name, host=host, port=port
        )
    )
    sys.stdout.flush()
    sys.stderr.flush()
    env = {**os.environ, "XEPHANG_CONFIG": str(Path(config_path or DEMO_CONFIG).resolve())}
    command = gunicorn_command(host, port, access_log=access_log)
    os.execve(command[0], command, env)


def check_database(settings: Settings) -> None:
    """Open the center's database and run one query (errors as the CLI reports them)."""
    from queue_server.core.bootstrap import open_database

    database = open_database(settings)
    try:
        with database.read() as conn:
            conn.exec_driver_sql("SELECT 1")
    finally:
        database.dispose()


@click.command("run")
@click.option("--host", default="127.0.0.1", show_default=True, help="0.0.0.0 for the whole LAN.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--access-log", is_flag=True, help="Log every request on standard output.")
@config_option
@handles_errors
def run(host: str, port: int, access_log: bool, config_path: Path | None) -> None:
    """Start the server (the same one as production: see docs/deployment.md)."""
    from queue_server.wizard import unconfigured

    # On a file with no center yet (the package's placeholder) the setup page comes first.
    if config_path is not None and unconfigured(config_path):
        from queue_server.wizard.web import first_start

        first_start(config_path, host, port)  # no center yet: the setup page first
    serve(load(config_path), host, port, config_path, access_log=access_log)
