"""Admin pages for the catalogue and devices: services, counters (with their LED board),
priority categories, kiosks and their printers, and the display's notice.

The list sections are :class:`~queue_server.web.admin.section_pages.SectionPage` pages:
each save is validated with the whole settings and applied live. Items are never
deleted: they are deactivated, so history and reports keep them.
"""

from __future__ import annotations

from typing import Any

from flask import Response, redirect, request, url_for

from queue_server.i18n import N_, _
from queue_server.settings import ConfigError
from queue_server.web.admin import admin, menu, render_admin, signed_in
from queue_server.web.admin.forms import Field, Item
from queue_server.web.admin.kiosk_fields import (
    kiosk_stored,
    printer_kinds,
    printer_note,
    public_url_warnings,
    read_printer_kind,
    read_printer_options,
    write_printer_kind,
    write_printer_options,
)
from queue_server.web.admin.live import change_settings
from queue_server.web.admin.messages import in_words
from queue_server.web.admin.section_pages import SectionPage, add_section_page
from queue_server.web.security import csrf_matches
from queue_server.web.state import xephang
from xephang.display.icons import known_icons


def _second_language() -> str | None:
    return xephang().settings.center.second_language


def _read_label(item: Item) -> str:
    second = _second_language()
    return (item.get("labels") or {}).get(second, "") if second else ""


def _write_label(item: Item, value: Any) -> None:
    second = _second_language()
    if not second:
        return
    labels = dict(item.get("labels") or {})
    if value:
        labels[second] = value
    else:
        labels.pop(second, None)
    item["labels"] = labels


ICON_NAMES = {
    "back": N_("Back arrow"),
    "calendar": N_("Calendar"),
    "check": N_("Tick"),
    "disabled": N_("Person with a disability"),
    "elderly": N_("Elderly person"),
    "emergency": N_("Warning sign"),
    "face_ok": N_("Smiling face"),
    "face_sad": N_("Sad face"),
    "face_very": N_("Laughing face"),
    "family": N_("Family"),
    "globe": N_("Globe"),
    "hands": N_("Helping hands"),
    "help": N_("Question mark"),
    "home": N_("Home with a heart"),
    "house": N_("House"),
    "inbox": N_("Tray with a document"),
    "land": N_("Land"),
    "language": N_("Languages"),
    "medal": N_("Medal"),
    "none": N_("Circle with a dash"),
    "pregnant": N_("Pregnant woman"),
    "shop": N_("Shop"),
    "stamp": N_("Stamp"),
    "ticket": N_("Ticket"),
}


def _icons() -> list[tuple[str, str]]:
    """The drawings, named in the page's language (with the name the file uses)."""
    return [
        ("", "—"),
        *[(name, f"{_(ICON_NAMES.get(name, name))} ({name})") for name in known_icons()],
    ]


def _buses() -> list[tuple[str, str]]:
    return [("", _("no LED board")), *[(b.name, b.name) for b in xephang().settings.led.buses]]


LABEL = Field("label", N_("Name in the second language"), read=_read_label, write=_write_label)
ACTIVE = Field("active", N_("Active"), "bool", hint=N_("Inactive ones stay in the reports."))


# ------------------------------------------------------------------ counters' boards
def _board_of(number: int) -> Item | None:
    boards = xephang().settings.section("led.boards")
    return next((b for b in boards if b["counter"] == number), None)


def _counter_view(item: Item) -> Item:
    board = _board_of(item["number"])
    return {
        **item,
        "led_bus": board["bus"] if board else "",
        "led_address": board and board["address"],
    }


def _counter_stored(item: Item) -> Item:
    return {k: v for k, v in item.items() if k not in ("led_bus", "led_address")}


def _counter_boards(item: Item, _form: Any) -> dict[str, Any]:
    """The ``led.boards`` section with this counter's board set, moved or removed."""
    number = item.get("number")
    boards = [b for b in xephang().settings.section("led.boards") if b["counter"] != number]
    bus, address = item.get("led_bus"), item.get("led_address")
    if bus:
        boards.append({"counter": number, "bus": bus, "address": address})
        boards.sort(key=lambda b: b["counter"] if isinstance(b["counter"], int) else 0)
    return {"led.boards": boards}


SERVICES = SectionPage(
    endpoint="services",
    section="services",
    identity="code",
    title=N_("Services"),
    fields=[
        Field("code", N_("Code"), identity=True, hint=N_("Letters and digits, e.g. HT.")),
        Field("name", N_("Name")),
        LABEL,
        Field("prefix", N_("Ticket prefix"), hint=N_("One or two capital letters.")),
        Field("icon", N_("Icon"), "select", options=_icons),
        Field("helpdesk", N_("Guidance and support desk"), "bool"),
        Field("default_service_s", N_("Expected service time (seconds)"), "int"),
        ACTIVE,
    ],
    describe=lambda s: f"{s['prefix']} · {s['name']} ({s['code']})",
)

COUNTERS = SectionPage(
    endpoint="counters",
    section="counters",
    identity="number",
    title=N_("Counters"),
    fields=[
        Field("number", N_("Counter number"), "int", identity=True),
        Field("name", N_("Name")),
        Field(
            "services",
            N_("Services, in order"),
            "list",
            hint=N_("Service codes separated by commas, e.g. HT, CTR."),
        ),
        Field("led_bus", N_("LED board bus"), "select", options=_buses),
        Field("led_address", N_("LED board address"), "int"),
        ACTIVE,
    ],
    describe=lambda c: f"{c['number']} · {c['name']}",
    extra=_counter_boards,
    view=_counter_view,
    stored=_counter_stored,
)

PRIORITIES = SectionPage(
    endpoint="priorities",
    section="priorities",
    identity="code",
    title=N_("Priority categories"),
    fields=[
        Field("code", N_("Code"), identity=True, hint=N_("Lowercase letters, e.g. elderly.")),
        Field("name", N_("Name")),
        LABEL,
        Field("weight", N_("Weight"), "float", hint=N_("How much faster their wait counts.")),
        Field("icon", N_("Icon"), "select", options=_icons),
        Field("kiosk", N_("Offered at the kiosk"), "bool"),
        Field("emergency", N_("Emergency (always first)"), "bool"),
        ACTIVE,
    ],
    describe=lambda p: f"{p['name']} ({p['code']})",
)

KIOSKS = SectionPage(
    endpoint="kiosks",
    section="kiosks",
    identity="name",
    title=N_("Kiosks and printers"),
    fields=[
        Field("name", N_("Kiosk name"), identity=True, hint=N_("Letters, digits, - and _.")),
        Field("label", N_("Label")),
        Field(
            "printer_kind",
            N_("Printer"),
            "select",
            options=printer_kinds,
            read=read_printer_kind,
            write=write_printer_kind,
        ),
        Field(
            "printer_options",
            N_("Printer settings"),
            "textarea",
            hint=N_('One per line, as in the file: host = "192.168.1.50"'),
            read=read_printer_options,
            write=write_printer_options,
        ),
    ],
    describe=lambda k: f"{k['name']} · {k.get('label') or ''}",
    stored=kiosk_stored,
    note=printer_note,
    warnings=public_url_warnings,
)

PAGES = {page.endpoint: page for page in (SERVICES, COUNTERS, PRIORITIES, KIOSKS)}


for _page in PAGES.values():
    add_section_page(_page)


# ------------------------------------------------------------------------ notice
@admin.route("/notice", methods=["GET", "POST"])
def notice() -> Any:
    principal = signed_in()
    if isinstance(principal, Response):
        return principal
    text = xephang().settings.center.notice
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        text = (request.form.get("notice") or "").strip()
        if not csrf_matches(request.form.get("csrf_token")):
            errors, status = [_("The form has expired; please try again.")], 400
        else:
            try:
                change_settings(xephang(), {"center.notice": text}, principal.actor)
            except ConfigError as exc:
                errors, status = [in_words(m) for _w, m in exc.problems] or [str(exc)], 400
            else:
                return redirect(url_for("admin.notice", saved="notice"), code=303)
    html = render_admin(
        "notice.html",
        principal,
        _("Display notice"),
        text=text,
        errors=errors,
        saved=request.args.get("saved"),
    )
    return html, status


menu("admin.notice", N_("Display notice"))

# The other admin modules of this part add their routes and menu entries on import.
from queue_server.web.admin import accounts, audit_page  # noqa: E402, F401
