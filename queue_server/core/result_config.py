"""Result slips (giấy hẹn trả kết quả): the ``[results]`` section of the center's TOML.

How many working days a result takes (per service in ``[[services]] result_days``, else
``default_days``), the days the center is closed besides Saturdays and Sundays
(``holidays``), what a citizen brings to collect a result (``bring``) and the reasons
for which a ready date is postponed (``reasons``). Which service receives results is
the service flagged ``results = true`` (docs/configuration.md).
"""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

MAX_DAYS = 90  # working days; also how far ahead a ready date may be moved (× 2)
SATURDAY = 5


def _nfc(value: Any) -> Any:
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


Text = Annotated[str, BeforeValidator(_nfc), Field(min_length=1, max_length=80)]
LongText = Annotated[str, BeforeValidator(_nfc), Field(min_length=1, max_length=300)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PostponeReason(_Model):
    """Why a ready date is moved: ``name`` in the center's language, ``labels`` in others."""

    code: Annotated[str, Field(pattern=r"^[a-z0-9_]{1,30}$")]
    name: Text
    labels: dict[str, Text] = Field(default_factory=dict)

    def label(self, language: str) -> str:
        return self.labels.get(language) or self.name


def _reason(code: str, name: str, english: str) -> PostponeReason:
    return PostponeReason(code=code, name=name, labels={"en": english})


DEFAULT_REASONS = (
    _reason("verification", "Cần xác minh thêm", "Needs further verification"),
    _reason("other_agency", "Chờ ý kiến cơ quan khác", "Waiting for another agency"),
    _reason("supplement", "Hồ sơ cần bổ sung", "The dossier needs more documents"),
    _reason("overload", "Quá tải, chưa xử lý kịp", "Too many dossiers, not processed in time"),
    _reason("other", "Lý do khác", "Other reason"),
)
DEFAULT_BRING = "Giấy hẹn này và căn cước (CCCD) của người nộp hồ sơ"


class ResultsConfig(_Model):
    """Result slips (docs/configuration.md, section ``[results]``)."""

    default_days: int = Field(3, ge=0, le=MAX_DAYS)
    holidays: tuple[date, ...] = Field(default=(), max_length=400)
    bring: LongText = DEFAULT_BRING
    reasons: tuple[PostponeReason, ...] = Field(DEFAULT_REASONS, min_length=1, max_length=30)

    @model_validator(mode="after")
    def _unique_codes(self) -> ResultsConfig:
        seen: set[str] = set()
        for index, reason in enumerate(self.reasons):
            if reason.code in seen:
                raise ValueError(f"reasons[{index}].code: {reason.code!r} is used twice")
            seen.add(reason.code)
        return self

    def reason(self, code: str) -> PostponeReason | None:
        return next((reason for reason in self.reasons if reason.code == code), None)

    def is_working_day(self, day: date) -> bool:
        """Monday to Friday and not a configured holiday."""
        return day.weekday() < SATURDAY and day not in self.holidays

    def add_working_days(self, start: date, days: int) -> date:
        """The working day ``days`` working days after ``start`` (0: ``start`` itself, or
        the next working day when ``start`` is not one)."""
        day = start
        while not self.is_working_day(day):
            day += timedelta(days=1)
        for _step in range(days):
            day += timedelta(days=1)
            while not self.is_working_day(day):
                day += timedelta(days=1)
        return day
