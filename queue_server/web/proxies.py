"""The client's address behind a reverse proxy, believed only from trusted proxies.

Behind nginx every connection comes from the proxy's address. The proxy names the
client in ``X-Forwarded-For`` (and the scheme it was reached with in
``X-Forwarded-Proto``), but any client can send those headers too. So they are used
only when the connection comes from one of the ``[server] trusted_proxies``: the
request's address (rate limits, logs) is then the client's, and its scheme the one the
client used (QR codes of tickets). From any other address the headers are removed and
the connection's own address stands. The production worker also leaves the trusted
proxies out of its per-address connection cap (``web/server/worker.py``); the proxy caps
per client instead (``limit_conn`` in ``nginx/xephang.conf``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network
from typing import TYPE_CHECKING, Any

from werkzeug.middleware.proxy_fix import ProxyFix

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_PREFIX",
)


class TrustedProxies:
    """The addresses and networks of ``[server] trusted_proxies``."""

    def __init__(self, entries: Iterable[str] = ()) -> None:
        self.networks: tuple[IPv4Network | IPv6Network, ...] = tuple(
            ip_network(entry) for entry in entries
        )

    def __bool__(self) -> bool:
        return bool(self.networks)

    def __contains__(self, address: object) -> bool:
        """Whether ``address`` (a connection's peer, as text) is a trusted proxy."""
        if not self.networks or not isinstance(address, str):
            return False
        return _within(self.networks, address)


@functools.lru_cache(maxsize=4096)  # asked on every request, mostly of a few addresses
def _within(networks: tuple[IPv4Network | IPv6Network, ...], address: str) -> bool:
    try:
        ip = ip_address(address.split("%", 1)[0])  # an IPv6 zone is not part of it
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped is not None:  # ::ffff:10.0.0.1
        ip = ip.ipv4_mapped
    return any(ip in network for network in networks)


class ForwardedFrom:
    """WSGI middleware: ``X-Forwarded-For`` and ``-Proto`` of the last proxy (the one
    that connected) when it is trusted; the headers removed otherwise."""

    def __init__(self, app: WSGIApplication, proxies: TrustedProxies) -> None:
        self.app = app
        self.proxies = proxies
        self.through_proxy = ProxyFix(app, x_for=1, x_proto=1, x_host=0, x_port=0, x_prefix=0)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Any:
        if environ.get("REMOTE_ADDR") in self.proxies:
            return self.through_proxy(environ, start_response)
        for header in FORWARDED_HEADERS:
            environ.pop(header, None)
        return self.app(environ, start_response)
