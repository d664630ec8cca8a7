"""Ticket prefixes that look alike on the hall display, read from about 10 m away.

Two rules (docs/configuration.md, "Prefixes that look alike"):

* the letters O, Q and I are never used: next to the digits of a ticket number they read
  as 0 and 1 ("O012" looks like "0012", "I05" like "105"), and O and Q as each other.
  Vietnamese licence plates leave them out for the same reason;
* two prefixes of as many letters look alike when, at every position, their letters are
  the same or differ only by one small stroke: E/F, P/R, U/V ("PA" and "RA", "U" and "V").
"""

from __future__ import annotations

import itertools

DIGIT_LIKE = {"O": "0", "Q": "0", "I": "1"}
"""Letters refused in prefixes, and the digit each is taken for."""

LOOK_ALIKE = ("EF", "PR", "UV")
"""Groups of letters that differ by one small stroke."""

_SHAPE = {letter: group[0] for group in LOOK_ALIKE for letter in group}


def digit_like_letters(prefix: str) -> list[str]:
    """The letters of ``prefix`` that look like digits (refused), in order."""
    return [letter for letter in prefix if letter in DIGIT_LIKE]


def shape(prefix: str) -> str:
    """``prefix`` with every letter replaced by the first of its look-alike group."""
    return "".join(_SHAPE.get(letter, letter) for letter in prefix)


def look_alike_prefixes(prefixes: list[str]) -> list[tuple[str, str]]:
    """Pairs of different ``prefixes`` that look alike on the display, in the given order."""
    return [
        (first, second)
        for first, second in itertools.combinations(prefixes, 2)
        if first != second and shape(first) == shape(second)
    ]


def digit_like_problem(prefix: str) -> str | None:
    """Why ``prefix`` cannot be used on the display, or None."""
    if not digit_like_letters(prefix):
        return None
    return (
        f"O, Q and I are not used in prefixes: on the hall display they look like the "
        f"digits 0 and 1 (got {prefix!r})"
    )


def look_alike_problem(prefixes: list[str]) -> str | None:
    """The first pair of ``prefixes`` that look alike, as a located message, or None."""
    for first, second in look_alike_prefixes(prefixes):
        return (
            f"services[{prefixes.index(second)}].prefix: {second!r} looks like {first!r} "
            f"on the hall display (E/F, P/R and U/V differ by one small stroke)"
        )
    return None
