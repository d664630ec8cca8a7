"""Form fields of the admin pages: draw an item of a settings section, read it back.

A page lists the items of one section (services, counters …) as forms. A field knows
how to read its value from an item (plain JSON data, as in the file) and how to put
the submitted text back; validation is left to the settings models, whose messages
are then placed next to the field they name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from queue_server.i18n import _
from queue_server.web.admin.messages import in_words

Item = dict[str, Any]
Options = Callable[[], list[tuple[str, str]]]


class FormError(ValueError):
    """A submitted value that cannot even be read (e.g. letters in a number field)."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field_name = field_name
        self.message = message


@dataclass(frozen=True)
class Field:
    """One input. ``kind``: text, textarea, int, float, bool, select or list (comma-separated)."""

    name: str
    label: str  # gettext message id
    kind: str = "text"
    options: Options | None = None
    hint: str = ""  # gettext message id
    identity: bool = False  # set when adding, shown read-only afterwards
    read: Callable[[Item], Any] | None = None
    write: Callable[[Item, Any], None] | None = None

    def value(self, item: Item) -> Any:
        return self.read(item) if self.read else item.get(self.name)

    def parse(self, form: Mapping[str, str]) -> Any:
        """The submitted value in the item's type (``None`` for an empty optional)."""
        key = f"f_{self.name}"
        if self.kind == "bool":
            return key in form
        text = (form.get(key) or "").strip()
        if self.kind == "list":
            return [part.strip() for part in re.split(r"[,\s]+", text) if part.strip()]
        if text == "":
            return None
        if self.kind == "int":
            try:
                return int(text)
            except ValueError:
                raise FormError(self.name, _("Enter a whole number.")) from None
        if self.kind == "float":
            try:
                return float(text.replace(",", "."))
            except ValueError:
                raise FormError(self.name, _("Enter a number.")) from None
        return text

    def store(self, item: Item, value: Any) -> None:
        if self.write:
            self.write(item, value)
        elif value is None:
            item.pop(self.name, None)
        else:
            item[self.name] = value


@dataclass
class FormView:
    """What the template draws for one form."""

    key: str  # the item's identity, "" for the "add" form
    title: str
    fields: list[dict[str, Any]]
    errors: list[str] = field(default_factory=list)
    open: bool = False
    inactive: bool = False


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def form_view(
    fields: list[Field],
    item: Item | None,
    *,
    key: str,
    title: str,
    submitted: Mapping[str, str] | None = None,
    problems: Mapping[str, str] | None = None,
    errors: list[str] | None = None,
) -> FormView:
    """A form for ``item`` (None: the empty "add" form), refilled with ``submitted``."""
    drawn = []
    for spec in fields:
        name = f"f_{spec.name}"
        if submitted is not None and not (spec.identity and item is not None):
            value: Any = (name in submitted) if spec.kind == "bool" else submitted.get(name, "")
        else:
            raw = spec.value(item) if item is not None else None
            value = bool(raw) if spec.kind == "bool" else text_of(raw)
            if item is None and spec.kind == "bool":
                value = spec.name in ("active", "kiosk")  # the usual choice for a new one
        drawn.append(
            {
                "name": name,
                "id": f"{key or 'new'}-{spec.name}".replace(" ", "_"),
                "label": _(spec.label),
                "kind": spec.kind,
                "value": value,
                "options": spec.options() if spec.options else [],
                "hint": _(spec.hint) if spec.hint else "",
                "readonly": spec.identity and item is not None,
                "error": (problems or {}).get(spec.name, ""),
            }
        )
    inactive = item is not None and item.get("active") is False
    return FormView(key, title, drawn, errors or [], open=submitted is not None, inactive=inactive)


def apply_form(fields: list[Field], item: Item, form: Mapping[str, str], *, adding: bool) -> Item:
    """A copy of ``item`` with the submitted fields put in (identity only when adding)."""
    updated = {k: (dict(v) if isinstance(v, dict) else v) for k, v in item.items()}
    for spec in fields:
        if spec.identity and not adding:
            continue
        spec.store(updated, spec.parse(form))
    return updated


def place_problems(
    problems: list[tuple[str, str]], prefix: str, names: set[str]
) -> tuple[dict[str, str], list[str]]:
    """Problems about item ``prefix`` (e.g. ``services[3]``) go next to their field.

    Returns the per-field messages and every message in words for the form's summary.
    """
    by_field: dict[str, str] = {}
    lines = []
    for where, english in problems:
        message = in_words(english)
        lines.append(f"{where}: {message}")
        if where.startswith(prefix + "."):
            name = re.split(r"[.\[]", where.removeprefix(prefix + "."), maxsplit=1)[0]
            if name in names:
                by_field.setdefault(name, message)
    return by_field, lines
