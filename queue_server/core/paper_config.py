"""How paper tickets (handed out by hand during an outage) are numbered."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator


class PaperConfig(BaseModel):
    """``[paper]``: paper tickets are ``marker`` + the service's prefix + a number,
    e.g. ``PB007``; the normal numbering never gives such a number (the settings refuse
    a service prefix equal to ``marker`` + another service's prefix)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    marker: str = "P"
    width: int = Field(3, ge=1, le=5)
    max_print: int = Field(500, ge=1, le=5000)  # tickets in one PDF
    max_age_days: int = Field(31, ge=1, le=366)  # how far back a paper ticket is entered

    @field_validator("marker")
    @classmethod
    def _marker(cls, value: str) -> str:
        if not (1 <= len(value) <= 2 and value.isascii() and value.isalpha() and value.isupper()):
            raise ValueError(f"must be one or two capital letters (got {value!r})")
        return value

    def number(self, prefix: str, sequence: int) -> str:
        """The paper number ``sequence`` of a service with ``prefix``, e.g. ``PB007``."""
        return f"{self.marker}{prefix}{sequence:0{self.width}d}"

    def sequence(self, prefix: str, text: str) -> int | None:
        """The sequence of paper number ``text`` (or bare digits) of the service with
        ``prefix``; None when it is not one."""
        cleaned = "".join(text.split()).upper()
        head = f"{self.marker}{prefix}"
        digits = cleaned[len(head) :] if cleaned.startswith(head) else cleaned
        if not digits.isascii() or not digits.isdigit() or len(digits) > 6:
            return None
        return int(digits) if int(digits) >= 1 else None


def colliding_prefixes(marker: str, prefixes: list[str]) -> list[str]:
    """Service prefixes that the normal numbering would share with a paper number:
    those equal to ``marker`` + another prefix (``P`` + ``B`` = a service ``PB``)."""
    taken = set(prefixes)
    return sorted(f"{marker}{p}" for p in prefixes if f"{marker}{p}" in taken)
