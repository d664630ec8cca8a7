"""Who is asking (a token or a signed-in user, with the CSRF token of a session), and a
signed-in officer choosing their counter (another officer's console may hold it)."""

from __future__ import annotations

from typing import Any

from flask import Response, g, jsonify, session

from queue_server.auth.roles import Role
from queue_server.core.errors import NotFound
from queue_server.i18n import _
from queue_server.web.api import api
from queue_server.web.bodies import CounterChoiceBody, parse_body
from queue_server.web.counter_holders import counter_holders
from queue_server.web.errors import ApiError
from queue_server.web.security import authenticate, csrf_token
from queue_server.web.state import xephang


@api.get("/session")
def whoami() -> Response:
    principal = authenticate()
    data: dict[str, Any] = {
        "kind": principal.kind,
        "name": principal.name,
        "role": principal.role.value,
        "counter": principal.counter,
    }
    if principal.via_session:
        data["csrf_token"] = csrf_token()
    return jsonify(data)


@api.post("/session/counter")
def choose_counter() -> Response:
    principal = authenticate()
    if not principal.via_session or principal.role not in (Role.OFFICER, Role.ADMIN):
        raise ApiError(403, _("Only a signed-in officer chooses a counter."))
    body = parse_body(CounterChoiceBody)
    if body.counter not in xephang().queue.catalogue.counters:
        raise NotFound(_("Unknown counter: {number}").format(number=body.counter))
    others = counter_holders().others(body.counter, principal.name)
    if others and not body.take_over:
        raise ApiError(
            409,
            _("Counter {number} is open on {names}'s console. Take it over?").format(
                number=body.counter, names=", ".join(others)
            ),
        )
    session["counter"] = body.counter
    g.pop("principal", None)
    return jsonify(
        {
            "kind": principal.kind,
            "name": principal.name,
            "role": principal.role.value,
            "counter": body.counter,
            "csrf_token": csrf_token(),
        }
    )
