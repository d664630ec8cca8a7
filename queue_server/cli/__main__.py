"""``python -m queue_server.cli`` runs the ``xephang`` command."""

from queue_server.cli.main import main

main(prog_name="xephang")
