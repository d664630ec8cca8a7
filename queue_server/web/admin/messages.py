"""The configuration's validation messages in the page's language.

The settings models speak English (they also check the file, for installers); the admin
pages show the common messages translated, keeping the field's location as it is.
"""

from __future__ import annotations

import re

from queue_server.i18n import N_, _

# (pattern of the English message, gettext message id with the same named fields)
KNOWN: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(?P<value>.+) is used twice$"), N_("{value} is used twice")),
    (
        re.compile(r"^unknown service (?P<code>\S+) \(known: (?P<known>.*)\)$"),
        N_("unknown service {code} (known: {known})"),
    ),
    (re.compile(r"^unknown bus (?P<bus>.+)$"), N_("unknown LED bus {bus}")),
    (re.compile(r"^no counter (?P<number>\d+)$"), N_("there is no counter {number}")),
    (
        re.compile(r"^must be one or two capital letters \(got (?P<value>.*)\)$"),
        N_("must be one or two capital letters (got {value})"),
    ),
    (
        re.compile(r"^address (?P<address>\d+) on (?P<bus>.+) is taken$"),
        N_("address {address} on {bus} is taken"),
    ),
    (
        re.compile(r"^Modbus unit address must be 1–247 \(got (?P<value>.*)\)$"),
        N_("a Modbus board address must be 1–247 (got {value})"),
    ),
    (re.compile(r"^Field required$"), N_("this field is required")),
    (re.compile(r"^String should have at least 1 character$"), N_("this field is required")),
    (
        re.compile(r"^String should have at most (?P<count>\d+) characters?$"),
        N_("at most {count} characters"),
    ),
    (
        re.compile(r"^String should match pattern .*$"),
        N_("contains characters that are not allowed"),
    ),
    (
        re.compile(r"^contains characters that are not allowed$"),
        N_("contains characters that are not allowed"),
    ),
    (re.compile(r"^List should have at least 1 item.*$"), N_("choose at least one")),
    (re.compile(r"^Input should be a valid integer.*$"), N_("must be a whole number")),
    (re.compile(r"^Input should be a valid number.*$"), N_("must be a number")),
    (re.compile(r"^Input should be a valid string$"), N_("must be text (in double quotes)")),
    (re.compile(r"^Input should be a valid boolean.*$"), N_("must be true or false")),
    (re.compile(r"^Input should be a valid list.*$"), N_("must be a list")),
    (re.compile(r"^Extra inputs are not permitted$"), N_("there is no such setting")),
    (
        re.compile(r"^Input should be (?:greater|less) than or equal to (?P<limit>\S+)$"),
        N_("out of range (limit {limit})"),
    ),
]


def in_words(message: str) -> str:
    """``message`` translated when it is a known one, else as it is."""
    for pattern, template in KNOWN:
        if found := pattern.match(message):
            return _(template).format(**found.groupdict())
    return message
