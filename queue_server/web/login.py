"""Sign in and out with a password.

A session cookie holds the user's id and ``session_version``; signing out bumps the
version, which ends every session of that user (see :func:`queue_server.auth.users.end_sessions`).
After signing in the browser goes back to the page asked for (``next``, same-site paths
only), else to the user's home screen.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from flask import Blueprint, Response, redirect, render_template_string, request, session, url_for

from queue_server.auth.users import authenticate, end_sessions, session_version
from queue_server.i18n import _, current_language
from queue_server.web.errors import SMALL_PAGE_HEAD, ApiError
from queue_server.web.security import VERSION_KEY, csrf_matches, csrf_token, current_principal
from queue_server.web.sockets import socket_guard
from queue_server.web.start import home_url
from queue_server.web.state import xephang

pages = Blueprint("pages", __name__)

LOGIN_FORM = (
    SMALL_PAGE_HEAD
    + """<body>
<h1>{{ title }}</h1>
{% if message %}<p role="alert">{{ message }}</p>{% endif %}
{% if user %}<p>{{ signed_in }}</p>
<form method="post" action="{{ logout_url }}">
<input type="hidden" name="csrf_token" value="{{ csrf }}">
<button type="submit">{{ logout }}</button></form>
{% else %}
<form method="post" action="{{ login_url }}">
<input type="hidden" name="csrf_token" value="{{ csrf }}">
{% if next %}<input type="hidden" name="next" value="{{ next }}">{% endif %}
<p><label>{{ username_label }} <input name="username" autocomplete="username" required></label></p>
<p><label>{{ password_label }} <input name="password" type="password"
 autocomplete="current-password" required></label></p>
<p><button type="submit">{{ submit }}</button></p>
</form>{% endif %}
</body></html>
"""
)


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None.

    Browsers drop tabs and newlines from a URL and read a backslash as a slash, so
    ``/<TAB>/evil.example`` leads off-site: control characters, spaces and backslashes
    are refused, as are scheme-relative ``//host`` targets.
    """
    if not target or len(target) > 2000:
        return None
    if "\\" in target or any(c.isspace() or unicodedata.category(c)[0] == "C" for c in target):
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or parts.path in ("/login", "/logout"):
        return None
    return target


def _signed_in_name() -> str | None:
    """The signed-in user's name; a cookie whose session has ended is cleared."""
    try:
        principal = current_principal()
    except ApiError:  # a bearer token: no session to show
        return None
    if principal is not None and principal.via_session:
        return principal.name
    if "user_id" in session:
        session.clear()
    return None


def _page(message: str = "", status: int = 200) -> Response:
    user = _signed_in_name()
    html = render_template_string(
        LOGIN_FORM,
        lang=current_language(),
        title=_("Sign in"),
        message=message,
        user=user,
        signed_in=_("Signed in as {name}.").format(name=user) if user else "",
        logout=_("Sign out"),
        username_label=_("User name"),
        password_label=_("Password"),
        submit=_("Sign in"),
        csrf=csrf_token(),
        login_url=url_for("pages.login"),
        logout_url=url_for("pages.logout"),
        next=safe_next(request.values.get("next")) or "",
    )
    return Response(html, status=status, mimetype="text/html")


@pages.get("/login")
def login_form() -> Response:
    return _page()


@pages.post("/login")
def login() -> Response:
    if not csrf_matches(request.form.get("csrf_token")):
        return _page(_("The form has expired; please try again."), 400)
    principal = authenticate(
        xephang().queue.db,
        request.form.get("username", ""),
        request.form.get("password", ""),
    )
    if principal is None:
        return _page(_("Wrong user name or password."), 401)
    session.clear()  # a fresh session (and CSRF token) after signing in
    session.permanent = True
    session["user_id"] = principal.id
    session["username"] = principal.name
    session[VERSION_KEY] = session_version(xephang().queue.db, principal.id)
    csrf_token()
    target = safe_next(request.values.get("next")) or home_url(principal.role)
    return redirect(target, code=303)  # type: ignore[return-value]


@pages.post("/logout")
def logout() -> Response:
    """Sign out: ends every session of the user (other browsers and sockets too)."""
    if not csrf_matches(request.form.get("csrf_token") or request.headers.get("X-CSRF-Token")):
        return _page(_("The form has expired; please try again."), 400)
    user_id = session.get("user_id")
    session.clear()
    if isinstance(user_id, int):
        end_sessions(xephang().queue.db, user_id)
        socket_guard().sweep()
    return redirect(url_for("pages.login_form"), code=303)  # type: ignore[return-value]
