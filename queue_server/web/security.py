"""Who is asking (bearer token or session cookie) and whether they may."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Response, abort, g, redirect, request, session, url_for

from queue_server.auth.roles import Principal, Role
from queue_server.auth.tokens import principal_for_token
from queue_server.auth.users import active_user
from queue_server.i18n import _
from queue_server.web.errors import ApiError
from queue_server.web.state import xephang

F = TypeVar("F", bound=Callable[..., Any])

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "X-CSRF-Token"
VERSION_KEY = "session_version"  # the user's session_version when the session began


def csrf_token() -> str:
    """The session's CSRF token (made on first use)."""
    token = session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return str(token)


def csrf_matches(sent: str | None) -> bool:
    expected = session.get("csrf")
    return bool(sent and expected) and hmac.compare_digest(str(sent), str(expected))


def current_principal() -> Principal | None:
    """The token holder or signed-in user of this request (cached on ``g``)."""
    if "principal" in g:
        return g.principal
    state = xephang()
    principal: Principal | None = None
    header = request.headers.get("Authorization")
    if header is not None:
        scheme, _sep, secret = header.strip().partition(" ")
        if scheme.lower() == "bearer":
            principal = principal_for_token(
                state.queue.db,
                secret.strip(),
                state.queue.clock.now(),
                max_age=state.settings.api.token_cache_s,
            )
        if principal is None:
            raise ApiError(
                401,
                _("The API token is not valid, has expired or was revoked."),
                headers={"WWW-Authenticate": 'Bearer realm="xephang"'},
            )
    elif isinstance(session.get("user_id"), int) and isinstance(session.get(VERSION_KEY), int):
        user = active_user(state.queue.db, session["user_id"], session[VERSION_KEY])
        if user is not None:
            counter = session.get("counter")
            if isinstance(counter, int):
                user = Principal(user.kind, user.id, user.name, user.role, counter, True)
            principal = user
    g.principal = principal
    return principal


def authenticate() -> Principal:
    """The principal, or 401; cookie-authenticated writes also need the CSRF header."""
    principal = current_principal()
    if principal is None:
        raise ApiError(
            401,
            _("Sign in or send an API token."),
            headers={"WWW-Authenticate": 'Bearer realm="xephang"'},
        )
    if (
        principal.via_session
        and request.method not in SAFE_METHODS
        and not csrf_matches(request.headers.get(CSRF_HEADER))
    ):
        raise ApiError(403, _("The CSRF token is missing or wrong."))
    return principal


def require(*roles: Role) -> Callable[[F], F]:
    """Allow the view only to ``roles`` (admin is always allowed)."""
    allowed = {*roles, Role.ADMIN}

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            principal = authenticate()
            if principal.role not in allowed:
                raise ApiError(403, _("Your role may not do this."))
            g.principal = principal
            return view(*args, **kwargs)

        wrapper.allowed_roles = frozenset(allowed)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def check_counter(principal: Principal, number: int) -> None:
    """Officers operate only their own counter."""
    if principal.role != Role.OFFICER:
        return
    if principal.counter is None:
        raise ApiError(403, _("Choose your counter first."))
    if principal.counter != number:
        raise ApiError(403, _("You work at counter {number}.").format(number=principal.counter))


def asked_for() -> str:
    """This request's path with its query string (where to return after signing in)."""
    query = request.query_string.decode("latin-1")
    return f"{request.path}?{query}" if query else request.path


def signed_in(*roles: Role) -> Principal | Response:
    """The signed-in user if their role fits (admin always does), else a redirect or 403."""
    try:
        principal = current_principal()
    except ApiError:
        principal = None
    if principal is None or not principal.via_session:
        response = redirect(url_for("pages.login_form", next=asked_for()), code=303)
        assert isinstance(response, Response)  # Flask's app.response_class: callers test it
        return response
    if principal.role not in {*roles, Role.ADMIN}:
        abort(403)
    return principal
