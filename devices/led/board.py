"""The interface the server talks to: one board above one counter."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from xephang.devices.led.bus import LedBus
from xephang.devices.led.status import BoardStatus


@runtime_checkable
class CounterBoard(Protocol):
    """Shows the ticket number being served at a counter."""

    def show(self, number: str, blink: bool = False) -> None:
        """Show ``number`` (the ticket's display string, e.g. ``"A023"``)."""

    def clear(self) -> None:
        """Blank the board (counter paused or closed)."""

    def status(self) -> BoardStatus:
        """Online/offline, last error and the number last shown."""


@dataclass(frozen=True)
class BusBoard:
    """A :class:`CounterBoard` at ``address`` on ``bus``."""

    bus: LedBus
    address: int
    counter: int | None = None

    def show(self, number: str, blink: bool = False) -> None:
        self.bus.show(self.address, number, blink)

    def clear(self) -> None:
        self.bus.clear(self.address)

    def status(self) -> BoardStatus:
        return self.bus.status(self.address)
