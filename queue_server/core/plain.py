"""Domain values as JSON-ready data, for event payloads."""

from __future__ import annotations

import functools
from dataclasses import fields, is_dataclass
from datetime import datetime
from typing import Any

_SCALARS = frozenset({str, int, float, bool, type(None)})


@functools.cache
def field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def plain(value: Any) -> Any:
    """``value`` as JSON-ready data: dataclasses as dicts of their fields, datetimes in
    ISO form. What ``dataclasses.asdict`` gives, without its deep copies (a third of an
    operation's time once every event is written to the outbox)."""
    if type(value) in _SCALARS:
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return {name: plain(getattr(value, name)) for name in field_names(type(value))}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value
