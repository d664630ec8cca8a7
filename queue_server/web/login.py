"""Sign in and out with a password (a small form; the screens issue builds real pages)."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template_string, request, session, url_for

from queue_server.auth.users import authenticate
from queue_server.i18n import _, current_language
from queue_server.web.errors import SMALL_PAGE_HEAD
from queue_server.web.security import csrf_matches, csrf_token
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
<p><label>{{ username_label }} <input name="username" autocomplete="username" required></label></p>
<p><label>{{ password_label }} <input name="password" type="password"
 autocomplete="current-password" required></label></p>
<p><button type="submit">{{ submit }}</button></p>
</form>{% endif %}
</body></html>
"""
)


def _page(message: str = "", status: int = 200) -> Response:
    user = session.get("username")
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
    csrf_token()
    target = request.args.get("next", "")
    if not (target.startswith("/") and not target.startswith("//")):
        target = url_for("pages.login_form")
    return redirect(target, code=303)  # type: ignore[return-value]


@pages.post("/logout")
def logout() -> Response:
    if not csrf_matches(request.form.get("csrf_token") or request.headers.get("X-CSRF-Token")):
        return _page(_("The form has expired; please try again."), 400)
    session.clear()
    return redirect(url_for("pages.login_form"), code=303)  # type: ignore[return-value]
