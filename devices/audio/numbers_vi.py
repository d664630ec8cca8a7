"""Vietnamese number reading for 0–9999, the way numbers are spoken in announcements.

Rules (see docs/voice.md):

* units ``không một hai ba bốn năm sáu bảy tám chín``; 10 is ``mười``; 11–19 are ``mười`` +
  unit, with 5 read ``lăm`` (15 ``mười lăm``) and 4 kept ``bốn`` (14 ``mười bốn``);
* 20–99 are unit + ``mươi`` + unit, with 1 read ``mốt`` (21 ``hai mươi mốt``), 5 read
  ``lăm`` and 4 read ``tư`` (24 ``hai mươi tư``; option ``four="bốn"``);
* a zero tens digit after hundreds is ``linh`` (105 ``một trăm linh năm``; option
  ``zero_tens="lẻ"``);
* a zero hundreds digit after thousands is ``không trăm`` (1023 ``một nghìn không trăm hai
  mươi ba``);
* trailing zero groups are silent (1000 ``một nghìn``, 1100 ``một nghìn một trăm``).
"""

from __future__ import annotations

from typing import Literal

ZeroTens = Literal["linh", "lẻ"]
Four = Literal["tư", "bốn"]

MAX_NUMBER = 9999
UNITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
TEN = "mười"
TENS_SUFFIX = "mươi"
HUNDRED = "trăm"
THOUSAND = "nghìn"
ONE_AFTER_TENS = "mốt"
FIVE_AFTER_TEN = "lăm"

#: Every word :func:`number_to_words` can produce, whatever the options.
NUMBER_WORDS: tuple[str, ...] = (
    *UNITS,
    TEN,
    TENS_SUFFIX,
    ONE_AFTER_TENS,
    FIVE_AFTER_TEN,
    "tư",
    "linh",
    "lẻ",
    HUNDRED,
    THOUSAND,
)


def _below_hundred(n: int, four: Four) -> list[str]:
    """10–99 (callers handle 0–9 themselves)."""
    tens, unit = divmod(n, 10)
    if tens == 1:
        words = [TEN]
        if unit == 5:
            words.append(FIVE_AFTER_TEN)
        elif unit:
            words.append(UNITS[unit])
        return words
    words = [UNITS[tens], TENS_SUFFIX]
    if unit == 1:
        words.append(ONE_AFTER_TENS)
    elif unit == 4:
        words.append(four)
    elif unit == 5:
        words.append(FIVE_AFTER_TEN)
    elif unit:
        words.append(UNITS[unit])
    return words


def _after_hundreds(rest: int, zero_tens: ZeroTens, four: Four) -> list[str]:
    """The 0–99 part that follows a spoken ``trăm``."""
    if rest == 0:
        return []
    if rest < 10:
        return [zero_tens, UNITS[rest]]
    return _below_hundred(rest, four)


def number_to_words(n: int, *, zero_tens: ZeroTens = "linh", four: Four = "tư") -> list[str]:
    """Spoken Vietnamese words of ``n`` (0–9999), one list item per word.

    >>> number_to_words(1023)
    ['một', 'nghìn', 'không', 'trăm', 'hai', 'mươi', 'ba']
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"number_to_words expects an int, got {type(n).__name__}")
    if not 0 <= n <= MAX_NUMBER:
        raise ValueError(
            f"cannot read {n} aloud: only numbers from 0 to {MAX_NUMBER} are supported"
        )
    if zero_tens not in ("linh", "lẻ"):
        raise ValueError(f"zero_tens must be 'linh' or 'lẻ' (got {zero_tens!r})")
    if four not in ("tư", "bốn"):
        raise ValueError(f"four must be 'tư' or 'bốn' (got {four!r})")
    if n < 10:
        return [UNITS[n]]
    if n < 100:
        return _below_hundred(n, four)
    thousands, below_thousand = divmod(n, 1000)
    hundreds, rest = divmod(below_thousand, 100)
    words: list[str] = []
    if thousands:
        words += [UNITS[thousands], THOUSAND]
        if below_thousand == 0:
            return words
    words += [UNITS[hundreds], HUNDRED]
    words += _after_hundreds(rest, zero_tens, four)
    return words


def number_to_text(n: int, *, zero_tens: ZeroTens = "linh", four: Four = "tư") -> str:
    """:func:`number_to_words` joined with spaces: ``"hai mươi mốt"``."""
    return " ".join(number_to_words(n, zero_tens=zero_tens, four=four))
