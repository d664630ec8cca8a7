"""From a ticket's display string ("A023") to what a numeric board can show (23)."""

from __future__ import annotations

import re
from typing import Literal

from xephang.i18n import _

Overflow = Literal["last_digits", "reject"]
"""What to do with more digits than the board has: keep the rightmost ones, or refuse."""

_DIGITS = re.compile(r"[0-9]")


class LedNumberError(ValueError):
    """A ticket number cannot be shown on a board; the message is meant for a person."""


class MissingNumberError(LedNumberError):
    """No number given, or a number without any digit (numeric boards need digits)."""


class NumberTooLargeError(LedNumberError):
    """More digits than the board has, and the bus is configured to refuse that."""


def ticket_digits(number: str | None) -> str:
    """The ASCII digits of ``number`` in order: ``"A023"`` → ``"023"``; an outreach
    site's code before a dash is left out: ``"L1-B003"`` → ``"003"``."""
    if number is None or not number.strip():
        raise MissingNumberError(_("No ticket number was given for the LED board"))
    found = "".join(_DIGITS.findall(number.rsplit("-", 1)[-1]))  # "L1-B003": a site's
    if not found:
        raise MissingNumberError(
            _("Ticket number “{number}” has no digits to show on the LED board").format(
                number=number
            )
        )
    return found


def fit_digits(number: str | None, digits: int, overflow: Overflow) -> str:
    """The digits of ``number`` limited to ``digits`` places (leading zeros kept).

    ``"A12345"`` with 4 places gives ``"2345"`` (``last_digits``: consecutive tickets
    still differ) or raises :class:`NumberTooLargeError` (``reject``).
    """
    found = ticket_digits(number)
    significant = found.lstrip("0") or "0"
    if len(significant) <= digits:
        return found[-digits:]
    if overflow == "reject":
        raise NumberTooLargeError(
            _("Ticket number “{number}” has more than {digits} digits for the LED board").format(
                number=number, digits=digits
            )
        )
    return found[-digits:]


def numeric_value(number: str | None, digits: int, overflow: Overflow) -> int:
    """The integer a numeric board shows: ``"A023"`` → ``23``."""
    return int(fit_digits(number, digits, overflow))
