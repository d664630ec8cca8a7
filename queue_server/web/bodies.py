"""Request bodies: strict pydantic models, and 400 errors that name the field."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal, TypeVar

from flask import request
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

from queue_server.core.text import ERROR_TYPE, Line
from queue_server.i18n import _
from queue_server.web.errors import ApiError

MAX_ID = 2**31 - 1  # ids are 32-bit integers in PostgreSQL

M = TypeVar("M", bound=BaseModel)

Code = Annotated[Line, Field(min_length=1, max_length=30)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class ContactBody(Body):
    """A phone number for a callback (help desk only), kept only with consent."""

    phone: Annotated[Line, Field(min_length=1, max_length=40)]
    consent: bool = False
    purpose: Literal["callback", "home_visit"] = "callback"


class IssueBody(Body):
    """Take a ticket."""

    service: Code
    priority: Code | None = None
    channel: Annotated[str, Field(pattern=r"^[a-z_]{1,20}$")] | None = None
    contact: ContactBody | None = None


class CallBody(Body):
    """Call a specific ticket."""

    ticket_id: Annotated[int, Field(ge=1, le=MAX_ID)]


class TransferBody(Body):
    """Send the current ticket to another service (and optionally one counter)."""

    service: Code
    counter: Annotated[int, Field(ge=1, le=999)] | None = None


class ReprintBody(Body):
    """Print a ticket again, on a named kiosk's printer (default: the help desk's)."""

    kiosk: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,40}$")] | None = None


class CounterChoiceBody(Body):
    """The counter a signed-in officer works at."""

    counter: Annotated[int, Field(ge=1, le=999)]
    take_over: bool = False  # yes, even if another officer has it open


class EmptyBody(Body):
    """No fields."""


def _problem(error: ErrorDetails) -> str:
    kind = error["type"]
    if kind == "missing":
        return _("this field is required")
    if kind == ERROR_TYPE:
        return _("contains characters that are not allowed")
    if kind == "extra_forbidden":
        return _("unknown field")
    if kind.startswith("string") and kind != "string_type":
        return _("wrong length or format")
    if kind == "string_type":
        return _("must be text")
    if kind.startswith("int") or kind in ("less_than_equal", "greater_than_equal"):
        return _("must be a whole number in range")
    if kind == "model_type" or kind == "dict_type":
        return _("must be a JSON object")
    return _("has a wrong value")


def parse_body(model: type[M]) -> M:
    """The JSON body validated against ``model`` (an empty body counts as ``{}``)."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        data: Any = {}
    else:
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):  # not JSON, not UTF-8, a 5,000-digit number
            raise ApiError(400, _("The body is not valid JSON.")) from None
    if not isinstance(data, dict):
        raise ApiError(400, _("The body must be a JSON object."))
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"]) or "(body)"
        message = _("Field '{field}': {problem}.").format(field=field, problem=_problem(error))
        raise ApiError(400, message, field=field) from None
