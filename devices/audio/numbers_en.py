"""English number reading for 0–9999 (second-language announcements).

American style without "and": 1023 is "one thousand twenty three" (clips: one, thousand,
twenty, three).
"""

from __future__ import annotations

MAX_NUMBER = 9999
_SMALL = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
    *("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen"),
)
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")

#: Every word :func:`number_to_words_en` can produce.
NUMBER_WORDS_EN: tuple[str, ...] = (*_SMALL, *_TENS[2:], "hundred", "thousand")


def _below_hundred(n: int) -> list[str]:
    if n < 20:
        return [_SMALL[n]]
    tens, unit = divmod(n, 10)
    return [_TENS[tens]] + ([_SMALL[unit]] if unit else [])


def number_to_words_en(n: int) -> list[str]:
    """Spoken English words of ``n`` (0–9999)."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"number_to_words_en expects an int, got {type(n).__name__}")
    if not 0 <= n <= MAX_NUMBER:
        raise ValueError(
            f"cannot read {n} aloud: only numbers from 0 to {MAX_NUMBER} are supported"
        )
    if n < 100:
        return _below_hundred(n)
    thousands, rest = divmod(n, 1000)
    hundreds, rest = divmod(rest, 100)
    words: list[str] = []
    if thousands:
        words += [_SMALL[thousands], "thousand"]
    if hundreds:
        words += [_SMALL[hundreds], "hundred"]
    if rest:
        words += _below_hundred(rest)
    return words
