"""Gettext catalogues shared by the server, the devices and the CLI.

Message ids are English; Vietnamese (``vi``) is the default language. Each component
keeps its own ``locale/<lang>/<component>.po`` file; all files of a language are merged
when first used, so no compiled ``.mo`` files live in the repository. A language pack
(:mod:`xephang.langpack`) adds its ``messages.po`` to its language's catalogue, and a
message it lacks is shown in the pack's ``fallback`` language (Vietnamese by default).

It lives below ``queue_server``, ``devices`` and ``display`` (it imports none of them) so
that the drivers need not import the server; ``queue_server.i18n`` re-exports it. The
catalogues themselves are data shipped in ``queue_server/locale``.

Usage::

    from xephang.i18n import _, use_language
    _("Ticket number")            # translated into the current language
    with use_language("en"): ...  # temporarily switch
"""

from __future__ import annotations

import contextlib
import contextvars
import unicodedata
from collections.abc import Collection, Iterator
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from babel.messages.pofile import read_po

from xephang import langpack


def _locale_dir() -> Path:
    """``queue_server/locale``, found without importing ``queue_server``."""
    spec = find_spec("queue_server")
    assert spec is not None and spec.submodule_search_locations is not None
    return Path(next(iter(spec.submodule_search_locations))) / "locale"


LOCALE_DIR = _locale_dir()
DEFAULT_LANGUAGE = "vi"

_current: contextvars.ContextVar[str] = contextvars.ContextVar(
    "xephang_language", default=DEFAULT_LANGUAGE
)


def available_languages() -> list[str]:
    """Languages that have a catalogue folder or a language pack, plus English (the
    message ids)."""
    return _with_catalogues(langpack.packs())


def languages_with_center_dir(folder: Path | None) -> list[str]:
    """:func:`available_languages` with ``folder`` as the center's language-pack folder,
    without making it the folder in use (the settings check a file's languages first)."""
    return _with_catalogues(langpack.packs_with_center_dir(folder))


def _with_catalogues(packs: Collection[str]) -> list[str]:
    found = {p.name for p in LOCALE_DIR.iterdir() if p.is_dir()} if LOCALE_DIR.exists() else set()
    return sorted(found | set(packs) | {"en"})


@cache
def catalogue(language: str) -> dict[str, str]:
    """All translated messages of ``language`` (merged from every .po file; a language
    pack's ``messages.po`` last, so that a center can reword a shipped text)."""
    messages: dict[str, str] = {}
    folder = LOCALE_DIR / language
    for po_file in sorted(folder.glob("*.po")) if folder.is_dir() else []:
        with po_file.open("rb") as handle:
            for message in read_po(handle, locale=None):
                if message.id and message.string and not message.fuzzy:
                    key = message.id if isinstance(message.id, str) else message.id[0]
                    text = message.string if isinstance(message.string, str) else message.string[0]
                    messages[key] = unicodedata.normalize("NFC", text)
    with contextlib.suppress(langpack.LanguagePackError):  # `xephang language check` says why
        pack = langpack.find_pack(language)
        if pack is not None:
            messages |= pack.messages()
    return messages


@cache
def _fallback(language: str) -> str | None:
    with contextlib.suppress(langpack.LanguagePackError):
        pack = langpack.find_pack(language)
        if pack is not None and pack.info.fallback != language:
            return pack.info.fallback
    return None


def forget_fallbacks() -> None:
    """Look the packs' fallback languages up again (after the packs changed)."""
    _fallback.cache_clear()


def translate(message: str, language: str | None = None) -> str:
    """Translate ``message`` into ``language`` (default: the current one)."""
    lang = language or _current.get()
    text = catalogue(lang).get(message)
    if text is None:
        fallback = _fallback(lang)
        text = catalogue(fallback).get(message, message) if fallback else message
    return unicodedata.normalize("NFC", text)


def _(message: str) -> str:
    """Translate into the current language."""
    return translate(message)


def gettext(message: str) -> str:
    """Alias of :func:`_` for tools that look for ``gettext``."""
    return translate(message)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it now."""
    return message


def current_language() -> str:
    """The language used by :func:`_` in this context."""
    return _current.get()


def set_language(language: str) -> contextvars.Token[str]:
    """Switch the current context to ``language``; returns a token for reset."""
    return _current.set(language)


@contextlib.contextmanager
def use_language(language: str) -> Iterator[None]:
    """Use ``language`` inside a ``with`` block."""
    token = _current.set(language)
    try:
        yield
    finally:
        _current.reset(token)
