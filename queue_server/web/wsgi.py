"""WSGI entry point for gunicorn: ``queue_server.web.wsgi:app`` (config from $XEPHANG_CONFIG).

gunicorn -c python:queue_server.web.server.gunicorn_conf 'queue_server.web.wsgi:app'

(the settings and limits: docs/deployment.md).

The module is the server's entry point: it builds the :class:`~queue_server.runtime.Runtime`,
the app on it, and starts the runtime; the runtime stops (workers, database, server lock)
when the process exits. A database that cannot be reached or is missing stops the start
with one line on stderr and gunicorn's "app failed to load" status (4), so gunicorn stops
instead of starting the worker again and again (``xephang run`` checks the database
before).
"""

from __future__ import annotations

import atexit
import gc
import sys

from sqlalchemy.exc import InterfaceError, OperationalError

from queue_server.cli.context import database_problem
from queue_server.core.errors import QueueError
from queue_server.runtime import Runtime
from queue_server.web.app import create_app

APP_LOAD_ERROR = 4  # gunicorn's Arbiter.APP_LOAD_ERROR: the master stops too

try:
    runtime = Runtime.build()
    app = create_app(runtime)
    runtime.start()
except QueueError as exc:
    print(f"xephang: {exc.message}", file=sys.stderr)
    sys.exit(APP_LOAD_ERROR)
except (OperationalError, InterfaceError) as exc:
    print(f"xephang: {database_problem(exc)}", file=sys.stderr)
    sys.exit(APP_LOAD_ERROR)

atexit.register(runtime.stop)
# What start-up made (modules, catalogues, the app: ~200,000 objects) lives as long as
# the process: a full collection that walks them held every request for ~130 ms.
# Frozen, a full collection walks what was made since (docs/deployment.md).
gc.freeze()
