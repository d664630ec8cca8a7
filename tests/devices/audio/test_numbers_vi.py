"""Vietnamese number reading, checked against hand-verified spoken forms."""

from __future__ import annotations

import itertools

import pytest

from xephang.devices.audio.numbers_en import number_to_words_en
from xephang.devices.audio.numbers_vi import (
    NUMBER_WORDS,
    Four,
    ZeroTens,
    number_to_text,
    number_to_words,
)

SPOKEN = {
    0: "không",
    1: "một",
    4: "bốn",
    5: "năm",
    7: "bảy",
    10: "mười",
    11: "mười một",
    14: "mười bốn",
    15: "mười lăm",
    19: "mười chín",
    20: "hai mươi",
    21: "hai mươi mốt",
    24: "hai mươi tư",
    25: "hai mươi lăm",
    31: "ba mươi mốt",
    44: "bốn mươi tư",
    50: "năm mươi",
    55: "năm mươi lăm",
    99: "chín mươi chín",
    100: "một trăm",
    101: "một trăm linh một",
    104: "một trăm linh bốn",
    105: "một trăm linh năm",
    110: "một trăm mười",
    111: "một trăm mười một",
    115: "một trăm mười lăm",
    121: "một trăm hai mươi mốt",
    205: "hai trăm linh năm",
    500: "năm trăm",
    555: "năm trăm năm mươi lăm",
    999: "chín trăm chín mươi chín",
    1000: "một nghìn",
    1001: "một nghìn không trăm linh một",
    1005: "một nghìn không trăm linh năm",
    1010: "một nghìn không trăm mười",
    1015: "một nghìn không trăm mười lăm",
    1023: "một nghìn không trăm hai mươi ba",
    1100: "một nghìn một trăm",
    1105: "một nghìn một trăm linh năm",
    1234: "một nghìn hai trăm ba mươi tư",
    2005: "hai nghìn không trăm linh năm",
    2021: "hai nghìn không trăm hai mươi mốt",
    4004: "bốn nghìn không trăm linh bốn",
    5555: "năm nghìn năm trăm năm mươi lăm",
    7000: "bảy nghìn",
    9999: "chín nghìn chín trăm chín mươi chín",
}


def test_table_is_large_enough() -> None:
    assert len(SPOKEN) >= 40


@pytest.mark.parametrize(("number", "spoken"), sorted(SPOKEN.items()))
def test_default_reading(number: int, spoken: str) -> None:
    assert number_to_text(number) == spoken
    assert number_to_words(number) == spoken.split()


@pytest.mark.parametrize(
    ("number", "spoken"),
    [
        (105, "một trăm lẻ năm"),
        (2005, "hai nghìn không trăm lẻ năm"),
        (1001, "một nghìn không trăm lẻ một"),
        (110, "một trăm mười"),
    ],
)
def test_zero_tens_le(number: int, spoken: str) -> None:
    assert number_to_text(number, zero_tens="lẻ") == spoken


@pytest.mark.parametrize(
    ("number", "spoken"),
    [
        (24, "hai mươi bốn"),
        (1234, "một nghìn hai trăm ba mươi bốn"),
        (14, "mười bốn"),
        (4, "bốn"),
        (104, "một trăm linh bốn"),
    ],
)
def test_four_bon(number: int, spoken: str) -> None:
    assert number_to_text(number, four="bốn") == spoken


def test_tu_only_after_muoi() -> None:
    assert number_to_text(14, four="tư") == "mười bốn"
    assert number_to_text(4, four="tư") == "bốn"
    assert number_to_text(4000, four="tư") == "bốn nghìn"
    assert number_to_text(104, four="tư") == "một trăm linh bốn"


def test_every_number_uses_known_words_and_mot_lam_rules() -> None:
    options: list[tuple[ZeroTens, Four]] = [("linh", "tư"), ("lẻ", "bốn")]
    for zero_tens, four in options:
        for n in range(10000):
            words = number_to_words(n, zero_tens=zero_tens, four=four)
            assert set(words) <= set(NUMBER_WORDS), n
            for before, word in itertools.pairwise(words):
                if word == "mốt":
                    assert before == "mươi", n
                if word == "lăm":
                    assert before in ("mười", "mươi"), n
            if n % 10 == 5 and n % 100 not in (5, 15) and n >= 20 and n % 100 >= 20:
                assert words[-1] == "lăm", n


@pytest.mark.parametrize("bad", [-1, 10000, 123456])
def test_out_of_range(bad: int) -> None:
    with pytest.raises(ValueError, match="only numbers from 0 to 9999"):
        number_to_words(bad)


def test_bad_types_and_options() -> None:
    with pytest.raises(TypeError):
        number_to_words(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        number_to_words(True)
    with pytest.raises(ValueError, match="zero_tens"):
        number_to_words(105, zero_tens="le")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="four"):
        number_to_words(24, four="4")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("number", "spoken"),
    [
        (0, "zero"),
        (15, "fifteen"),
        (23, "twenty three"),
        (40, "forty"),
        (105, "one hundred five"),
        (1000, "one thousand"),
        (1023, "one thousand twenty three"),
        (9999, "nine thousand nine hundred ninety nine"),
    ],
)
def test_english(number: int, spoken: str) -> None:
    assert " ".join(number_to_words_en(number)) == spoken


def test_english_out_of_range() -> None:
    with pytest.raises(ValueError, match="0 to 9999"):
        number_to_words_en(10000)
