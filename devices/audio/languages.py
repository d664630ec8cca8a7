"""What each announcement language needs: letter names, number reading, default template."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from xephang.devices.audio.letters import LETTER_NAMES_EN, LETTER_NAMES_VI
from xephang.devices.audio.numbers_en import NUMBER_WORDS_EN, number_to_words_en
from xephang.devices.audio.numbers_vi import NUMBER_WORDS, Four, ZeroTens, number_to_words
from xephang.langpack import find_pack

NumberReader = Callable[[int, ZeroTens, Four], list[str]]


@dataclass(frozen=True)
class Language:
    """Reading rules of one announcement language."""

    code: str
    espeak_voice: str
    default_template: str
    letter_names: Mapping[str, str]
    number_words: tuple[str, ...]
    read_number: NumberReader
    #: Text fed to espeak-ng for a clip when it differs from the clip's text.
    espeak_text: Mapping[str, str] = field(default_factory=dict)
    #: A language pack's calls read codes with another language's rules and clips.
    number_language: str | None = None

    def vocabulary(self) -> list[str]:
        """Word clips every pack of this language needs (numbers, then letters)."""
        words = list(dict.fromkeys(self.number_words))
        words += [name for name in dict.fromkeys(self.letter_names.values()) if name not in words]
        return words


VIETNAMESE = Language(
    code="vi",
    espeak_voice="vi",
    default_template="Mời công dân có số thứ tự {number} đến quầy số {counter}",
    letter_names=LETTER_NAMES_VI,
    number_words=NUMBER_WORDS,
    read_number=lambda n, zero_tens, four: number_to_words(n, zero_tens=zero_tens, four=four),
)

ENGLISH = Language(
    code="en",
    espeak_voice="en",
    default_template="Ticket number {number}, please go to counter {counter}",
    letter_names=LETTER_NAMES_EN,
    number_words=NUMBER_WORDS_EN,
    read_number=lambda n, zero_tens, four: number_to_words_en(n),
    espeak_text={name: letter for letter, name in LETTER_NAMES_EN.items() if letter != "Đ"},
)

LANGUAGES: dict[str, Language] = {lang.code: lang for lang in (VIETNAMESE, ENGLISH)}

_RUN = re.compile(r"\d+|[^\W\d_]")


def language(code: str) -> Language:
    """The :class:`Language` for ``code`` (built in, or a language pack with voice clips:
    docs/languages.md); ``ValueError`` names the supported ones."""
    if code in LANGUAGES:
        return LANGUAGES[code]
    pack = find_pack(code)
    if pack is not None and pack.voice_dir is not None and pack.info.voice is not None:
        reader = language(pack.info.voice.numbers)
        return replace(
            reader,
            code=code,
            espeak_voice="",
            default_template=pack.info.voice.template,
            espeak_text={},
            number_language=reader.number_language or reader.code,
        )
    known = ", ".join(sorted(LANGUAGES))
    raise ValueError(
        f"no announcement rules for language {code!r} (known: {known}, or a language pack"
        " with voice/ clips and a [voice] template)"
    )


def code_to_words(
    code: str, lang: Language = VIETNAMESE, *, zero_tens: ZeroTens = "linh", four: Four = "tư"
) -> list[str]:
    """Words for a ticket or counter code: each letter by name, each digit run as a number.

    Leading zeros are dropped: ``"A023"`` is ``["a", "hai", "mươi", "ba"]``. Spaces, dots and
    dashes only separate runs. ``ValueError`` if nothing readable remains or a letter has no
    spoken name.
    """
    text = unicodedata.normalize("NFC", str(code)).upper()
    words: list[str] = []
    for run in _RUN.findall(text):
        if run.isdigit():
            words += lang.read_number(int(run), zero_tens, four)
        elif run in lang.letter_names:
            words.append(lang.letter_names[run])
        else:
            raise ValueError(f"no spoken name for letter {run!r} in {code!r} ({lang.code})")
    if not words:
        raise ValueError(f"nothing to read aloud in {code!r}")
    return words
