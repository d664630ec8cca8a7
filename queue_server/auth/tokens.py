"""API tokens: random secrets shown once, stored as SHA-256, revocable and expiring."""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import insert, select, update

from queue_server.auth.roles import COUNTER_ROLES, TOKEN_ROLES, Principal, Role
from queue_server.core.clock import Clock, SystemClock
from queue_server.core.db import Database
from queue_server.core.errors import NotFound, Rejected
from queue_server.core.models import ApiToken
from queue_server.core.text import bad_character
from queue_server.i18n import _

TOKEN_PREFIX = "xp_"


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """A token as listed (never the secret itself)."""

    id: int
    name: str
    role: str
    counter: int | None
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None

    def usable_at(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)


def hash_token(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(
    db: Database,
    role: str,
    *,
    counter: int | None = None,
    lifetime: timedelta | None = None,
    name: str = "",
    clock: Clock | None = None,
    known_counters: set[int] | None = None,
    kiosks: Mapping[str, bool] | None = None,
    without_printer: bool = False,
) -> tuple[str, TokenInfo]:
    """Make a token; returns the secret (show it once) and its record.

    A kiosk token's tickets print on the printer of the configured kiosk of the same
    name (``kiosks``: name → has a printer). An unknown name is refused unless
    ``without_printer`` says the kiosk is not meant to print.
    """
    if role not in TOKEN_ROLES:
        raise Rejected(
            _("Unknown role {role} (use {roles}).").format(
                role=role, roles=", ".join(r.value for r in TOKEN_ROLES)
            )
        )
    if role in COUNTER_ROLES and counter is None:
        raise Rejected(
            _("A rating token needs a counter (--counter N).")
            if role == Role.RATING
            else _("An officer token needs a counter (--counter N).")
        )
    if bad_character(name) is not None:  # NUL, control characters, lone surrogates
        raise Rejected(_("The text contains a character that cannot be stored."))
    if role not in COUNTER_ROLES and counter is not None:
        raise Rejected(_("Only officer and rating tokens belong to a counter."))
    if counter is not None and known_counters is not None and counter not in known_counters:
        raise NotFound(_("Unknown counter: {number}").format(number=counter))
    if role == Role.KIOSK and kiosks is not None and not without_printer and name not in kiosks:
        raise NotFound(
            _(
                "No kiosk is called {name} (known: {known}): its tickets would never print. "
                "Name the token after a kiosk, or say it is a kiosk without a printer."
            ).format(name=name or "—", known=", ".join(sorted(kiosks)) or "—")
        )
    now = (clock or SystemClock()).now()
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires = now + lifetime if lifetime else None
    with db.write() as conn:
        token_id = conn.execute(
            insert(ApiToken)
            .values(
                name=name[:80],
                token_hash=hash_token(secret),
                role=role,
                counter_number=counter,
                created_at=now,
                expires_at=expires,
            )
            .returning(ApiToken.id)
        ).scalar_one()
    return secret, TokenInfo(token_id, name[:80], role, counter, now, expires, None)


def kiosk_prints(name: str, kiosks: Mapping[str, bool]) -> bool:
    """Whether tickets issued with kiosk token ``name`` are printed."""
    return kiosks.get(name, False)


def _info(row: object) -> TokenInfo:
    return TokenInfo(
        row.id,  # type: ignore[attr-defined]
        row.name,  # type: ignore[attr-defined]
        row.role,  # type: ignore[attr-defined]
        row.counter_number,  # type: ignore[attr-defined]
        row.created_at,  # type: ignore[attr-defined]
        row.expires_at,  # type: ignore[attr-defined]
        row.revoked_at,  # type: ignore[attr-defined]
    )


_COLUMNS = (
    ApiToken.id,
    ApiToken.name,
    ApiToken.role,
    ApiToken.counter_number,
    ApiToken.created_at,
    ApiToken.expires_at,
    ApiToken.revoked_at,
)


# token hash → (record, monotonic time it was read). Revoking in this process clears the
# entry at once; a revocation by another process (the CLI) is seen after ``max_age``.
_cache: dict[tuple[str, str], tuple[TokenInfo, float]] = {}
_cache_lock = threading.Lock()
_CACHE_LIMIT = 10_000


def principal_for_token(
    db: Database, secret: str, now: datetime, *, max_age: float = 0.0
) -> Principal | None:
    """Who holds ``secret``; None if unknown, revoked or expired.

    With ``max_age`` > 0 a token read from the database less than ``max_age`` seconds
    ago is not read again (expiry is still checked against ``now`` every time).
    """
    if not secret or len(secret) > 200:
        return None
    digest = hash_token(secret)
    key = (str(db.url), digest)
    info: TokenInfo | None = None
    if max_age > 0:
        with _cache_lock:
            cached = _cache.get(key)
        if cached is not None and time.monotonic() - cached[1] < max_age:
            info = cached[0]
    if info is None:
        with db.read() as conn:
            row = conn.execute(select(*_COLUMNS).where(ApiToken.token_hash == digest)).one_or_none()
        if row is None:
            return None
        info = _info(row)
        if max_age > 0:
            with _cache_lock:
                if len(_cache) >= _CACHE_LIMIT:
                    _cache.clear()
                _cache[key] = (info, time.monotonic())
    if not info.usable_at(now):
        return None
    return Principal("token", info.id, info.name or f"#{info.id}", Role(info.role), info.counter)


def revoke_token(db: Database, token_id: int, *, clock: Clock | None = None) -> TokenInfo:
    """Revoke a token at once (revoking twice keeps the first time)."""
    now = (clock or SystemClock()).now()
    with db.write() as conn:
        conn.execute(
            update(ApiToken)
            .where(ApiToken.id == token_id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        row = conn.execute(select(*_COLUMNS).where(ApiToken.id == token_id)).one_or_none()
    if row is None:
        raise NotFound(_("Unknown token: {id}").format(id=token_id))
    with _cache_lock:
        for key in [k for k, (info, _at) in _cache.items() if info.id == token_id]:
            del _cache[key]
    return _info(row)


def list_tokens(db: Database) -> list[TokenInfo]:
    """Every token, newest last."""
    with db.read() as conn:
        return [_info(row) for row in conn.execute(select(*_COLUMNS).order_by(ApiToken.id))]
