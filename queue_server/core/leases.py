"""Device leases: exactly one device worker drives each device.

A lease row per device (``device_leases``) names its holder and a ``version`` that
grows at every claim and renewal. :func:`claim_leases` takes a lease when it is free
(no row, or released), renews it when the caller already holds it, and takes it over
from another holder only when the caller names the ``version`` it saw and that version
is still there: the claimant decides, by its own clock, that the holder stopped
renewing (:class:`queue_server.core.leasekeeper.LeaseKeeper`). No wall clock is
compared across machines, so a clock that is off does not hand a live lease away.

Every function is one short transaction; none touches a device.
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects import postgresql, sqlite

from queue_server.core.db import Database
from queue_server.core.devicetables import DeviceLease
from queue_server.core.printjobs import abandon_jobs_of
from queue_server.core.processes import has_ended, process_start

KEY_LENGTH = 200
HOLDER_LENGTH = 120


@dataclass(frozen=True, slots=True)
class Claim:
    """One lease asked for. ``take_over``: the version of another holder's lease that
    the claimant saw unchanged for that lease's ``ttl_s`` (None: do not take it over).
    ``kiosks``: whose print jobs left unfinished are abandoned when the lease changes
    hands (the printer's previous driver will not print them)."""

    key: str
    take_over: int | None = None
    kiosks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LeaseState:
    """A lease as a claim left it."""

    key: str
    holder: str | None
    version: int
    ttl_s: float
    held: bool  # by the claimant, now
    gained: bool = False  # held now and not before this claim

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "holder": self.holder,
            "version": self.version,
            "ttl_s": self.ttl_s,
            "held": self.held,
            "gained": self.gained,
        }


def new_holder(pid: int | None = None) -> str:
    """A worker's id: host, process id (this one's by default), the process's start
    and a random part."""
    pid = os.getpid() if pid is None else pid
    host = socket.gethostname()[:60]
    start = process_start(pid)
    return f"{host}:{pid}:{'?' if start is None else start}:{secrets.token_hex(3)}"


def holder_is_dead(holder: str) -> bool:
    """True when ``holder`` names a process of this host that no longer runs (killed,
    or its pid now belongs to another process): its leases may be taken at once."""
    parts = holder.rsplit(":", 3)
    if len(parts) != 4 or parts[0] != socket.gethostname()[:60] or not parts[1].isdigit():
        return False
    return has_ended(int(parts[1]), int(parts[2]) if parts[2].isdigit() else None)


def _insert_missing(conn: Connection, keys: Sequence[str], ttl_s: float, now: datetime) -> None:
    """Free rows for the keys that have none (a concurrent insert is no error)."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    rows = [
        {"key": k, "holder": None, "version": 0, "ttl_s": ttl_s, "renewed_at": now} for k in keys
    ]
    conn.execute(
        dialect.insert(DeviceLease.__table__)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["key"])
    )


def _decide(row: Any, claim: Claim, holder: str) -> bool:
    """Whether ``holder`` holds the lease after this claim."""
    if row.holder in (None, holder):
        return True
    return claim.take_over is not None and claim.take_over == row.version


def claim_leases(
    db: Database, holder: str, claims: Sequence[Claim], ttl_s: float, now: datetime
) -> list[LeaseState]:
    """Claim or renew every lease of ``claims`` for ``holder`` (one transaction, rows
    locked in key order); returns each lease's state, in key order."""
    by_key = {claim.key: claim for claim in claims}
    keys = sorted(by_key)
    if not keys:
        return []
    states: list[LeaseState] = []
    with db.write() as conn:
        _insert_missing(conn, keys, ttl_s, now)
        rows = conn.execute(
            select(DeviceLease.__table__)
            .where(DeviceLease.key.in_(keys))
            .order_by(DeviceLease.key)
            .with_for_update()
        ).all()
        for row in rows:
            claim = by_key[row.key]
            if not _decide(row, claim, holder):
                states.append(LeaseState(row.key, row.holder, row.version, row.ttl_s, False))
                continue
            gained = row.holder != holder
            version = row.version + 1
            conn.execute(
                update(DeviceLease)
                .where(DeviceLease.key == row.key)
                .values(holder=holder, version=version, ttl_s=ttl_s, renewed_at=now)
            )
            if gained and claim.kiosks:
                abandon_jobs_of(conn, claim.kiosks, now)
            states.append(LeaseState(row.key, holder, version, ttl_s, True, gained))
    return states


def release_leases(db: Database, holder: str, keys: Sequence[str], now: datetime) -> int:
    """Give up ``holder``'s leases among ``keys`` (others may take them at once)."""
    if not keys:
        return 0
    with db.write() as conn:
        return conn.execute(
            update(DeviceLease)
            .where(DeviceLease.key.in_(list(keys)), DeviceLease.holder == holder)
            .values(holder=None, version=DeviceLease.version + 1, renewed_at=now)
        ).rowcount


def leases(db: Database) -> list[LeaseState]:
    """Every lease row, in key order (``held`` false: nobody asked)."""
    with db.read() as conn:
        rows = conn.execute(select(DeviceLease.__table__).order_by(DeviceLease.key)).all()
        return [LeaseState(r.key, r.holder, r.version, r.ttl_s, False) for r in rows]
