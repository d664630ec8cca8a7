"""Ticket codes, letter names and template parsing."""

from __future__ import annotations

import string
import unicodedata

import pytest

from xephang.devices.audio.languages import ENGLISH, VIETNAMESE, code_to_words, language
from xephang.devices.audio.letters import LETTER_NAMES_EN, LETTER_NAMES_VI
from xephang.devices.audio.numbers_vi import NUMBER_WORDS
from xephang.devices.audio.template import Pause, Phrase, Slot, parse_template, phrase_key


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("A023", ["a", "hai", "mươi", "ba"]),
        ("A000", ["a", "không"]),
        ("B1", ["bê", "một"]),
        ("C015", ["xê", "mười", "lăm"]),
        ("L105", ["e-lờ", "một", "trăm", "linh", "năm"]),
        ("AB021", ["a", "bê", "hai", "mươi", "mốt"]),
        ("a023", ["a", "hai", "mươi", "ba"]),
        ("Đ5", ["đê", "năm"]),
        ("A-024", ["a", "hai", "mươi", "tư"]),
        ("5", ["năm"]),
        ("12", ["mười", "hai"]),
    ],
)
def test_vietnamese_codes(code: str, words: list[str]) -> None:
    assert code_to_words(code) == words


def test_code_options_and_english() -> None:
    assert code_to_words("A024", four="bốn") == ["a", "hai", "mươi", "bốn"]
    assert code_to_words("A105", zero_tens="lẻ")[-2:] == ["lẻ", "năm"]
    assert code_to_words("A023", ENGLISH) == ["ay", "twenty", "three"]


@pytest.mark.parametrize("bad", ["", "--", "A10000", "Ă1"])
def test_unreadable_codes(bad: str) -> None:
    with pytest.raises(ValueError):
        code_to_words(bad)


def test_nfd_code_is_normalised() -> None:
    assert code_to_words(unicodedata.normalize("NFD", "Đ1")) == ["đê", "một"]


@pytest.mark.parametrize("names", [LETTER_NAMES_VI, LETTER_NAMES_EN])
def test_every_prefix_letter_has_a_distinct_name(names: dict[str, str]) -> None:
    spoken = [names[letter] for letter in string.ascii_uppercase]
    assert len(set(spoken)) == 26


def test_vietnamese_letter_names_do_not_clash_with_number_words() -> None:
    assert not set(LETTER_NAMES_VI.values()) & set(NUMBER_WORDS)
    assert LETTER_NAMES_VI["L"] == "e-lờ" and LETTER_NAMES_VI["C"] == "xê"


def test_unknown_language() -> None:
    with pytest.raises(ValueError, match="known: en, vi"):
        language("km")


def test_default_template_tokens() -> None:
    assert parse_template(VIETNAMESE.default_template) == [
        Phrase("mời công dân có số thứ tự"),
        Slot("number"),
        Phrase("đến quầy số"),
        Slot("counter"),
    ]


def test_punctuation_becomes_a_pause() -> None:
    assert parse_template("Ticket number {number}, please go to counter {counter}.") == [
        Phrase("ticket number"),
        Slot("number"),
        Pause(),
        Phrase("please go to counter"),
        Slot("counter"),
    ]


def test_phrase_key_is_nfc_lowercase() -> None:
    nfd = unicodedata.normalize("NFD", "  Mời   công dân ")
    assert phrase_key(nfd) == "mời công dân"
    assert unicodedata.is_normalized("NFC", phrase_key(nfd))


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("Mời quầy {counter}", "must contain"),
        ("Mời {name} {number}", "bad placeholder"),
        ("Số {number:03d}", "bad placeholder"),
        ("Số {number", "bad template"),
    ],
)
def test_bad_templates(template: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_template(template)
