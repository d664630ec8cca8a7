"""The kiosks page's printer fields: the printer's kind and its settings as TOML lines,
its state, and the warning about an unreachable ``center.public_url``."""

from __future__ import annotations

import tomllib
import typing
from typing import Any

from queue_server.i18n import _
from queue_server.public_url import does_not_answer
from queue_server.web.admin.forms import FormError, Item
from queue_server.web.printing import printer_report
from queue_server.web.state import xephang
from xephang.devices.printer.config import PrinterConfig

PRINTER_MODELS = typing.get_args(typing.get_args(PrinterConfig)[0])
PRINTER_KINDS = tuple(m.model_fields["kind"].default for m in PRINTER_MODELS)


def printer_kinds() -> list[tuple[str, str]]:
    return [("", _("no printer")), *[(kind, kind) for kind in PRINTER_KINDS]]


def read_printer_kind(item: Item) -> str:
    return (item.get("printer") or {}).get("kind", "")


def write_printer_kind(item: Item, value: Any) -> None:
    item["printer_kind"] = value


def read_printer_options(item: Item) -> str:
    """The printer's settings that differ from the defaults, as TOML lines."""
    printer = item.get("printer")
    if not printer:
        return ""
    defaults = _printer_defaults(printer["kind"])
    lines = []
    for key, value in printer.items():
        if key == "kind" or defaults.get(key, object()) == value or isinstance(value, dict):
            continue
        lines.append(f"{key} = {_toml_value(value)}")
    return "\n".join(lines)


def write_printer_options(item: Item, value: Any) -> None:
    item["printer_options"] = value or ""


def _printer_defaults(kind: str) -> dict[str, Any]:
    """Default values of a printer kind's settings (shown only when changed)."""
    model = next((m for m in PRINTER_MODELS if m.model_fields["kind"].default == kind), None)
    if model is None:
        return {}
    return {
        name: info.default
        for name, info in model.model_fields.items()
        if not info.is_required() and info.default_factory is None
    }


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if value is None:
        return '""'
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def printer_note(item: Item) -> tuple[str, bool] | None:
    """The kiosk printer's state in words, and whether it is a fault."""
    report = printer_report(str(item["name"])) if item.get("printer") else None
    if report is None:
        return None
    return _("Printer now: {state}").format(state=report["message"]), report["ok"] is False


def public_url_warnings() -> list[str]:
    """``center.public_url`` set but not leading to this server: QR codes lead nowhere."""
    url = xephang().settings.center.public_url
    problem = does_not_answer(url) if url else None
    if problem is None:
        return []
    return [
        _(
            "The tickets' QR codes point to public_url {url}, but from this server {problem}"
            " Correct public_url, or leave it unset to use the address the kiosk uses."
        ).format(url=url, problem=problem)
    ]


def kiosk_stored(item: Item) -> Item:
    """The printer table from its kind and TOML lines (other settings kept as they were)."""
    kind = item.pop("printer_kind", None)
    text = item.pop("printer_options", None)
    if kind is None and text is None:
        return item
    if not kind:
        return {**item, "printer": None}
    try:
        options = tomllib.loads(text or "")
    except tomllib.TOMLDecodeError as exc:
        raise FormError("printer_options", _("Not valid TOML: {error}").format(error=exc)) from None
    old = item.get("printer") or {}
    kept = {k: v for k, v in old.items() if isinstance(v, dict)} if old.get("kind") == kind else {}
    return {**item, "printer": {**kept, **options, "kind": kind}}
