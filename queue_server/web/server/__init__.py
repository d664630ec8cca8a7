"""The production server: gunicorn's gevent worker with per-address and time limits.

``xephang run``, ``xephang demo`` and the systemd unit all start the same server::

    gunicorn -c python:queue_server.web.server.gunicorn_conf --bind HOST:PORT \\
        queue_server.web.wsgi:app
"""
