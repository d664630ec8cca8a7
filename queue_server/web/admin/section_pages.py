"""An admin page over a list section of the settings (services, counters …): each item's
form drawn, and a submitted item checked with the whole settings and applied live.

Every save builds the new section, validates the whole settings with it and applies it
(:func:`queue_server.web.admin.live.change_settings`); a refused change is drawn again
with its problems in words next to their fields.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Response, redirect, request, url_for

from queue_server.auth.roles import Principal
from queue_server.core.errors import QueueError
from queue_server.i18n import _
from queue_server.settings import ConfigError
from queue_server.web.admin import admin, menu, render_admin, signed_in
from queue_server.web.admin.forms import (
    Field,
    FormError,
    FormView,
    Item,
    apply_form,
    form_view,
    place_problems,
)
from queue_server.web.admin.live import change_settings
from queue_server.web.admin.messages import in_words
from queue_server.web.security import csrf_matches
from queue_server.web.state import xephang


@dataclass(frozen=True)
class SectionPage:
    """One admin page over a list section of the settings."""

    endpoint: str
    section: str
    identity: str
    title: str  # gettext message id
    fields: list[Field]
    describe: Callable[[Item], str]
    # extra sections changed with an item (the counter's LED board): item, form → changes
    extra: Callable[[Item, Any], dict[str, Any]] | None = None
    # item as the page shows it (the counter's LED board folded in)
    view: Callable[[Item], Item] = field(default=lambda item: item)
    # the item to store (the page-only fields taken out)
    stored: Callable[[Item], Item] = field(default=lambda item: item)
    # a live remark shown with the item (a kiosk printer's fault), or None
    note: Callable[[Item], tuple[str, bool] | None] = field(default=lambda item: None)
    # warnings about the whole page's subject (public_url for the kiosks' QR codes)
    warnings: Callable[[], list[str]] = field(default=lambda: [])

    def items(self) -> list[Item]:
        return [self.view(item) for item in xephang().settings.section(self.section)]


def _section_page(page: SectionPage) -> Response | str:
    principal = signed_in()
    if isinstance(principal, Response):
        return principal
    if request.method == "POST":
        return _save(page, principal)
    return _draw(page, principal)


def _draw(
    page: SectionPage,
    principal: Principal,
    *,
    key: str | None = None,
    submitted: Any = None,
    problems: dict[str, str] | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> Any:
    forms: list[FormView] = []
    notes: dict[str, tuple[str, bool]] = {}
    for item in page.items():
        ident = str(item[page.identity])
        note = page.note(item)
        if note is not None:
            notes[ident] = note
        mine = key == ident
        forms.append(
            form_view(
                page.fields,
                item,
                key=ident,
                title=page.describe(item),
                submitted=submitted if mine else None,
                problems=problems if mine else None,
                errors=errors if mine else None,
            )
        )
    adding = key == ""
    new = form_view(
        page.fields,
        None,
        key="",
        title=_("Add"),
        submitted=submitted if adding else None,
        problems=problems if adding else None,
        errors=errors if adding else None,
    )
    html = render_admin(
        "section.html",
        principal,
        _(page.title),
        forms=forms,
        notes=notes,
        warnings=page.warnings(),
        new=new,
        action=url_for(f"admin.{page.endpoint}"),
        saved=request.args.get("saved"),
    )
    return html, status


def _save(page: SectionPage, principal: Principal) -> Any:
    form = request.form
    key = form.get("key", "")

    def again(status: int, errors: list[str], problems: dict[str, str] | None = None) -> Any:
        """The page again with the submitted form as it was, its problems in words."""
        return _draw(
            page,
            principal,
            key=key,
            submitted=form,
            problems=problems,
            errors=errors,
            status=status,
        )

    if not csrf_matches(form.get("csrf_token")):
        return again(400, [_("The form has expired; please try again.")])
    items = page.items()
    index = next((i for i, it in enumerate(items) if str(it[page.identity]) == key), None)
    adding = index is None
    if adding and key:
        return again(404, [_("Not found.")])
    names = {f.name for f in page.fields}
    try:
        base = items[index] if index is not None else {"active": True}
        item = apply_form(page.fields, base, form, adding=adding)
        changes = dict(page.extra(item, form)) if page.extra else {}
        stored = [page.stored(dict(it)) for it in items]
        if index is None:
            stored.append(page.stored(dict(item)))
            index = len(stored) - 1
        else:
            stored[index] = page.stored(dict(item))
        changes[page.section] = stored
        change_settings(xephang(), changes, principal.actor)
    except FormError as exc:
        return again(400, [exc.message], {exc.field_name: exc.message})
    except ConfigError as exc:
        problems, lines = place_problems(exc.problems, f"{page.section}[{index}]", names)
        if page.endpoint == "counters":  # the board's problems belong to its two fields
            for where, message in exc.problems:
                if where.startswith("led"):
                    problems.setdefault("led_address", in_words(message))
        return again(400, [_("The change was not saved:"), *lines], problems)
    except QueueError as exc:
        return again(409, [exc.message])
    saved = str(item[page.identity])
    return redirect(url_for(f"admin.{page.endpoint}", saved=saved) + f"#item-{saved}", code=303)


def add_section_page(page: SectionPage) -> None:
    """Serve ``page`` at ``/admin/<endpoint>`` (endpoint ``admin.<endpoint>``), in the menu."""

    def view() -> Any:
        return _section_page(page)

    view.__name__ = page.endpoint
    admin.add_url_rule(f"/{page.endpoint}", page.endpoint, view, methods=["GET", "POST"])
    menu(f"admin.{page.endpoint}", page.title)
