"""Ticket display strings to board digits."""

from __future__ import annotations

import pytest

from queue_server.i18n import use_language
from xephang.devices.led.digits import (
    MissingNumberError,
    NumberTooLargeError,
    fit_digits,
    numeric_value,
    ticket_digits,
)


@pytest.mark.parametrize(
    ("number", "digits"),
    [("A023", "023"), ("B1", "1"), ("000", "000"), ("K-12", "12"), ("12", "12")],
)
def test_digits_of_a_ticket(number: str, digits: str) -> None:
    assert ticket_digits(number) == digits


@pytest.mark.parametrize(
    ("number", "places", "value"),
    [("A023", 4, 23), ("A9999", 4, 9999), ("A0023", 3, 23), ("A12345", 4, 2345), ("B7", 1, 7)],
)
def test_value_keeps_the_rightmost_digits(number: str, places: int, value: int) -> None:
    assert numeric_value(number, places, "last_digits") == value


def test_overflow_can_be_refused() -> None:
    assert fit_digits("A0999", 3, "reject") == "999"
    with pytest.raises(NumberTooLargeError, match="A1000"):
        fit_digits("A1000", 3, "reject")


@pytest.mark.parametrize("number", [None, "", "  ", "A", "ABC"])
def test_missing_number_is_refused(number: str | None) -> None:
    with pytest.raises(MissingNumberError):
        ticket_digits(number)


def test_errors_are_translated() -> None:
    with use_language("vi"), pytest.raises(MissingNumberError) as caught:
        ticket_digits("AB")
    assert "AB" in str(caught.value)
    assert "chữ số" in str(caught.value)
    with use_language("en"), pytest.raises(MissingNumberError, match="has no digits"):
        ticket_digits("AB")
