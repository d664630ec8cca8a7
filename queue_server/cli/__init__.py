"""The ``xephang`` command line."""

from queue_server.cli.main import main

__all__ = ["main"]
