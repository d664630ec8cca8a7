"""Queue options that live in the configuration but belong to the domain."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NumberingConfig(_Model):
    """How ticket numbers look: prefix + zero-padded number, wrapping after ``last``."""

    width: int = Field(3, ge=1, le=6)
    first: int = Field(1, ge=0)
    last: int = Field(999, ge=1)
    # An outreach site's code (e.g. "L1"): numbers become "L1-B003", never the center's.
    site: str | None = Field(None, pattern=r"^[A-Z0-9]{1,3}$")

    @model_validator(mode="after")
    def _range(self) -> NumberingConfig:
        if self.last < self.first:
            raise ValueError("'last' must not be smaller than 'first'")
        if len(str(self.last)) > self.width:
            raise ValueError(f"'last' ({self.last}) does not fit in width {self.width}")
        return self


class PolicyConfig(_Model):
    """Priority policy knobs (see docs/priority.md)."""

    max_consecutive_priority: int = Field(3, ge=1)
