"""Every API error is JSON ``{"error": "…"}`` with a translated message; never a 500 page."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from queue_server.core.errors import InvalidState, NotFound, QueueError, Rejected
from queue_server.i18n import _

log = logging.getLogger(__name__)

API_PREFIX = "/api/"


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


STATUS_BY_ERROR: dict[type[QueueError], int] = {NotFound: 404, InvalidState: 409, Rejected: 422}


def register_error_handlers(app: Flask) -> None:
    """JSON errors for the API; HTML pages keep Flask's defaults except for 500."""

    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError) -> Response:
        return error_response(exc.status, exc.message, field=exc.field, headers=exc.headers)

    @app.errorhandler(QueueError)
    def _queue_error(exc: QueueError) -> Response:
        return error_response(STATUS_BY_ERROR.get(type(exc), 409), exc.message)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response | HTTPException:
        if not request.path.startswith(API_PREFIX):
            return exc
        headers = {}
        if exc.code == 405 and exc.valid_methods:  # type: ignore[attr-defined]
            headers["Allow"] = ", ".join(exc.valid_methods)  # type: ignore[attr-defined]
        return error_response(exc.code or 500, _http_message(exc), headers=headers)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.path)
        return error_response(500, _("Internal error; the problem was logged."))
