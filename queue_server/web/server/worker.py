"""A gunicorn gevent worker that caps connections per address and times out slow headers.

- ``max_connections`` (all addresses) is the size of the worker's greenlet pool.
- ``max_connections_per_address``: one more connection from the same address gets a
  ``429`` and is closed at once, before any request is read (0: no cap). The
  ``trusted_proxies`` (a reverse proxy, through which every client comes) have no cap.
- ``header_timeout_s``: a connection that has not sent a request's headers in full by
  then (a slowloris client, an idle keep-alive) is closed.

The limits are the ``[server]`` settings of the app the worker loaded.
"""

from __future__ import annotations

import socket
from collections import Counter
from typing import TYPE_CHECKING, Any

import gevent
from gunicorn import util
from gunicorn.workers.ggevent import GeventWorker

if TYPE_CHECKING:  # imported in the worker only, after gevent's monkey-patching
    from queue_server.installation_config import ServerConfig

_BODY = b'{"error": "too many connections from this address"}\n'
TOO_MANY = (
    b"HTTP/1.1 429 Too Many Requests\r\n"
    b"Content-Type: application/json\r\n"
    b"Retry-After: 5\r\n"
    b"Connection: close\r\n"
    b"Content-Length: %d\r\n\r\n%s" % (len(_BODY), _BODY)
)


def server_config(app: Any) -> ServerConfig:
    """The ``[server]`` settings of a xephang app, else the defaults."""
    from queue_server.installation_config import ServerConfig
    from queue_server.web.state import EXTENSION

    runtime = getattr(app, "extensions", {}).get(EXTENSION)
    settings = getattr(runtime, "settings", None)
    return settings.server if settings is not None else ServerConfig()


class XephangWorker(GeventWorker):
    """:class:`GeventWorker` with the limits of the center's ``[server]`` settings."""

    limits: ServerConfig

    def run(self) -> None:
        """Read the limits from the loaded app, then serve."""
        from queue_server.web.proxies import TrustedProxies

        self.limits = server_config(self.wsgi)
        self.worker_connections = self.limits.max_connections
        self.open_per_address: Counter[str] = Counter()
        # Behind a reverse proxy every client has its address: the proxy caps per client.
        self.proxies = TrustedProxies(self.limits.trusted_proxies)
        super().run()

    # gunicorn's stubs type timeout_ctx as None; gunicorn enters what it returns ("with").
    def timeout_ctx(self) -> gevent.Timeout:  # type: ignore[override]
        """The time a client has to send a request's headers (also between requests)."""
        # exception=False: gevent's documented "end the block quietly"; its stubs omit it.
        return gevent.Timeout(self.limits.header_timeout_s, False)  # type: ignore[arg-type]

    def handle(self, listener: Any, client: socket.socket, addr: Any) -> None:
        """Serve ``client`` unless its address already holds its share of connections."""
        address = addr[0] if isinstance(addr, tuple) else ""
        cap = self.limits.max_connections_per_address
        if (
            cap
            and address
            and self.open_per_address[address] >= cap
            and address not in self.proxies
        ):
            _refuse(client)
            return
        self.open_per_address[address] += 1
        try:
            super().handle(listener, client, addr)
        finally:
            self.open_per_address[address] -= 1
            if self.open_per_address[address] <= 0:
                del self.open_per_address[address]


def _refuse(client: socket.socket) -> None:
    """Answer 429 without reading the request, and close."""
    try:
        client.settimeout(1.0)
        client.sendall(TOO_MANY)
        client.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    finally:
        util.close(client)
