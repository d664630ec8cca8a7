"""Spoken names of ticket-prefix letters.

Vietnamese: the letter names taught in Vietnamese schools and used when reading codes aloud
(licence plates, ID codes, ticket numbers); foreign letters F J W Z use their usual
Vietnamese renderings. Multi-syllable names are one clip, written with a hyphen.
"""

from __future__ import annotations

LETTER_NAMES_VI: dict[str, str] = {
    "A": "a",
    "B": "bê",
    "C": "xê",
    "D": "dê",
    "Đ": "đê",
    "E": "e",
    "F": "ép",
    "G": "giê",
    "H": "hát",
    "I": "i",
    "J": "gi",
    "K": "ca",
    "L": "e-lờ",
    "M": "em-mờ",
    "N": "en-nờ",
    "O": "o",
    "P": "pê",
    "Q": "quy",
    "R": "e-rờ",
    "S": "ét-xì",
    "T": "tê",
    "U": "u",
    "V": "vê",
    "W": "vê-kép",
    "X": "ích-xì",
    "Y": "i-dài",
    "Z": "dét",
}

LETTER_NAMES_EN: dict[str, str] = {
    "A": "ay",
    "B": "bee",
    "C": "see",
    "D": "dee",
    "Đ": "dee",
    "E": "ee",
    "F": "ef",
    "G": "gee",
    "H": "aitch",
    "I": "eye",
    "J": "jay",
    "K": "kay",
    "L": "el",
    "M": "em",
    "N": "en",
    "O": "oh",
    "P": "pee",
    "Q": "cue",
    "R": "ar",
    "S": "ess",
    "T": "tee",
    "U": "you",
    "V": "vee",
    "W": "double-u",
    "X": "ex",
    "Y": "wye",
    "Z": "zed",
}
