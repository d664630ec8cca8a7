"""WSGI entry point for gunicorn: ``queue_server.web.wsgi:app`` (config from $XEPHANG_CONFIG).

gunicorn -k gthread -w 1 --threads 100 --no-control-socket 'queue_server.web.wsgi:app'
"""

from __future__ import annotations

from queue_server.web.app import create_app

app = create_app()
