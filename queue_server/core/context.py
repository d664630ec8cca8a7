"""What every queue operation works with: the database, options, clock and catalogue.

The commands (:mod:`~queue_server.core.issuing`, :mod:`~queue_server.core.calling`,
:mod:`~queue_server.core.lifecycle`) and the read models (:mod:`~queue_server.core.queries`)
are functions of a :class:`QueueContext`; :class:`~queue_server.core.operations.Queue` is
the context with those functions as methods.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

from queue_server.core.catalogue import Catalogue, CounterInfo, ServiceInfo, load_catalogue
from queue_server.core.clock import Clock, SystemClock, local_day
from queue_server.core.clockguard import ClockConfig, ClockGuard
from queue_server.core.db import Database
from queue_server.core.envelope import Envelope
from queue_server.core.errors import NotFound
from queue_server.core.events import DomainEvent
from queue_server.core.options import NumberingConfig, PolicyConfig
from queue_server.i18n import _

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Outcome(Generic[T]):
    """An operation's result plus its events (published after commit)."""

    value: T
    events: list[DomainEvent] = field(default_factory=list)
    # The events as written in the outbox (numbered), once the operation committed.
    envelopes: list[Envelope] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class QueueOptions:
    """The parts of the configuration the queue needs."""

    zone: ZoneInfo
    numbering: NumberingConfig = field(default_factory=NumberingConfig)
    policy: PolicyConfig = field(default_factory=PolicyConfig)
    clock: ClockConfig = field(default_factory=ClockConfig)


class QueueContext:
    """One center's database, queue options, clock and (cached) catalogue."""

    def __init__(self, db: Database, options: QueueOptions, clock: Clock | None = None) -> None:
        self.db = db
        self.options = options
        self.clock = clock or SystemClock()
        self.clock_guard = ClockGuard(options.clock)  # docs/outages.md
        self._catalogue_lock = threading.Lock()
        self._catalogue: Catalogue | None = None

    @property
    def catalogue(self) -> Catalogue:
        """Services, counters and categories (cached; see :meth:`reload`)."""
        with self._catalogue_lock:
            if self._catalogue is None:
                with self.db.read() as conn:
                    self._catalogue = load_catalogue(conn)
            return self._catalogue

    def reload(self) -> None:
        """Forget the cached catalogue after services or counters changed."""
        with self._catalogue_lock:
            self._catalogue = None

    def today(self) -> date:
        """The center's current local day."""
        return local_day(self.clock.now(), self.options.zone)

    def counter_info(self, number: int) -> CounterInfo:
        """The active counter ``number``; NotFound if there is none."""
        counter = self.catalogue.counters.get(number)
        if counter is None:
            raise NotFound(_("Unknown counter: {number}").format(number=number))
        return counter

    def service_info(self, code: str) -> ServiceInfo:
        """The active service ``code``; NotFound if there is none."""
        service = self.catalogue.services.get(code)
        if service is None:
            raise NotFound(_("Unknown service: {code}").format(code=code))
        return service
