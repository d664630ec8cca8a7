"""What the server can show about each board."""

from __future__ import annotations

from dataclasses import dataclass

from xephang.i18n import N_, _

ONLINE_SHOWING = N_("Online, showing {number}")
ONLINE_BLANK = N_("Online, blank")
OFFLINE = N_("Offline: {error}")
CONNECTING = N_("Connecting…")


@dataclass(frozen=True)
class BoardStatus:
    """One board's state as last known by its bus."""

    bus: str
    address: int
    counter: int | None
    online: bool
    showing: str | None
    """The ticket number last written to the board (``None``: blank)."""
    pending: bool
    """A newer state (number or blank) is waiting to be written."""
    error: str | None
    """The last I/O error of the bus or board (operating-system text), if offline."""

    def describe(self) -> str:
        """A short sentence for the admin screen, in the current language."""
        if self.online:
            if self.showing is None:
                return _(ONLINE_BLANK)
            return _(ONLINE_SHOWING).format(number=self.showing)
        if self.error:
            return _(OFFLINE).format(error=_(self.error))  # our own errors are msgids
        return _(CONNECTING)
