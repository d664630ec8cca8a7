"""The configuration's problems said in the person's language.

The checks are the configuration's own (:mod:`queue_server.settings`), whose messages are
English, written for whoever edits the file. The problems a setup answer can meet are said
here in words of the catalogue; any other one is shown as it is.
"""

from __future__ import annotations

import re

from queue_server.i18n import N_, _

WORDED = (
    (r"unknown time zone '(?P<value>[^']*)'", N_("there is no time zone {value}.")),
    (
        r"must be one or two capital letters \(got '(?P<value>[^']*)'\)",
        N_("a ticket letter is one or two capital letters (not {value})."),
    ),
    (r"'(?P<value>[^']*)' is used twice", N_("{value} is already used by another one.")),
    (r"(?P<value>\d+) is used twice", N_("{value} is already used by another one.")),
    (
        r"unknown service '(?P<value>[^']*)' \(known: (?P<known>[^)]*)\)",
        N_("there is no service {value} (the services: {known})."),
    ),
    (
        r"address (?P<value>\d+) on '[^']*' is taken",
        N_("address {value} is already used by another board."),
    ),
    (r"String should match pattern", N_("use only letters without accents, digits, - and _.")),
    (r"(String|Value) should have at least 1 (character|item)", N_("it cannot be empty.")),
    (r"(String|Value) should have at most", N_("it is too long.")),
    (r"Input should be greater than or equal to", N_("the number is too small.")),
    (r"Input should be less than or equal to", N_("the number is too large.")),
    (
        r"dot_width must be a multiple of 8",
        N_("the dots per line are a multiple of 8, 128 to 832."),
    ),
    (r"dot_width \d+ exceeds profile width", N_("the printer prints fewer dots per line.")),
)


def in_words(message: str) -> str:
    """``message`` of the configuration in the current language, when it is known."""
    for pattern, words in WORDED:
        if found := re.search(pattern, message):
            return _(words).format(**found.groupdict())
    return message
