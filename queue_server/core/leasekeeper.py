"""A device worker's side of the leases: what it wants, what it holds, until when.

:meth:`LeaseKeeper.round` claims every wanted lease once (the caller runs it every
``ttl_s / 3``). A lease is held until ``ttl_s`` after the start of the last claim that
renewed it, by this process's monotonic clock; a worker drives a device only while
:meth:`LeaseKeeper.holds` says so. Another worker's lease is taken over when the
keeper saw the same holder at the same ``version`` for that lease's ``ttl_s`` (the
holder stopped renewing), or at once when the holder is a dead process of this host.
The holder's validity ends before anyone can take over: it is counted from before its
renewal was sent, the claimant's wait from after it saw the renewal.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from queue_server.core.leases import Claim, LeaseState, holder_is_dead

log = logging.getLogger(__name__)


class LeaseStore(Protocol):
    """Where leases live: the database (a server's worker) or the server's API."""

    def claim(self, holder: str, ttl_s: float, claims: Sequence[Claim]) -> list[LeaseState]: ...

    def release(self, holder: str, keys: Sequence[str]) -> None: ...


@dataclass(frozen=True, slots=True)
class Sighting:
    """Another worker's lease as last seen, and since when (monotonic) unchanged."""

    holder: str | None
    version: int
    ttl_s: float
    since: float


@dataclass(frozen=True, slots=True)
class LeaseChanges:
    gained: frozenset[str]
    lost: frozenset[str]

    def __bool__(self) -> bool:
        return bool(self.gained or self.lost)


class LeaseKeeper:
    """Claims, renews and releases one worker's leases through a :class:`LeaseStore`."""

    def __init__(
        self,
        store: LeaseStore,
        holder: str,
        ttl_s: float,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        is_dead: Callable[[str], bool] = holder_is_dead,
    ) -> None:
        self.store = store
        self.holder = holder
        self.ttl_s = ttl_s
        self.monotonic = monotonic
        self.is_dead = is_dead
        self.reachable = True  # the last round reached the store
        self._wanted: dict[str, tuple[str, ...]] = {}
        self._valid_until: dict[str, float] = {}
        self._sightings: dict[str, Sighting] = {}
        self._held: frozenset[str] = frozenset()
        self._lock = threading.Lock()

    def want(self, wanted: Mapping[str, Sequence[str]]) -> None:
        """The leases to hold (key → the kiosks printing on that device); leases no
        longer wanted are released."""
        with self._lock:
            dropped = [k for k in self._valid_until if k not in wanted]
            self._wanted = {key: tuple(kiosks) for key, kiosks in wanted.items()}
            for key in dropped:
                del self._valid_until[key]
        if dropped:
            self._release(dropped)

    @property
    def wanted(self) -> frozenset[str]:
        with self._lock:
            return frozenset(self._wanted)

    def holds(self, key: str) -> bool:
        """True while this worker may drive the device ``key``."""
        with self._lock:
            return self._valid_until.get(key, 0.0) > self.monotonic()

    def held(self) -> frozenset[str]:
        now = self.monotonic()
        with self._lock:
            return frozenset(k for k, until in self._valid_until.items() if until > now)

    def someone_else_holds(self, key: str) -> bool:
        """Another worker renewed ``key`` within its ``ttl_s`` (as far as seen here)."""
        with self._lock:
            seen = self._sightings.get(key)
            return (
                seen is not None
                and seen.holder is not None
                and self.monotonic() - seen.since < seen.ttl_s
            )

    def round(self) -> LeaseChanges:
        """Claim every wanted lease once; returns the leases gained and lost since the
        last round (a lease whose renewal could not be sent lapses after ``ttl_s``)."""
        start = self.monotonic()
        with self._lock:
            claims = [
                Claim(key, self._take_over(key, start), kiosks)
                for key, kiosks in sorted(self._wanted.items())
            ]
        self._claim(claims, start)
        with self._lock:  # a holder found dead just now: taken over in this round
            again = [
                Claim(key, version, self._wanted[key])
                for key in sorted(self._wanted)
                if (version := self._take_over(key, start)) is not None
                and self.is_dead(self._sightings[key].holder or "")
            ]
        self._claim(again, start)
        with self._lock:
            return self._changes()

    def _claim(self, claims: list[Claim], start: float) -> None:
        """Send ``claims`` (begun at ``start``) and note what they answered."""
        if not claims:
            return
        try:
            states = self.store.claim(self.holder, self.ttl_s, claims)
            self._reached(True)
        except Exception as exc:  # the database or the server does not answer
            self._reached(False, exc)
            return
        with self._lock:
            for state in states:
                self._note(state, start)

    def release_all(self) -> None:
        """Give every lease up (a clean stop: others take them at once)."""
        with self._lock:
            keys = list(self._valid_until)
            self._valid_until.clear()
            self._held = frozenset()
        self._release(keys)

    # -------------------------------------------------------------- internals
    def _take_over(self, key: str, now: float) -> int | None:
        """The version to take over (lock held): seen unchanged for its ttl, or dead."""
        seen = self._sightings.get(key)
        if seen is None or seen.holder is None:
            return None
        if now - seen.since >= seen.ttl_s or self.is_dead(seen.holder):
            return seen.version
        return None

    def _note(self, state: LeaseState, start: float) -> None:
        """What a claim answered (lock held)."""
        if state.key not in self._wanted:
            return
        if state.held:
            self._valid_until[state.key] = start + self.ttl_s
            self._sightings.pop(state.key, None)
            if state.gained:
                log.info("device %s: driven by this worker now", state.key)
            return
        self._valid_until.pop(state.key, None)
        seen = self._sightings.get(state.key)
        if seen is None or (seen.holder, seen.version) != (state.holder, state.version):
            now = self.monotonic()
            self._sightings[state.key] = Sighting(state.holder, state.version, state.ttl_s, now)

    def _changes(self) -> LeaseChanges:
        """Held now against the last round (lock held)."""
        now = self.monotonic()
        held = frozenset(k for k, until in self._valid_until.items() if until > now)
        for key in set(self._valid_until) - held:
            del self._valid_until[key]
            log.warning("device %s: lease lapsed (not renewed in time)", key)
        changes = LeaseChanges(held - self._held, self._held - held)
        self._held = held
        return changes

    def _reached(self, ok: bool, exc: Exception | None = None) -> None:
        if ok and not self.reachable:
            log.warning("device leases: the store answers again")
        elif not ok and self.reachable:
            log.warning("device leases: cannot claim or renew: %s", exc)
        self.reachable = ok

    def _release(self, keys: Sequence[str]) -> None:
        if not keys:
            return
        try:
            self.store.release(self.holder, keys)
        except Exception as exc:  # they lapse by themselves
            log.warning("device leases: could not release %s: %s", ", ".join(keys), exc)
