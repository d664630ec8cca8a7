"""The language a request is answered in: the center's, unless someone chose another.

Pages (admin, reports, login, error pages) speak the center's language
(``center.language``), like the screens in the hall, whatever the browser prefers.
``?lang=en`` on any page switches to another supported language and remembers it in a
cookie (the link in the admin header); ``?lang=vi`` switches back. Programs calling
``/api/`` may still ask with ``Accept-Language`` (see docs/api.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from flask import Response, request

LANGUAGES = ("vi", "en")  # the languages pages and API errors can be read in
COOKIE = "xephang_lang"
ONE_YEAR_S = 365 * 24 * 3600
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}  # each in its own language


def _chosen(supported: Sequence[str]) -> str | None:
    # The query and the cookies are parsed only when sent (most API calls send neither).
    environ = request.environ
    asked = request.args.get("lang") if environ.get("QUERY_STRING") else None
    if asked in supported:
        return asked
    kept = request.cookies.get(COOKIE) if environ.get("HTTP_COOKIE") else None
    return kept if kept in supported else None


def request_language(center_language: str, supported: Sequence[str]) -> str:
    """The choice (query or cookie), else for the API the Accept-Language header, else
    the center's language."""
    chosen = _chosen(supported)
    if chosen:
        return chosen
    if request.environ.get("HTTP_ACCEPT_LANGUAGE") and request.path.startswith("/api/"):
        best = request.accept_languages.best_match(supported)
        if best:
            return best
    return center_language


def remember_choice(response: Response, supported: Sequence[str]) -> Response:
    """Keep a ``?lang=`` choice in a cookie for the next pages."""
    if not request.environ.get("QUERY_STRING"):
        return response
    asked = request.args.get("lang")
    if asked is not None and asked in supported and request.cookies.get(COOKIE) != asked:
        response.set_cookie(COOKIE, asked, max_age=ONE_YEAR_S, samesite="Lax", httponly=True)
    return response


def language_switch(current: str, supported: Sequence[str]) -> list[tuple[str, str, str]]:
    """``(code, name, url)`` of the other languages, for links on the current page."""
    args = request.args.to_dict()
    links = []
    for code in supported:
        if code != current:
            query = urlencode({**args, "lang": code})
            links.append((code, LANGUAGE_NAMES.get(code, code), f"{request.path}?{query}"))
    return links
