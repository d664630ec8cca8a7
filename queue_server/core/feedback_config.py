"""Citizens' feedback (phản ánh, kiến nghị): ``[feedback]`` in the center's TOML.

Kinds are data like the kinds of help (a code kept on the records, a Vietnamese name,
``labels`` in other languages). ``due_days`` working days (``working_weekdays``, Monday
is 0) after the day a record is received, it is overdue if it has not been answered.
A phone number (given only with the citizen's consent, for a reply) is deleted
``phone_keep_days`` days after the answer (docs/configuration.md).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from pydantic import Field, model_validator

from queue_server.core.assist_config import KIND_CODE, LabelledKind, _Model


class FeedbackKindConfig(LabelledKind):
    """One kind of feedback; an inactive kind is no longer offered, its records count."""


def _kind(code: str, name: str, english: str) -> FeedbackKindConfig:
    return FeedbackKindConfig(code=code, name=name, labels={"en": english})


DEFAULT_KINDS = (
    _kind("feedback", "Phản ánh", "Feedback"),
    _kind("complaint", "Khiếu nại, bức xúc", "Complaint"),
    _kind("suggestion", "Kiến nghị, đề xuất", "Suggestion"),
)


class FeedbackConfig(_Model):
    """Feedback records (docs/configuration.md, section ``[feedback]``)."""

    kinds: tuple[FeedbackKindConfig, ...] = Field(DEFAULT_KINDS, min_length=1, max_length=20)
    due_days: int = Field(15, ge=1, le=90)
    working_weekdays: tuple[Annotated[int, Field(ge=0, le=6)], ...] = Field(
        (0, 1, 2, 3, 4), min_length=1, max_length=7
    )
    max_chars: int = Field(1000, ge=50, le=5000)
    per_ticket: int = Field(3, ge=1, le=20)
    phone_keep_days: int = Field(30, ge=1, le=365)
    rating_kind: Annotated[str, Field(pattern=KIND_CODE)] = "feedback"

    @model_validator(mode="after")
    def _unique_codes(self) -> FeedbackConfig:
        seen: set[str] = set()
        for index, kind in enumerate(self.kinds):
            if kind.code in seen:
                raise ValueError(f"kinds[{index}].code: {kind.code!r} is used twice")
            seen.add(kind.code)
        if self.rating_kind not in seen:
            raise ValueError(f"rating_kind: {self.rating_kind!r} is not one of the kinds")
        return self

    def kind(self, code: str) -> FeedbackKindConfig | None:
        """The kind ``code`` (active or not), or None."""
        return next((kind for kind in self.kinds if kind.code == code), None)

    def active_kinds(self) -> tuple[FeedbackKindConfig, ...]:
        return tuple(kind for kind in self.kinds if kind.active)

    def due_day(self, received: date) -> date:
        """The last local day to answer a record received on ``received``."""
        day, left = received, self.due_days
        while left:
            day += timedelta(days=1)
            if day.weekday() in self.working_weekdays:
                left -= 1
        return day
