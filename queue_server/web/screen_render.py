"""Drawing a screen page (``display/templates/screens``): the center's languages, the
page's texts in each, and the catalogue facts its script needs (active services and
priority categories, kinds of help), with the second language's labels."""

from __future__ import annotations

from typing import Any

from flask import render_template

from queue_server.web.outreach_screens import outreach_lines
from queue_server.web.state import xephang
from xephang.display.icons import icon
from xephang.display.texts import LANGUAGE_NAMES, texts
from xephang.langpack import language_direction, language_name


def _page_data(page: str) -> dict[str, Any]:
    """Languages, texts and catalogue facts a page's script needs."""
    settings = xephang().settings
    screens = xephang().screens
    center = settings.center
    primary = center.language
    second = center.second_language if center.second_language != primary else None
    languages = [primary] + ([second] if second else [])
    return {
        "page": page,
        "languages": languages,
        "language_names": {code: language_name(code, LANGUAGE_NAMES) for code in languages},
        "directions": {code: language_direction(code) for code in languages},
        "texts": {code: texts(page, code) for code in languages},
        "center": {"name": center.name, "short_name": center.short_name or center.name},
        "timezone": center.timezone,
        "notice": center.notice,
        "outreach": outreach_lines(),  # the next outreach sessions (web/outreach_screens.py)
        # exactly one plays the calls: the displays, or this machine's loudspeaker
        "config": screens.model_dump()
        | {"announce": screens.announce and not settings.speaker_plays},
        "voice": settings.voice.enabled,
    }


def render_screen(page: str, **extra: Any) -> str:
    """The page ``screens/<page>.html`` with its data (``extra`` added to it)."""
    data = _page_data(page) | extra
    primary = data["languages"][0]
    second = data["languages"][1] if len(data["languages"]) > 1 else None
    return render_template(
        f"screens/{page}.html",
        data=data,
        lang=primary,
        t=data["texts"][primary],
        t2=_differing(data["texts"][second], data["texts"][primary]) if second else {},
        icon=icon,
    )


def _differing(second: dict[str, str], first: dict[str, str]) -> dict[str, str]:
    """The second language's texts that differ from the first (a text a language pack
    does not translate yet falls back to the first and is not shown twice)."""
    return {key: text for key, text in second.items() if text != first.get(key)}


def screen_services(second: str | None) -> list[dict[str, Any]]:
    return [
        {
            "code": s.code,
            "name": s.name,
            "label": s.labels.get(second, "") if second else "",
            "labels": dict(s.labels),
            "icon": s.icon,
            "helpdesk": s.helpdesk,
            "results": s.results,
        }
        for s in xephang().settings.services
        if s.active
    ]


def screen_priorities(*, kiosk: bool) -> list[dict[str, Any]]:
    second = xephang().settings.center.second_language
    return [
        {
            "code": p.code,
            "name": p.name,
            "label": p.labels.get(second, "") if second else "",
            "labels": dict(p.labels),
            "icon": p.icon or ("emergency" if p.emergency else None),
            "emergency": p.emergency,
        }
        for p in xephang().settings.priorities
        if p.active and (not kiosk or (p.kiosk and not p.emergency))
    ]


def help_kinds(second: str | None) -> list[dict[str, Any]]:
    return [
        {"code": k.code, "name": k.name, "label": k.labels.get(second, "") if second else ""}
        for k in xephang().settings.assists.active_kinds()
    ]
