"""Reasons for a call for assistance (``[[assistance.reasons]]`` in the center's TOML).

Each reason is data, as the kinds of help are: a code (kept on the calls), its name in
the center's language and in others (``labels``), the kind of help it naturally leads to
(``help_kind``, a code of ``[assists]``: what closing the call records unless the helper
chooses another) and whether the manager is alerted too (``manager``). The defaults are
the situations of the wards' plans (docs/configuration.md).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from queue_server.core.assist_config import KIND_CODE, LabelledKind


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReasonConfig(LabelledKind):
    """One reason for calling for help (``help_kind``: the help record it becomes;
    ``manager``: the manager sees it too). An inactive one is no longer offered."""

    help_kind: Annotated[str, Field(pattern=KIND_CODE)] = "other"
    manager: bool = False


def _reason(
    code: str, name: str, english: str, help_kind: str, *, manager: bool = False
) -> ReasonConfig:
    return ReasonConfig(
        code=code, name=name, labels={"en": english}, help_kind=help_kind, manager=manager
    )


DEFAULT_REASONS = (
    _reason("general", "Cần hỗ trợ chung", "General help", "guidance"),
    _reason("wheelchair", "Xe lăn, đi lại khó khăn", "Wheelchair or walking", "other"),
    _reason("sign_language", "Ngôn ngữ ký hiệu, viết ra giấy", "Sign language or writing",
            "read_write"),
    _reason("interpreter", "Phiên dịch tiếng dân tộc", "Interpreter for an ethnic language",
            "interpreting"),
    _reason("forms", "Đọc, điền biểu mẫu", "Reading or filling in forms", "forms"),
    _reason("upset", "Công dân bức xúc: cần cán bộ có kinh nghiệm, phòng riêng",
            "Upset citizen: an experienced officer or a private room", "guidance",
            manager=True),
)  # fmt: skip


class AssistanceConfig(_Model):
    """Calls for assistance (docs/configuration.md, section ``[assistance]``).

    ``kiosk_reason``: the reason of a call raised with the kiosk's one big button.
    """

    reasons: tuple[ReasonConfig, ...] = Field(DEFAULT_REASONS, min_length=1, max_length=30)
    kiosk_reason: Annotated[str, Field(pattern=KIND_CODE)] = "general"

    @model_validator(mode="after")
    def _codes(self) -> AssistanceConfig:
        seen: set[str] = set()
        for index, reason in enumerate(self.reasons):
            if reason.code in seen:
                raise ValueError(f"reasons[{index}].code: {reason.code!r} is used twice")
            seen.add(reason.code)
        if self.kiosk_reason not in seen:
            raise ValueError(f"kiosk_reason: no reason {self.kiosk_reason!r} in reasons")
        return self

    def reason(self, code: str) -> ReasonConfig | None:
        """The reason ``code`` (active or not), or None."""
        return next((reason for reason in self.reasons if reason.code == code), None)

    def active_reasons(self) -> tuple[ReasonConfig, ...]:
        return tuple(reason for reason in self.reasons if reason.active)
