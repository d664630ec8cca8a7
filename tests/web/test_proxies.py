"""Behind a reverse proxy: X-Forwarded-For and -Proto believed from trusted proxies only.

The app on a real SQLite file; the connection's address is set as the WSGI server sets
it (``REMOTE_ADDR``). The same through real nginx and gunicorn:
tests/cluster/test_behind_nginx.py.
"""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from queue_server.auth.tokens import create_token
from queue_server.core.envelope import Envelope
from queue_server.core.events import TicketIssued
from queue_server.core.operations import Queue
from queue_server.relay import Relay
from queue_server.runtime import start_app
from queue_server.settings import ConfigError, Settings, parse_settings
from queue_server.web.proxies import TrustedProxies

PROXY = "10.0.0.1"
RATE = "/api/v1/track/no-such-code/rating"  # public, limited per client address


def behind_proxy(settings: Settings, queue: Queue, relay: Relay | None = None) -> FlaskClient:
    """The app trusting ``PROXY``, two public ratings a minute per client address."""
    changed = settings.model_copy(
        update={
            "server": settings.server.model_copy(update={"trusted_proxies": (PROXY, "fd00::/64")}),
            "ratings": settings.ratings.model_copy(update={"track_rate_per_minute": 2}),
        }
    )
    return start_app(changed, queue=queue, relay=relay or Relay(), testing=True).test_client()


def rate(client: FlaskClient, peer: str, forwarded_for: str | None = None) -> int:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    answer = client.post(
        RATE, json={"score": 3}, headers=headers, environ_base={"REMOTE_ADDR": peer}
    )
    return answer.status_code


def test_forwarded_for_from_an_untrusted_address_is_ignored(
    settings: Settings, sqlite_queue: Queue
) -> None:
    client = behind_proxy(settings, sqlite_queue)
    # Each post names another client; the server counts them all as 10.0.0.9's.
    answers = [rate(client, "10.0.0.9", f"192.168.1.{n}") for n in range(3)]
    assert answers == [404, 404, 429]
    assert rate(client, "10.0.0.8", "192.168.1.50") == 404  # another peer, its own budget


def test_a_trusted_proxy_names_the_client(settings: Settings, sqlite_queue: Queue) -> None:
    client = behind_proxy(settings, sqlite_queue)
    assert [rate(client, PROXY, "192.168.1.20") for _ in range(2)] == [404, 404]
    assert rate(client, PROXY, "192.168.1.21") == 404  # another client behind the proxy
    assert rate(client, PROXY, "192.168.1.20") == 429
    # A proxy that appends: the last address is the one it saw; the rest the client wrote.
    assert rate(client, PROXY, "203.0.113.7, 192.168.1.20") == 429
    assert rate(client, "fd00::5", "192.168.1.20") == 429  # a trusted network
    assert rate(client, PROXY) == 404  # no header: the proxy's own request


def test_the_scheme_comes_from_a_trusted_proxy_only(
    settings: Settings, sqlite_queue: Queue
) -> None:
    relay = Relay()
    issued: list[Envelope] = []
    relay.subscribe(issued.append)
    client = behind_proxy(settings, sqlite_queue, relay)
    kiosk, _info = create_token(sqlite_queue.db, "kiosk", clock=sqlite_queue.clock)
    headers = {"Authorization": f"Bearer {kiosk}", "X-Forwarded-Proto": "https"}
    headers["Host"] = "xephang.lan"
    for peer in (PROXY, "10.0.0.9"):
        answer = client.post(
            "/api/v1/tickets",
            json={"service": "HT"},
            headers=headers,
            environ_base={"REMOTE_ADDR": peer},
        )
        assert answer.status_code == 201, answer.get_json()
    # Tickets' QR codes point where the kiosk reached the server: https through the proxy.
    urls = [e.event.public_url for e in issued if isinstance(e.event, TicketIssued)]
    assert urls == ["https://xephang.lan", "http://xephang.lan"]


def test_trusted_proxies_match_addresses_and_networks() -> None:
    proxies = TrustedProxies(["10.0.0.1", "192.168.5.0/24", "fd00::/64"])
    assert "10.0.0.1" in proxies and "192.168.5.77" in proxies and "fd00::9" in proxies
    assert "::ffff:10.0.0.1" in proxies  # an IPv4 client of an IPv6 socket
    assert "fe80::1%eth0" not in proxies
    for outside in ("10.0.0.2", "192.168.6.1", "fd01::1", "", "not an address", None):
        assert outside not in proxies
    assert not TrustedProxies() and "10.0.0.1" not in TrustedProxies()


def test_a_wrong_trusted_proxy_is_refused_with_its_place(settings: Settings) -> None:
    data = settings.model_dump(mode="json")
    data["server"]["trusted_proxies"] = ["10.0.0.1", "10.0.0.5/24"]
    with pytest.raises(ConfigError) as refused:
        parse_settings(data, "center.toml")
    assert str(refused.value).startswith("center.toml: server.trusted_proxies: '10.0.0.5/24'")
    data["server"]["trusted_proxies"] = ["proxy.lan"]
    with pytest.raises(ConfigError, match=r"'proxy\.lan' is not an IP address"):
        parse_settings(data, "center.toml")


def test_a_page_reached_over_https_through_the_proxy_may_open_its_socket(
    settings: Settings, sqlite_queue: Queue
) -> None:
    """Socket.IO accepts a page's socket only from the page's own origin: behind a TLS
    proxy that is https, which the server learns from a trusted proxy only."""
    client = behind_proxy(settings, sqlite_queue)
    headers = {"Origin": "https://xephang.lan", "Host": "xephang.lan"}
    headers["X-Forwarded-Proto"] = "https"
    handshakes = [
        client.get(
            "/socket.io/?EIO=4&transport=polling",
            headers=headers,
            environ_base={"REMOTE_ADDR": peer},
        )
        for peer in (PROXY, "10.0.0.9")
    ]
    assert [h.status_code for h in handshakes] == [200, 400]
