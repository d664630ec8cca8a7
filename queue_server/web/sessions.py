"""Flask's signed-cookie sessions, without the signing work for requests that bring none.

Flask builds an ``itsdangerous`` serializer for every request, to read a session cookie
that most requests (API calls with a bearer token, screens) do not send. Here a request
without the cookie gets a new empty session at once; one with it is read as by Flask.
"""

from __future__ import annotations

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface


class CookieSessions(SecureCookieSessionInterface):
    """:class:`SecureCookieSessionInterface` that skips the serializer when no cookie came."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        sent = request.environ.get("HTTP_COOKIE") and request.cookies.get(self.get_cookie_name(app))
        if app.secret_key and not sent:
            return self.session_class()
        return super().open_session(app, request)
