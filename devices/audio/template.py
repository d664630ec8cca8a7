"""Announcement templates: fixed phrases (one clip each) around ``{number}`` and ``{counter}``."""

from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass

PLACEHOLDERS = ("number", "counter")
_PUNCTUATION = re.compile(r"[,.;:!?…]+|\s[–—-]\s")
_STRIP = re.compile(r"[\"'“”‘’()\[\]]")


@dataclass(frozen=True)
class Phrase:
    """Fixed template text spoken from one clip (``key`` names the clip)."""

    key: str


@dataclass(frozen=True)
class Slot:
    """A placeholder filled with the ticket or counter code."""

    name: str


@dataclass(frozen=True)
class Pause:
    """Punctuation inside the template: a longer gap."""


Token = Phrase | Slot | Pause


def phrase_key(text: str) -> str:
    """Clip key of a phrase: NFC, lower case, quotes removed, single spaces."""
    text = _STRIP.sub("", unicodedata.normalize("NFC", text)).lower()
    return " ".join(text.split())


def text_tokens(text: str) -> list[Phrase | Pause]:
    """The phrases of plain ``text`` (no placeholders), a ``Pause`` at each punctuation."""
    tokens: list[Phrase | Pause] = []
    for index, chunk in enumerate(_PUNCTUATION.split(text)):
        if index:
            tokens.append(Pause())
        key = phrase_key(chunk)
        if key:
            tokens.append(Phrase(key))
    return tokens


def parse_template(template: str) -> list[Token]:
    """Tokens of ``template``; ``ValueError`` for unknown or missing placeholders."""
    template = unicodedata.normalize("NFC", template)
    tokens: list[Token] = []
    seen: set[str] = set()
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ValueError(f"bad template {template!r}: {exc}") from None
    for literal, field, spec, conversion in parts:
        for token in text_tokens(literal):
            if isinstance(token, Phrase) or (tokens and not isinstance(tokens[-1], Pause)):
                tokens.append(token)
        if field is None:
            continue
        if field not in PLACEHOLDERS or spec or conversion:
            allowed = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
            raise ValueError(
                f"bad placeholder {{{field}}} in template {template!r} (use {allowed})"
            )
        seen.add(field)
        tokens.append(Slot(field))
    if "number" not in seen:
        raise ValueError(f"template {template!r} must contain {{number}}")
    while tokens and isinstance(tokens[-1], Pause):
        tokens.pop()
    return tokens


def template_phrases(template: str) -> list[str]:
    """Clip keys of the fixed phrases of ``template``, in order."""
    return [t.key for t in parse_template(template) if isinstance(t, Phrase)]
