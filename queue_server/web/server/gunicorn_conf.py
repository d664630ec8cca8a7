"""gunicorn settings shared by systemd, ``xephang run`` and ``xephang demo``.

One gevent worker: every connection (an idle screen, a slow client) is a greenlet, not
a thread, so a few thousand of them cost memory, not the ability to answer. The limits
(connections in all and per address, header and socket-join timeouts) come from the
center's ``[server]`` settings, read by the worker once the app is loaded.

This module is imported by gunicorn's master before it forks: it must not import the
app (monkey-patching happens in the worker, and must come before the app's locks exist).
"""

from __future__ import annotations

worker_class = "queue_server.web.server.worker.XephangWorker"
workers = 1  # one process holds the queue's in-memory state (see docs/deployment.md)
control_socket_disable = True  # gunicorn 27 would make one in the home directory
graceful_timeout = 5  # open WebSockets are closed after this on a stop (screens reconnect)
# Must be > 0: only then does the gevent worker read each request's headers under its
# timeout; the worker sets that time from ``header_timeout_s``.
keepalive = 5
