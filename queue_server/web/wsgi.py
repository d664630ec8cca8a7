"""WSGI entry point for gunicorn: ``queue_server.web.wsgi:app`` (config from $XEPHANG_CONFIG).

gunicorn -c python:queue_server.web.server.gunicorn_conf 'queue_server.web.wsgi:app'

(the settings and limits: docs/deployment.md).
"""

from __future__ import annotations

from queue_server.web.app import create_app

app = create_app()
