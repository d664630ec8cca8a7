"""Roles and the principal behind a request."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Role(enum.StrEnum):
    """What a user or token may do."""

    KIOSK = "kiosk"  # issues tickets (never emergency ones)
    HELPDESK = "helpdesk"  # issues with any category, cancels
    OFFICER = "officer"  # operates its own counter
    DISPLAY = "display"  # reads the state
    RATING = "rating"  # the satisfaction tablet of one counter
    MANAGER = "manager"  # reads the reports (the center's manager); handles feedback
    VOLUNTEER = "volunteer"  # records help given to citizens (help records), nothing else
    DEVICE = "device"  # the device worker process: gets the tracking codes it prints as QR
    ADMIN = "admin"  # everything


USER_ROLES = (Role.OFFICER, Role.HELPDESK, Role.VOLUNTEER, Role.MANAGER, Role.ADMIN)
TOKEN_ROLES = (Role.KIOSK, Role.OFFICER, Role.DISPLAY, Role.RATING, Role.DEVICE, Role.ADMIN)
COUNTER_ROLES = (Role.OFFICER, Role.RATING)  # tokens bound to one counter


@dataclass(frozen=True, slots=True)
class Principal:
    """Who makes a request: a token or a signed-in user."""

    kind: str  # "token" or "user"
    id: int
    name: str
    role: Role
    counter: int | None = None
    via_session: bool = False

    @property
    def scope(self) -> str:
        """A key that is unique per token or user (idempotency, rate limits)."""
        return f"{self.kind}:{self.id}"

    @property
    def actor(self) -> str:
        """How the ticket log names this principal."""
        return f"{self.kind}:{self.name}"[:80]

    @property
    def officer_id(self) -> int | None:
        """The user id to store on called tickets (tokens have none)."""
        return self.id if self.kind == "user" else None
