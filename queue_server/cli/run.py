"""``xephang run``: the development server (production runs under gunicorn)."""

from __future__ import annotations

from pathlib import Path

import click

from queue_server.cli.context import config_option, handles_errors, load
from queue_server.i18n import _
from queue_server.settings import Settings


def serve(settings: Settings, host: str, port: int) -> None:
    """Run the app with Flask-SocketIO's threaded server until interrupted."""
    from queue_server.web.app import create_app

    app = create_app(settings)
    socketio = app.extensions["socketio"]
    click.echo(
        _("Serving {center} on http://{host}:{port}/").format(
            center=settings.center.name, host=host, port=port
        )
    )
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, use_reloader=False)


@click.command("run")
@click.option("--host", default="127.0.0.1", show_default=True, help="0.0.0.0 for the whole LAN.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@config_option
@handles_errors
def run(host: str, port: int, config_path: Path | None) -> None:
    """Start the server (development; see docs/deployment.md for production)."""
    serve(load(config_path), host, port)
