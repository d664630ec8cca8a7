"""Spoken names of ticket-prefix letters: no two letters of a language share a sound.

Vietnamese: the letter names used when reading codes aloud (licence plates, ID codes, ticket
numbers), changed where two would sound alike, as Vietnamese call systems do: G is "gờ"
(the school name "giê" sounds like D's "dê", and is D's sound in the north), I is
"i-ngắn" and Y "i-dài". Foreign letters F J W Z use their usual Vietnamese renderings.
Multi-syllable names are one clip, written with a hyphen. English: Đ is "crossed-dee".
The voice check (:mod:`xephang.devices.audio.alike`) compares every pair by sound.
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
    "G": "gờ",
    "H": "hát",
    "I": "i-ngắn",
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
    "Đ": "crossed-dee",
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
