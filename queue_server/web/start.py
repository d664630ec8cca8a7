"""The start page ``/`` and where a user lands after signing in.

A signed-in user sees the screens of their role; anyone else a short list of the
center's screens and a sign-in link.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, render_template_string, url_for

from queue_server.auth.roles import Principal, Role
from queue_server.i18n import N_, _, current_language
from queue_server.web.errors import SMALL_PAGE_HEAD, ApiError
from queue_server.web.security import csrf_token, current_principal
from queue_server.web.state import xephang

start = Blueprint("start", __name__)


@dataclass(frozen=True, slots=True)
class Screen:
    endpoint: str
    label: str  # gettext message ids, translated when the page is drawn
    hint: str
    roles: frozenset[Role]  # who may open it signed in (admin always may)


SCREENS = (
    Screen(
        "screens.officer_page",
        N_("Officer console"),
        N_("Call the next citizen at your counter."),
        frozenset({Role.OFFICER}),
    ),
    Screen(
        "screens.helpdesk_page",
        N_("Help desk"),
        N_("Issue tickets with a priority, reprint and cancel."),
        frozenset({Role.HELPDESK}),
    ),
    Screen(
        "screens.assist_page",
        N_("Help records"),
        N_("Record the help given to a citizen, in one tap."),
        frozenset({Role.VOLUNTEER, Role.HELPDESK, Role.OFFICER, Role.MANAGER}),
    ),
    Screen(
        "feedback_pages.feedback_page",
        N_("Citizens' feedback"),
        N_("Feedback and complaints: forward them and record the answers."),
        frozenset({Role.MANAGER, Role.HELPDESK}),
    ),
    Screen(
        "admin.reports",
        N_("Reports"),
        N_("Tickets, waiting times and ratings by day."),
        frozenset({Role.MANAGER}),
    ),
    Screen(
        "admin.index",
        N_("Administration"),
        N_("Services, counters, users and tokens."),
        frozenset(),
    ),
    Screen(
        "screens.display_page",
        N_("Hall display"),
        N_("The numbers being called, for the screen in the hall."),
        frozenset(),
    ),
    Screen(
        "screens.kiosk_page",
        N_("Ticket kiosk"),
        N_("Citizens take a number here."),
        frozenset(),
    ),
)
# Where each role lands after signing in without a page asked for.
HOMES = {
    Role.OFFICER: "screens.officer_page",
    Role.HELPDESK: "screens.helpdesk_page",
    Role.MANAGER: "admin.reports",
    Role.VOLUNTEER: "screens.assist_page",
    Role.ADMIN: "admin.index",
}
# Shown to visitors who are not signed in (the administration is reached by signing in).
PUBLIC_SCREENS = tuple(s for s in SCREENS if s.endpoint != "admin.index")

STYLE = """
body { font-family: system-ui, sans-serif; font-size: 1.25rem; line-height: 1.5;
       max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }
nav ul { list-style: none; padding: 0; }
nav li { margin: 0 0 1.25rem; }
nav li a { font-size: 1.6rem; font-weight: 600; }
nav li span { display: block; }
.sign-in a { font-size: 1.4rem; font-weight: 600; }
button { font-size: 1.1rem; padding: 0.4rem 1rem; }
"""
START_PAGE = (
    SMALL_PAGE_HEAD
    + """<body>
<h1>{{ title }}</h1>
{% if user %}<p>{{ signed_in }}</p>{% endif %}
<nav aria-label="{{ nav_label }}"><ul>
{% for screen in screens %}<li><a href="{{ screen.url }}">{{ screen.label }}</a>
<span>{{ screen.hint }}</span></li>
{% endfor %}</ul></nav>
{% if user %}<form method="post" action="{{ logout_url }}">
<input type="hidden" name="csrf_token" value="{{ csrf }}">
<button type="submit">{{ logout }}</button></form>
{% else %}<p class="sign-in"><a href="{{ login_url }}">{{ sign_in }}</a></p>{% endif %}
</body></html>
"""
)


def home_url(role: Role) -> str:
    """The screen a user of ``role`` starts on."""
    return url_for(HOMES.get(role, "start.index"))


def screens_for(principal: Principal | None) -> list[Screen]:
    """The screens listed for a signed-in ``principal`` (all public ones if None)."""
    if principal is None:
        return list(PUBLIC_SCREENS)
    if principal.role == Role.ADMIN:
        return list(SCREENS)
    return [s for s in SCREENS if principal.role in s.roles]


@start.get("/")
def index() -> Response:
    try:
        principal = current_principal()
    except ApiError:  # a wrong bearer token: show the page as to anyone
        principal = None
    user = principal if principal is not None and principal.via_session else None
    screens = [
        {"url": url_for(s.endpoint), "label": _(s.label), "hint": _(s.hint)}
        for s in screens_for(user)
    ]
    html = render_template_string(
        START_PAGE,
        lang=current_language(),
        title=xephang().settings.center.name,
        style=STYLE,
        user=user,
        signed_in=_("Signed in as {name}.").format(name=user.name) if user else "",
        nav_label=_("Screens"),
        screens=screens,
        csrf=csrf_token() if user else "",
        logout=_("Sign out"),
        logout_url=url_for("pages.logout"),
        sign_in=_("Sign in"),
        login_url=url_for("pages.login_form"),
    )
    return Response(html, mimetype="text/html")
