"""Local days in requests: ``YYYY-MM-DD`` only, else a 400 that names the field."""

from __future__ import annotations

import re
from datetime import date

from flask import request

from queue_server.i18n import _
from queue_server.web.errors import ApiError

ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_day(raw: str, name: str) -> date:
    """``raw`` as a day; a 400 naming ``name`` when it is not ``YYYY-MM-DD``."""
    try:
        if not ISO_DAY.fullmatch(raw):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise ApiError(
            400, _("{name} must be a date such as 2026-11-23.").format(name=name), field=name
        ) from None


def day_arg(name: str) -> date | None:
    """The query argument ``name`` as a day (None when absent)."""
    raw = request.args.get(name)
    return None if raw is None else parse_day(raw, name)
