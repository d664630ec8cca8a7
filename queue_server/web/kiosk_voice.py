"""Spoken prompts: the kiosk's for citizens who use its USB keypad (blind citizens), and
the officer console's priority category of the ticket just called.

``GET /audio/kiosk/<language>/<prompt>.wav`` (and ``.json``: the text and the WAV's
address), rendered like the calls (``web/audio.py``): voice-pack clips for numbers and
letters, espeak-ng for the other words, nothing from the internet; cached by content.

Prompts: ``services`` (the menu: "press 1 for …", in the kiosk's order), ``service/<code>``
(the chosen one, "press Enter to confirm"), ``priorities``, ``priority/<code>`` (``-``: not
a priority group), ``ticket/<number>`` (the number taken), ``category/<code>`` (any active
priority category's name, for the officer console). See docs/screens.md.
"""

from __future__ import annotations

from flask import Blueprint, Response, url_for

from queue_server.core.errors import NotFound
from queue_server.i18n import N_, _, translate
from queue_server.web.audio import TICKET_NUMBER, _voice, rendered_json, wav_file
from queue_server.web.state import xephang
from xephang.devices.audio.prompts import Code, Part, Said, build_prompt, fill
from xephang.devices.audio.render import RenderedAnnouncement
from xephang.display.texts import KIOSK

kiosk_voice = Blueprint("kiosk_voice", __name__, url_prefix="/audio/kiosk")

REPEAT_KEY = "0"  # the keypad key that says the current prompt again
CHOICE_KEYS = 9  # keys 1–9: the first nine choices (the kiosk's keypad script alike)
NO_PRIORITY = "-"  # ``priority/-``: the citizen belongs to no priority group

CHOOSE_SERVICE = N_("Choose a service with the number keys.")
PRESS_FOR = N_("Press {key} for {name}.")
PRESS_TO_REPEAT = N_("Press {key} to hear this again.")
CONFIRM = N_("{name}. Press Enter to confirm, or another number.")
PRIORITY_QUESTION = N_("Do you belong to a priority group?")
NOT_PRIORITY = N_("Press {key} if you do not.")
NONE_CHOSEN = N_("Not a priority group")
YOUR_NUMBER = N_("Your number is {number}.")
CATEGORY = N_("Priority: {category}.")
AFTER_TICKET = N_("Please take your ticket and wait to be called. Press Enter when you are done.")


def _name_in(lang: str, name: str, labels: dict[str, str]) -> str:
    """A service's or category's name in ``lang`` (its own name in the center's language)."""
    return name if lang == xephang().settings.center.language else labels.get(lang) or name


def menu_services(lang: str) -> list[tuple[str, str]]:
    """(code, name in ``lang``) of the services the kiosk shows, in its order."""
    services = [s for s in xephang().settings.services if s.active]
    return [(s.code, _name_in(lang, s.name, dict(s.labels))) for s in services][:CHOICE_KEYS]


def menu_priorities(lang: str) -> list[tuple[str, str]]:
    """(code, name in ``lang``) of the kiosk's priority buttons, then "none" (``-``)."""
    chosen = [
        (p.code, _name_in(lang, p.name, dict(p.labels)))
        for p in xephang().settings.priorities
        if p.active and p.kiosk and not p.emergency
    ]
    return [*chosen, (NO_PRIORITY, translate(KIOSK["no_priority"], lang))][:CHOICE_KEYS]


def _menu(lang: str, question: str, options: list[tuple[str, str]]) -> list[Part]:
    parts: list[Part] = [Said(translate(question, lang) + " ")]
    for key, (code, name) in enumerate(options, start=1):
        template = NOT_PRIORITY if code == NO_PRIORITY else PRESS_FOR
        parts += fill(translate(template, lang) + " ", key=Code(str(key)), name=Said(name))
    return parts + fill(translate(PRESS_TO_REPEAT, lang), key=Code(REPEAT_KEY))


def prompt_parts(lang: str, prompt: str) -> list[Part]:
    """What ``prompt`` says in ``lang``; ``NotFound`` for an unknown prompt."""
    kind, _sep, code = prompt.partition("/")
    if kind == "services" and not code:
        return _menu(lang, CHOOSE_SERVICE, menu_services(lang))
    if kind == "priorities" and not code:
        return _menu(lang, PRIORITY_QUESTION, menu_priorities(lang))
    options = {"service": menu_services, "priority": menu_priorities}.get(kind)
    if options is not None:
        name = dict(options(lang)).get(code)
        if name is not None:
            if code == NO_PRIORITY:
                name = translate(NONE_CHOSEN, lang)
            return fill(translate(CONFIRM, lang), name=Said(name))
    if kind == "category":
        names = {p.code: p for p in xephang().settings.priorities if p.active}
        if code in names:
            name = _name_in(lang, names[code].name, dict(names[code].labels))
            return fill(translate(CATEGORY, lang), category=Said(name))
    if kind == "ticket" and TICKET_NUMBER.match(code.rsplit("-", 1)[-1]):
        number = code.rsplit("-", 1)[-1]  # an outreach site's "L1-B003" is read "B003"
        said = fill(translate(YOUR_NUMBER, lang) + " ", number=Code(number))
        return [*said, Said(translate(AFTER_TICKET, lang))]
    raise NotFound(_("Unknown prompt: {prompt}").format(prompt=prompt))


def _render(lang: str, prompt: str) -> RenderedAnnouncement:
    settings = xephang().settings
    if lang not in {settings.center.language, settings.center.second_language}:
        raise NotFound(_("Unknown prompt: {prompt}").format(prompt=f"{lang}/{prompt}"))
    parts = prompt_parts(lang, prompt)
    voice = _voice()
    try:
        announcement = build_prompt(parts, lang, voice.config.announcement)
    except ValueError:  # a language without reading rules, a code that cannot be read
        raise NotFound(_("Unknown prompt: {prompt}").format(prompt=prompt)) from None
    return voice.renderer.render(announcement)


@kiosk_voice.get("/<lang>/<path:prompt>.json")
def prompt_text(lang: str, prompt: str) -> Response:
    rendered = _render(lang, prompt)
    wav = url_for("kiosk_voice.prompt_wav", lang=lang, prompt=prompt)
    return rendered_json(rendered, wav, missing=list(rendered.missing))


@kiosk_voice.get("/<lang>/<path:prompt>.wav")
def prompt_wav(lang: str, prompt: str) -> Response:
    return wav_file(_render(lang, prompt), max_age=60)
