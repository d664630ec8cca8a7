"""The center and what it offers: ``[center]``, ``[[services]]``, ``[[counters]]`` and
``[[priorities]]`` of the center's TOML (checked against each other in
:mod:`queue_server.settings`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from queue_server.core.prefix_shapes import digit_like_problem
from queue_server.core.result_config import MAX_DAYS
from queue_server.core.text import Line, Lines
from xephang.i18n import available_languages, languages_with_center_dir
from xephang.langpack import LanguagePackError

Text = Annotated[Line, Field(min_length=1, max_length=200)]
Icon = Annotated[str, Field(max_length=40)]
# Validation context: the center's language-pack folder of the file being read, checked
# for its languages before it is put in use (``parse_settings``).
LANGUAGES_CONTEXT = "languages_folder"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CenterConfig(_Model):
    """The service center itself."""

    name: Text
    short_name: Text | None = None
    ward: Text | None = None  # the People's Committee it reports to (report title block)
    timezone: str = "Asia/Ho_Chi_Minh"
    language: str = "vi"
    second_language: str | None = None
    notice: Annotated[Lines, Field(max_length=2000)] = ""
    # The address citizens' phones reach (QR codes); unset: the address the kiosk used.
    public_url: str | None = None

    @field_validator("language", "second_language")
    @classmethod
    def _known_language(cls, value: str | None, info: ValidationInfo) -> str | None:
        """A language with a catalogue or a language pack (docs/languages.md)."""
        if value is None:
            return None
        context = info.context if isinstance(info.context, dict) else {}
        try:
            if LANGUAGES_CONTEXT in context:
                folder: Path | None = context[LANGUAGES_CONTEXT]
                known = languages_with_center_dir(folder)
            else:
                known = available_languages()
        except LanguagePackError as exc:
            raise ValueError(str(exc)) from None
        if value not in known:
            raise ValueError(
                f"no language pack {value!r} (known: {', '.join(known)}; docs/languages.md)"
            )
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class ServiceConfig(_Model):
    """A field of procedures (lĩnh vực) with its own ticket prefix."""

    code: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,20}$")]
    prefix: str
    name: Text
    labels: dict[str, Text] = Field(default_factory=dict)
    icon: Icon | None = None
    helpdesk: bool = False
    default_service_s: int = Field(300, ge=10, le=7200)
    active: bool = True  # inactive: kept for history, no new tickets
    results: bool = False  # the "receive results" service (Nhận kết quả): at most one
    result_days: int | None = Field(None, ge=0, le=MAX_DAYS)  # None: [results] default_days

    @field_validator("prefix")
    @classmethod
    def _prefix(cls, value: str) -> str:
        if not (1 <= len(value) <= 2 and value.isascii() and value.isalpha() and value.isupper()):
            raise ValueError(f"must be one or two capital letters (got {value!r})")
        if problem := digit_like_problem(value):
            raise ValueError(problem)
        return value


class CounterConfig(_Model):
    """A counter (quầy) and the services it serves, in order of preference."""

    number: int = Field(ge=1, le=999)
    name: Text
    services: list[str] = Field(min_length=1)
    active: bool = True


class PriorityConfig(_Model):
    """A priority category; ``emergency`` ones always go first."""

    code: Annotated[str, Field(pattern=r"^[a-z0-9_]{1,30}$")]
    name: Text
    labels: dict[str, Text] = Field(default_factory=dict)
    weight: float = Field(ge=0, le=100)
    emergency: bool = False
    icon: Icon | None = None
    kiosk: bool = True
    active: bool = True
