"""One question of the setup wizard and how its typed answer is read.

A :class:`Question` is asked the same way by ``xephang setup`` (a prompt) and by the
first-start page (a form field); :func:`read_answer` turns the text typed into a value
or raises :class:`Invalid` with a message for the person.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from queue_server.i18n import _

Kind = Literal["text", "secret", "number", "yesno", "choice", "codes"]
NONE_ANSWER = "-"  # "none" for a list or an optional device
YES = frozenset({"c", "có", "co", "y", "yes"})
NO = frozenset({"k", "không", "khong", "n", "no"})


class Invalid(ValueError):
    """An answer that is not accepted; the message says why, in the current language."""


@dataclass(frozen=True)
class Question:
    """What is asked, its default, and where its answer lands in center.toml.

    ``prompt`` and ``hint`` are English message ids (translated when asked), formatted
    with ``values``. ``checks`` are the configuration locations (``"center.name"``,
    ``"counters[1]"``) whose problems reject this answer. ``check`` is an extra rule
    that raises :class:`Invalid`.
    """

    key: str
    prompt: str
    kind: Kind = "text"
    default: str = ""
    required: bool = True
    hint: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    choices: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()
    check: Callable[[Any], None] | None = None
    case: Literal["upper", "lower", "keep"] = "keep"

    def text(self) -> str:
        """The question in the current language."""
        return _(self.prompt).format(**self.values)

    def hint_text(self) -> str:
        return _(self.hint).format(**self.values) if self.hint else ""


def _number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise Invalid(_("Type a whole number, e.g. 6.")) from None


def _yes_no(text: str) -> bool:
    word = text.lower()
    if word in YES:
        return True
    if word in NO:
        return False
    raise Invalid(_("Answer c (có, yes) or k (không, no)."))


def _choice(text: str, choices: tuple[str, ...]) -> str:
    word = text.lower()
    if word not in choices:
        raise Invalid(_("Choose one of: {choices}.").format(choices=", ".join(choices)))
    return word


def _codes(text: str, case: str) -> list[str]:
    if text == NONE_ANSWER:
        return []
    if case == "upper":
        text = text.upper()
    elif case == "lower":
        text = text.lower()
    return list(dict.fromkeys(part for part in re.split(r"[,;\s]+", text) if part))


def read_answer(question: Question, typed: str) -> Any:
    """The value of ``typed`` (empty: the default); :class:`Invalid` if it cannot be read.

    An optional question left empty gives ``""``.
    """
    text = unicodedata.normalize("NFC", typed).strip()
    if question.kind == "secret":
        text = unicodedata.normalize("NFC", typed)  # spaces in a password are kept
    if not text:
        text = question.default
    if not text:
        if question.required:
            raise Invalid(_("An answer is needed here."))
        return ""
    if question.kind == "number":
        value: Any = _number(text)
    elif question.kind == "yesno":
        value = _yes_no(text)
    elif question.kind == "choice":
        value = _choice(text, question.choices)
    elif question.kind == "codes":
        value = _codes(text, question.case)
        if not value and question.required:
            raise Invalid(_("An answer is needed here."))
    else:
        value = text
    if question.check is not None:
        question.check(value)
    return value


def shown(value: Any) -> str:
    """An answer as it would be typed (for the summary and the page's fields)."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or NONE_ANSWER
    return str(value)
