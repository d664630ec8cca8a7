"""Build what a call says: chime, template phrases and the spoken ticket and counter."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from xephang.devices.audio.languages import code_to_words, language
from xephang.devices.audio.numbers_vi import Four, ZeroTens
from xephang.devices.audio.template import Pause, Phrase, Slot, parse_template

CHIME = "_chime"
"""Clip key of the chime (names starting with ``_`` are not speech)."""


class AnnouncementConfig(BaseModel):
    """What a call says and the silences between its parts (milliseconds)."""

    model_config = ConfigDict(extra="forbid")

    language: str = "vi"
    template: str | None = None
    second_language: str | None = None
    second_template: str | None = None
    zero_tens: ZeroTens = "linh"
    four: Four = "tư"
    chime: bool = True
    repeat: int = Field(1, ge=1, le=3)
    word_gap_ms: int = Field(40, ge=0, le=2000)
    phrase_gap_ms: int = Field(120, ge=0, le=2000)
    pause_ms: int = Field(300, ge=0, le=3000)
    chime_gap_ms: int = Field(400, ge=0, le=3000)
    language_gap_ms: int = Field(700, ge=0, le=5000)
    repeat_gap_ms: int = Field(1000, ge=0, le=5000)

    @field_validator("template", "second_template")
    @classmethod
    def _valid_template(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = unicodedata.normalize("NFC", value)
        parse_template(value)
        return value

    @field_validator("language", "second_language")
    @classmethod
    def _known_language(cls, value: str | None) -> str | None:
        if value is not None:
            language(value)
        return value

    @model_validator(mode="after")
    def _second(self) -> AnnouncementConfig:
        if self.second_template and not self.second_language:
            raise ValueError("second_template needs second_language")
        return self

    def template_for(self, code: str) -> str:
        """The template used for language ``code`` (configured or the language default)."""
        if code == self.language and self.template:
            return self.template
        if code == self.second_language and self.second_template:
            return self.second_template
        return language(code).default_template

    def languages(self) -> list[str]:
        """Languages spoken, in order."""
        return [self.language] + ([self.second_language] if self.second_language else [])


@dataclass(frozen=True)
class Clip:
    """One recorded word or phrase of a language's voice pack."""

    language: str
    key: str


@dataclass(frozen=True)
class Gap:
    """Silence."""

    ms: int


Item = Clip | Gap


@dataclass(frozen=True)
class Announcement:
    """A call ready to render: clips and gaps, plus the texts to show."""

    ticket: str
    counter: str
    items: tuple[Item, ...]
    display_text: str
    texts: dict[str, str]
    spoken_text: str

    @property
    def clips(self) -> list[Clip]:
        return [item for item in self.items if isinstance(item, Clip)]


def _spoken_part(
    lang_code: str, ticket: str, counter: str, config: AnnouncementConfig
) -> tuple[list[Item], list[str]]:
    lang = language(lang_code)
    values = {"number": ticket, "counter": counter}
    items: list[Item] = []
    words: list[str] = []
    for token in parse_template(config.template_for(lang_code)):
        if isinstance(token, Pause):
            if items and isinstance(items[-1], Gap):
                items.pop()
            items.append(Gap(config.pause_ms))
            continue
        if items and not isinstance(items[-1], Gap):
            items.append(Gap(config.phrase_gap_ms))
        if isinstance(token, Phrase):
            items.append(Clip(lang_code, token.key))
            words.append(token.key)
        elif isinstance(token, Slot):
            code_words = code_to_words(
                values[token.name], lang, zero_tens=config.zero_tens, four=config.four
            )
            spoken_by = lang.number_language or lang_code  # a pack: its numbers language
            for index, word in enumerate(code_words):
                if index:
                    items.append(Gap(config.word_gap_ms))
                items.append(Clip(spoken_by, word))
            words += code_words
    return items, words


def build_announcement(
    ticket: str, counter: str | int, config: AnnouncementConfig | None = None
) -> Announcement:
    """Announcement for ``ticket`` (e.g. ``"A023"``) called to ``counter`` (e.g. ``5``)."""
    config = config or AnnouncementConfig()
    ticket = unicodedata.normalize("NFC", str(ticket)).strip()
    ticket = ticket.rsplit("-", 1)[-1]  # an outreach site's "L1-B003" is read "B003"
    counter = unicodedata.normalize("NFC", str(counter)).strip()
    items: list[Item] = []
    spoken: list[str] = []
    texts: dict[str, str] = {}
    if config.chime:
        items += [Clip(config.language, CHIME), Gap(config.chime_gap_ms)]
    for round_index in range(config.repeat):
        if round_index:
            items.append(Gap(config.repeat_gap_ms))
        for lang_index, lang_code in enumerate(config.languages()):
            if lang_index:
                items.append(Gap(config.language_gap_ms))
            part, words = _spoken_part(lang_code, ticket, counter, config)
            items += part
            if round_index == 0:
                spoken.append(" ".join(words))
                template = config.template_for(lang_code)
                texts[lang_code] = template.format(number=ticket, counter=counter)
    items = [item for item in items if not (isinstance(item, Gap) and item.ms == 0)]
    return Announcement(
        ticket=ticket,
        counter=counter,
        items=tuple(items),
        display_text=texts[config.language],
        texts=texts,
        spoken_text=" / ".join(spoken),
    )
