"""Kinds of help recorded as help records (``[[assists.kinds]]`` in the center's TOML).

Each kind is data: a code (kept on the records), its name in the center's language
(Vietnamese) and its names in other languages (``labels``), as priority categories are.
The defaults are the kinds of help the wards' plans list (see docs/configuration.md).
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator


def _nfc(value: Any) -> Any:
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


Text = Annotated[str, BeforeValidator(_nfc), Field(min_length=1, max_length=80)]
KIND_CODE = r"^[a-z0-9_]{1,30}$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LabelledKind(_Model):
    """A kind of something kept as data: a code (kept on the records), ``name`` in the
    center's language, ``labels`` in others; an inactive one is no longer offered."""

    code: Annotated[str, Field(pattern=KIND_CODE)]
    name: Text
    labels: dict[str, Text] = Field(default_factory=dict)
    active: bool = True

    def label(self, language: str) -> str:
        """The name in ``language`` (its own name if it has none there)."""
        return self.labels.get(language) or self.name


class HelpKindConfig(LabelledKind):
    """One kind of help: ``name`` in the center's language, ``labels`` in others.

    An inactive kind is no longer offered, and its records still count in reports.
    """


def _kind(code: str, name: str, english: str) -> HelpKindConfig:
    return HelpKindConfig(code=code, name=name, labels={"en": english})


DEFAULT_KINDS = (
    _kind("guidance", "Hướng dẫn thủ tục", "Guidance on a procedure"),
    _kind("forms", "Hỗ trợ kê khai, điền tờ khai", "Filling in forms"),
    _kind("online_account", "Tạo tài khoản DVC, VNeID", "Creating an online or VNeID account"),
    _kind("online_submit", "Nộp hồ sơ trực tuyến", "Submitting online"),
    _kind("online_payment", "Thanh toán phí trực tuyến", "Paying fees online"),
    _kind("read_write", "Đọc, viết hộ", "Reading or writing for the citizen"),
    _kind("interpreting", "Phiên dịch tiếng dân tộc", "Interpreting into an ethnic language"),
    _kind("carry_dossier", "Chuyển hồ sơ đến quầy", "Carrying the dossier to the counter"),
    _kind("other", "Hỗ trợ khác", "Other help"),
)


class AssistsConfig(_Model):
    """Help records (docs/configuration.md, section ``[assists]``)."""

    kinds: tuple[HelpKindConfig, ...] = Field(DEFAULT_KINDS, min_length=1, max_length=30)

    @model_validator(mode="after")
    def _unique_codes(self) -> AssistsConfig:
        seen: set[str] = set()
        for index, kind in enumerate(self.kinds):
            if kind.code in seen:
                raise ValueError(f"kinds[{index}].code: {kind.code!r} is used twice")
            seen.add(kind.code)
        return self

    def kind(self, code: str) -> HelpKindConfig | None:
        """The kind ``code`` (active or not), or None."""
        return next((kind for kind in self.kinds if kind.code == code), None)

    def active_kinds(self) -> tuple[HelpKindConfig, ...]:
        return tuple(kind for kind in self.kinds if kind.active)
