"""Every API error is JSON ``{"error": "…"}`` with a translated message; never a 500 page.

Pages (outside ``/api/``) get a short page in the reader's language instead of
Werkzeug's English one.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template_string, request, url_for
from werkzeug.exceptions import HTTPException

from queue_server.core.db import unavailable, write_problem
from queue_server.core.errors import (
    InvalidState,
    NotAllowed,
    NotFound,
    QueueError,
    Rejected,
    Unavailable,
)
from queue_server.i18n import _, current_language
from queue_server.web.state import xephang

log = logging.getLogger(__name__)

API_PREFIX = "/api/"

# The head of the small pages (this one, the sign-in form, the start page): ``lang``,
# ``title`` and an optional ``style`` (a constant of the page's own).
SMALL_PAGE_HEAD = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>{{ title }}</title>{% if style %}<style>{{ style|safe }}</style>{% endif %}</head>
"""
ERROR_PAGE = (
    SMALL_PAGE_HEAD
    + """<body>
<h1>{{ title }}</h1>
{% if forbidden %}<p>{{ hint }}</p>{% endif %}
<p><a href="{{ login_url }}">{{ sign_in }}</a></p>
</body></html>
"""
)


class ApiError(Exception):
    """An error response: status, translated message, optional field and headers."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        field: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field
        self.headers = headers or {}


def error_response(
    status: int, message: str, *, field: str | None = None, headers: dict[str, str] | None = None
) -> Response:
    """``{"error": message}`` with ``status``."""
    body: dict[str, str] = {"error": message}
    if field:
        body["field"] = field
    response = jsonify(body)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _http_message(exc: HTTPException) -> str:
    code = exc.code or 500
    messages = {
        400: _("The request is not valid."),
        401: _("Sign in or send an API token."),
        403: _("You are not allowed to do this."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        413: _("The request body is too large."),
        415: _("Send the body as JSON."),
        429: _("Too many requests; try again shortly."),
    }
    return messages.get(code, _("The request failed."))


def error_page(exc: HTTPException) -> Response:
    """The error as a short page in the reader's language (sign in as someone else)."""
    html = render_template_string(
        ERROR_PAGE,
        lang=current_language(),
        title=_http_message(exc),
        forbidden=exc.code == 403,
        hint=_("This page is not for your role: sign in with another account."),
        sign_in=_("Sign in"),
        login_url=url_for("pages.login_form"),
    )
    return Response(html, status=exc.code or 500, mimetype="text/html")


STATUS_BY_ERROR: dict[type[QueueError], int] = {
    NotFound: 404,
    InvalidState: 409,
    Rejected: 422,
    NotAllowed: 403,
    Unavailable: 503,
}


def register_error_handlers(app: Flask) -> None:
    """JSON errors for the API; short translated pages elsewhere."""

    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError) -> Response:
        return error_response(exc.status, exc.message, field=exc.field, headers=exc.headers)

    @app.errorhandler(QueueError)
    def _queue_error(exc: QueueError) -> Response:
        # The most specific class wins (NotAllowed is a Rejected: 403, not 422).
        status = next((STATUS_BY_ERROR[k] for k in type(exc).__mro__ if k in STATUS_BY_ERROR), 409)
        return error_response(status, exc.message)

    @app.errorhandler(Unavailable)
    def _unavailable(exc: Unavailable) -> Response:
        """Locked or full database: nothing changed, the client may retry."""
        log.warning("write refused on %s %s: %s", request.method, request.path, exc.reason)
        return error_response(503, exc.message, headers={"Retry-After": str(exc.retry_after_s)})

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response | HTTPException:
        if not request.path.startswith(API_PREFIX):
            return error_page(exc) if exc.code and exc.code >= 400 else exc
        headers = {}
        if exc.code == 405 and exc.valid_methods:  # type: ignore[attr-defined]
            headers["Allow"] = ", ".join(exc.valid_methods)  # type: ignore[attr-defined]
        return error_response(exc.code or 500, _http_message(exc), headers=headers)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        problem = write_problem(exc)  # e.g. a file written on a full disk
        if problem is not None:
            if problem == "storage":
                xephang().queue.db.storage_problem = problem
            return _unavailable(unavailable(problem))
        log.exception("unexpected error on %s %s", request.method, request.path)
        return error_response(500, _("Internal error; the problem was logged."))
