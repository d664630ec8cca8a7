"""The audit log in words: who (not ``system:maintenance``), which field (not
``default_service_s``), which value (not ``true``)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from queue_server.i18n import N_, _
from queue_server.web.admin.accounts import ROLE_NAMES
from queue_server.web.admin.pages import PAGES

SYSTEM_ACTORS = {
    "system": N_("The system"),
    "system:maintenance": N_("The system (daily maintenance)"),
    "cli": N_("Command line on the server"),
    "system:start-up": N_("The system (at start-up)"),
}
# Stored names that are not a form field's name (the forms read and write them).
STORED_FIELDS = {
    "labels": N_("Name in the second language"),
    "printer": N_("Printer"),
    "led": N_("LED board"),
    "role": N_("Role"),
    "display_name": N_("Full name"),
    "password": N_("Password"),
    "counter": N_("Counter"),
    "reason": N_("Reason"),
    "saved_at": N_("Saved at"),
    "by": N_("Saved by"),
    "changed": N_("Changed"),
    "id": N_("Id number"),
    # The clock guard's decisions (docs/outages.md).
    "server_time": N_("Server clock"),
    "reference": N_("Last recorded event"),
    "last_event_at": N_("Last recorded event"),
    "browser_time": N_("This browser's clock"),
}
REASONS = {
    "file_changed": N_("the configuration file was edited since"),
    "no_longer_valid": N_("it no longer fits the configuration file"),
}
MAX_CHARS = 80


def actor_in_words(actor: str) -> str:
    """``user:lan`` → ``lan``; ``token:Kiosk`` → ``API token "Kiosk"``; system names."""
    if actor in SYSTEM_ACTORS:
        return _(SYSTEM_ACTORS[actor])
    kind, _sep, name = actor.partition(":")
    if kind == "user" and name:
        return name
    if kind == "token" and name:
        return _('API token "{name}"').format(name=name)
    if kind == "system":
        return _(SYSTEM_ACTORS["system"])
    return actor


def field_in_words(target: str, name: str) -> str:
    """A stored field's label as on the admin page of ``target``."""
    for page in PAGES.values():
        if page.section == target:
            for form_field in page.fields:
                if form_field.name == name:
                    return _(form_field.label)
    if name in STORED_FIELDS:
        return _(STORED_FIELDS[name])
    for page in PAGES.values():  # the same name on another page
        for form_field in page.fields:
            if form_field.name == name:
                return _(form_field.label)
    return name


def value_in_words(value: Any) -> str:
    """A value as a person reads it: yes/no, empty as a dash, long text shortened."""
    if value is True:
        text = _("yes")
    elif value is False:
        text = _("no")
    elif value is None or value == "" or value == []:
        text = "–"
    elif isinstance(value, list):
        text = ", ".join(value_in_words(v) for v in value)
    elif isinstance(value, str):
        text = value
    else:
        text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 3] + "…"


def detail_value_in_words(key: str, value: Any, zone: ZoneInfo) -> str:
    """The value of one of an entry's own keys (reason, saved_at, by, role …)."""
    if key == "reason" and value in REASONS:
        return _(REASONS[value])
    if key == "by" and isinstance(value, str):
        return actor_in_words(value)
    if key == "role" and value in ROLE_NAMES:
        return _(ROLE_NAMES[value])
    if key == "changed" and isinstance(value, list):
        return ", ".join(field_in_words("users", str(name)) for name in value)
    if key == "saved_at" and isinstance(value, str):
        try:
            return datetime.fromisoformat(value).astimezone(zone).strftime("%d/%m/%Y %H:%M")
        except ValueError:
            return value
    return value_in_words(value)
