"""WSGI entry point for gunicorn: ``queue_server.web.wsgi:app`` (config from $XEPHANG_CONFIG).

gunicorn -c python:queue_server.web.server.gunicorn_conf 'queue_server.web.wsgi:app'

(the settings and limits: docs/deployment.md).

A database that cannot be reached or is missing stops the start with one line on
stderr and gunicorn's "app failed to load" status (4), so gunicorn stops instead of
starting the worker again and again (``xephang run`` checks the database before).
"""

from __future__ import annotations

import sys

from sqlalchemy.exc import InterfaceError, OperationalError

from queue_server.cli.context import database_problem
from queue_server.core.errors import QueueError
from queue_server.web.app import create_app

APP_LOAD_ERROR = 4  # gunicorn's Arbiter.APP_LOAD_ERROR: the master stops too

try:
    app = create_app()
except QueueError as exc:
    print(f"xephang: {exc.message}", file=sys.stderr)
    sys.exit(APP_LOAD_ERROR)
except (OperationalError, InterfaceError) as exc:
    print(f"xephang: {database_problem(exc)}", file=sys.stderr)
    sys.exit(APP_LOAD_ERROR)
