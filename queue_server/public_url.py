"""Is ``center.public_url`` an address citizens' phones can follow to this server?

``xephang init`` runs before the server does: it checks that the address names this
machine. The admin's kiosks page asks the running server's health check through it.
"""

from __future__ import annotations

import socket
import threading
import time
from urllib.parse import urlsplit

import requests

from queue_server.i18n import _

CACHE_S = 60.0
_answers: dict[str, tuple[float, str | None]] = {}
_lock = threading.Lock()


def not_this_machine(url: str) -> str | None:
    """Why this machine cannot serve at ``url`` (None: one of its addresses)."""
    parts = urlsplit(url)
    host = parts.hostname
    if parts.scheme not in ("http", "https") or not host:
        return _("{url} is not an http:// or https:// address.").format(url=url)
    try:
        addresses = {  # IP socket addresses: (host, port, ...), host a str
            str(info[4][0]) for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        }
    except (socket.gaierror, UnicodeError):
        return _("{host} is not a known name on this network.").format(host=host)
    for address in addresses:
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((address, 0))  # only an address of this machine can be bound
            except OSError:
                continue
            return None
    return _("{host} is not an address of this machine.").format(host=host)


def does_not_answer(url: str, timeout: float = 2.0) -> str | None:
    """Why this server is not reached at ``url`` (None: its health check answers).
    Answers are kept for a minute, so a page that asks stays quick."""
    now = time.monotonic()
    with _lock:
        cached = _answers.get(url)
    if cached is not None and now - cached[0] < CACHE_S:
        return cached[1]
    try:
        answer = requests.get(url.rstrip("/") + "/api/v1/healthz", timeout=timeout)
        problem = (
            None
            if answer.ok
            else _("it answers with status {status}.").format(status=answer.status_code)
        )
    except requests.RequestException:
        problem = _("nothing answers there.")
    with _lock:
        _answers[url] = (now, problem)
    return problem
