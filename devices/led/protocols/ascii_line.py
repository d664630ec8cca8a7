"""A text line per board from a template, e.g. ``{address:02d}{number}\\r\\n``.

Template fields: ``address`` (int, required), ``number`` (the ticket as shown, "A023"),
``digits`` (its digits, "023"), ``value`` (their integer, 23) and ``blink`` (0 or 1). The
template must end with fixed text (the line terminator) so frames can be told apart.
"""

from __future__ import annotations

import re
import string
from typing import Any

from xephang.devices.led.digits import Overflow, fit_digits
from xephang.devices.led.protocols.base import BoardFrame, FrameError, LedProtocol

FIELDS = ("address", "number", "digits", "value", "blink")
_PATTERNS = {
    "address": r"\s*(?P<address>\d+)",
    "number": r"(?P<number>.*?)",
    "digits": r"\s*(?P<digits>\d*)",
    "value": r"\s*(?P<value>\d+)",
    "blink": r"\s*(?P<blink>[01])",
}
_SAMPLE = {"address": 1, "number": "A023", "digits": "023", "value": 23, "blink": 1}


def _zero_padded_width(spec: str) -> int | None:
    """``02d`` → 2: a fixed-width address keeps it apart from a number right after it."""
    match = re.fullmatch(r"0(\d+)d?", spec)
    return int(match[1]) if match else None


def template_regex(template: str) -> re.Pattern[str]:
    """A regex that reads back lines made from ``template``; raises ``ValueError``."""
    parts: list[str] = []
    seen: set[str] = set()
    for literal, field, spec, conversion in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field is None:
            continue
        if field not in FIELDS:
            raise ValueError(f"unknown field {{{field}}}; use {', '.join(FIELDS)}")
        if field in seen:
            raise ValueError(f"field {{{field}}} appears twice")
        if conversion or (spec and "{" in spec):
            raise ValueError(f"field {{{field}}}: conversions and nested fields are not allowed")
        seen.add(field)
        width = _zero_padded_width(spec or "")
        parts.append(
            rf"(?P<{field}>\d{{{width}}})" if width and field == "address" else _PATTERNS[field]
        )
    template.format(**_SAMPLE)  # raises ValueError on a bad format spec
    return re.compile("".join(parts), re.DOTALL)


def terminator(template: str) -> str:
    """The fixed text at the end of ``template``; raises ``ValueError`` if there is none."""
    *_, (literal, field, _spec, _conv) = string.Formatter().parse(template)
    if field is not None or not literal:
        raise ValueError("the template must end with fixed text such as \\r\\n")
    return literal


class AsciiLineProtocol(LedProtocol):
    """Formats one line per show; ``clear_template`` (or the template with no number) clears."""

    name = "ascii"

    def __init__(
        self,
        template: str = "{address:02d}{number}\r\n",
        clear_template: str | None = None,
        digits: int = 4,
        overflow: Overflow = "last_digits",
        encoding: str = "ascii",
    ) -> None:
        self.template = template
        self.clear_template = clear_template
        self._regex = template_regex(template)
        if "address" not in self._regex.groupindex:
            raise ValueError("the template needs an {address} field")
        self._address_width = next(
            (
                _zero_padded_width(spec or "")
                for _lit, field, spec, _conv in string.Formatter().parse(template)
                if field == "address"
            ),
            None,
        )
        self._clear_regex = template_regex(clear_template) if clear_template else None
        self._terminator = terminator(template).encode(encoding)
        if clear_template and not terminator(clear_template).encode(encoding).endswith(
            self._terminator
        ):
            raise ValueError("clear_template must end with the template's final text")
        "".encode(encoding)  # raises LookupError for an unknown encoding
        self.digits = digits
        self.overflow: Overflow = overflow
        self.encoding = encoding
        self.supports_blink = "blink" in self._regex.groupindex

    def check_address(self, address: int) -> None:
        if address < 0:
            raise ValueError(f"board address must not be negative (got {address})")
        if self._address_width and address >= 10**self._address_width:
            raise ValueError(f"board address {address} does not fit the template's width")

    def encode(self, address: int, number: str | None, blink: bool = False) -> bytes:
        self.check_address(address)
        fields: dict[str, Any] = {"address": address, "blink": int(blink)}
        if number is None:
            fields |= {"number": "", "digits": "", "value": 0, "blink": 0}
            text = (self.clear_template or self.template).format(**fields)
        else:
            shown = fit_digits(number, self.digits, self.overflow)
            fields |= {"number": number, "digits": shown, "value": int(shown)}
            text = self.template.format(**fields)
        return text.encode(self.encoding)

    def decode(self, frame: bytes) -> BoardFrame:
        try:
            text = frame.decode(self.encoding)
        except UnicodeDecodeError as exc:
            raise FrameError(f"not {self.encoding} text") from exc
        if self._clear_regex and (cleared := self._clear_regex.fullmatch(text)):
            return BoardFrame(int(cleared["address"]), None)
        match = self._regex.fullmatch(text)
        if not match:
            raise FrameError(f"line {text!r} does not match the template")
        fields = match.groupdict()
        shown = next(
            (fields[key].strip() for key in ("number", "digits", "value") if key in fields),
            "",
        )
        return BoardFrame(int(fields["address"]), shown or None, fields.get("blink") == "1")

    def split(self, buffer: bytes) -> tuple[list[bytes], int]:
        frames: list[bytes] = []
        used = 0
        while (end := buffer.find(self._terminator, used)) >= 0:
            line = bytes(buffer[used : end + len(self._terminator)])
            used = end + len(self._terminator)
            if (frame := self._valid_tail(line)) is not None:
                frames.append(frame)
        return frames, used

    def _valid_tail(self, line: bytes) -> bytes | None:
        """The longest end of ``line`` that is a frame (skips garbage before it)."""
        for start in range(len(line)):
            try:
                self.decode(line[start:])
            except FrameError:
                continue
            return line[start:]
        return None
