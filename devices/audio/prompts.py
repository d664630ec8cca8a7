"""Spoken prompts (the kiosk's keypad menu): sentences and codes joined into one WAV.

A prompt is built like a call: each sentence is cut into phrases at its punctuation
(one clip each: the voice pack's, or espeak-ng's when the pack has none), and every
code or key number is read by the language's rules from the pack's word clips
("A023" → "a hai mươi ba"), never handed to espeak-ng as digits.
"""

from __future__ import annotations

import string
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from xephang.devices.audio.announcement import Announcement, AnnouncementConfig, Clip, Gap, Item
from xephang.devices.audio.languages import code_to_words, language
from xephang.devices.audio.template import Pause, Phrase, text_tokens


@dataclass(frozen=True)
class Said:
    """Text read as phrases (a sentence, a service's name)."""

    text: str


@dataclass(frozen=True)
class Code:
    """A ticket number or a key's number, read word by word from the pack."""

    code: str


Part = Said | Code


def fill(template: str, **values: Part) -> list[Part]:
    """``template``'s text and its fields as parts: ``fill("Press {key}.", key=Code("1"))``."""
    parts: list[Part] = []
    for literal, field, _spec, _conversion in string.Formatter().parse(template):
        if literal:
            parts.append(Said(literal))
        if field is not None:
            parts.append(values[field])
    return parts


def build_prompt(
    parts: Sequence[Part], lang_code: str, config: AnnouncementConfig | None = None
) -> Announcement:
    """The announcement reading ``parts`` in ``lang_code`` (gaps as in ``config``)."""
    config = config or AnnouncementConfig()
    lang = language(lang_code)
    items: list[Item] = []
    words: list[str] = []
    text: list[str] = []
    for part in parts:
        if isinstance(part, Code):
            code_words = code_to_words(
                part.code, lang, zero_tens=config.zero_tens, four=config.four
            )
            if items and not isinstance(items[-1], Gap):
                items.append(Gap(config.phrase_gap_ms))
            for index, word in enumerate(code_words):
                if index:
                    items.append(Gap(config.word_gap_ms))
                items.append(Clip(lang_code, word))
            words += code_words
            text.append(part.code)
            continue
        said = unicodedata.normalize("NFC", part.text)
        text.append(said)
        for token in text_tokens(said):
            if isinstance(token, Pause):
                if items and isinstance(items[-1], Gap):
                    items.pop()
                if items:
                    items.append(Gap(config.pause_ms))
            elif isinstance(token, Phrase):
                if items and not isinstance(items[-1], Gap):
                    items.append(Gap(config.phrase_gap_ms))
                items.append(Clip(lang_code, token.key))
                words.append(token.key)
    while items and isinstance(items[-1], Gap):
        items.pop()
    shown = " ".join("".join(text).split())
    return Announcement(
        ticket="",
        counter="",
        items=tuple(items),
        display_text=shown,
        texts={lang_code: shown},
        spoken_text=" ".join(words),
    )
