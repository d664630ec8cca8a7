"""Configuration of satisfaction ratings (``[ratings]`` in the center's TOML)."""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from queue_server.i18n import N_, translate


def _nfc(value: Any) -> Any:
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


Text = Annotated[str, BeforeValidator(_nfc), Field(min_length=1, max_length=80)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReasonConfig(_Model):
    """A reason a citizen may tick after "not satisfied".

    ``name`` is shown in the center's language: either an English message id of the
    catalogue (the defaults) or the center's own words; ``labels`` name it in other
    languages.
    """

    code: Annotated[str, Field(pattern=r"^[a-z0-9_]{1,30}$")]
    name: Text
    labels: dict[str, Text] = Field(default_factory=dict)

    def label(self, language: str) -> str:
        """The reason in ``language``."""
        return self.labels.get(language) or translate(self.name, language)


DEFAULT_REASONS = (
    ReasonConfig(code="long_wait", name=N_("Long wait")),
    ReasonConfig(code="attitude", name=N_("Unfriendly attitude")),
    ReasonConfig(code="unclear_guidance", name=N_("Unclear guidance")),
    ReasonConfig(code="complex_procedure", name=N_("Complicated procedure")),
    ReasonConfig(code="come_back", name=N_("Had to come back several times")),
    ReasonConfig(code="facilities", name=N_("Poor facilities")),
)


class RatingsConfig(_Model):
    """How satisfaction ratings are asked for and accepted (see docs/ratings.md)."""

    timeout_s: int = Field(30, ge=3, le=600)  # the tablet's question, without a touch
    thanks_s: int = Field(5, ge=1, le=60)  # how long "thank you" stays
    counter_window_s: int = Field(600, ge=30, le=86_400)  # tablet: after the finish
    track_window_days: int = Field(7, ge=0, le=90)  # tracking page: after the ticket's day
    officer_min_count: int = Field(5, ge=1, le=1000)  # below this, officers see a count only
    track_rate_per_minute: int = Field(10, ge=1, le=10_000)  # public posts per address
    track_refresh_s: int = Field(15, ge=2, le=300)  # the tracking page refreshes itself
    reasons: tuple[ReasonConfig, ...] = Field(DEFAULT_REASONS, max_length=12)

    @model_validator(mode="after")
    def _unique_codes(self) -> RatingsConfig:
        seen: set[str] = set()
        for index, reason in enumerate(self.reasons):
            if reason.code in seen:
                raise ValueError(f"reasons[{index}].code: {reason.code!r} is used twice")
            seen.add(reason.code)
        return self

    def reason_codes(self) -> tuple[str, ...]:
        return tuple(reason.code for reason in self.reasons)

    def reason_labels(self, language: str) -> dict[str, str]:
        """Code → label in ``language``, in the configured order."""
        return {reason.code: reason.label(language) for reason in self.reasons}
