"""Vietnamese alphabetical order for names in reports.

Code-point order puts "Đặng" after "Zhang" and "Ân" after "Yến". Vietnamese
dictionaries order letters as a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y
(f j w z where Latin puts them), and only then tones: none, huyền, hỏi, ngã, sắc, nặng.
"""

from __future__ import annotations

import unicodedata

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
RANK = {letter: 0x10000 + index for index, letter in enumerate(ALPHABET)}  # after digits
SHAPES = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: part of the letter
TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def vietnamese_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...], str]:
    """Sort key: letters in Vietnamese order, then tones, then the text itself."""
    letters: list[str] = []
    tones: list[int] = []
    for char in unicodedata.normalize("NFD", text.casefold()):
        if char in SHAPES and letters:
            letters[-1] += char
        elif char in TONES and tones:
            tones[-1] = TONES[char]
        else:
            letters.append(char)
            tones.append(0)
    ranks = tuple(
        RANK.get(unicodedata.normalize("NFC", letter), ord(letter[0])) for letter in letters
    )
    return ranks, tuple(tones), text
